import { describe, expect, it } from 'vitest';
import {
  ApiError,
  ContractMismatch,
  createClient,
  downloadAttachment,
  NetworkError,
  type RouteOutput,
} from '../../src/contract/client/index.js';

/**
 * The client against a scripted server (a fake fetch): it refuses every answer that does not fit
 * the contract — naming the route and the field — turns error answers into ApiError with the
 * catalogue code, follows cursors to the end, and sends the credentials its mode asks for.
 */

interface Seen {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly credentials: string | undefined;
}

type Script = (url: URL, seen: Seen) => Response | Promise<Response>;

function fakeServer(script: Script): { fetch: typeof fetch; requests: Seen[] } {
  const requests: Seen[] = [];
  const fake = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const seen: Seen = {
      url: String(input),
      method: init?.method ?? 'GET',
      headers: { ...(init?.headers as Record<string, string> | undefined) },
      credentials: init?.credentials,
    };
    requests.push(seen);
    return script(url, seen);
  };
  return { fetch: fake as typeof fetch, requests };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

const RECORD = {
  id: 'r1',
  patientId: 'p1',
  type: 'diagnosis',
  authorId: 'd1',
  createdAt: 1_700_000_000_000,
  title: 'Pneumonia',
  body: { icd10: 'J18.9' },
  keywords: ['pneumonia'],
  authorName: 'Dr One',
};
const ROW = {
  id: 'r1',
  patientId: 'p1',
  type: 'diagnosis',
  authorId: 'd1',
  createdAt: 1_700_000_000_000,
  title: 'Pneumonia',
  authorName: null,
};

const clientAnswering = (script: Script) => {
  const server = fakeServer(script);
  return {
    api: createClient({ baseUrl: 'http://medvault.test', fetch: server.fetch }),
    requests: server.requests,
  };
};

/** The ContractMismatch a promise rejects with. */
async function mismatch(p: Promise<unknown>): Promise<ContractMismatch> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ContractMismatch);
  return err as ContractMismatch;
}

describe('the client refuses answers that do not fit the contract', () => {
  it('a field of the wrong type: names the route and the field', async () => {
    const { api } = clientAnswering(() => json(200, { ...RECORD, title: 42 }));
    const err = await mismatch(api.call('getRecord', { params: { id: 'r1' } }));
    expect(err).toMatchObject({ route: 'getRecord', status: 200, field: '/title' });
    expect(err.message).toMatch(/^getRecord answered 200 off its contract: \/title /);
  });

  it('a missing field', async () => {
    const { authorName: _gone, ...rest } = RECORD;
    const { api } = clientAnswering(() => json(200, rest));
    expect(await mismatch(api.call('getRecord', { params: { id: 'r1' } }))).toMatchObject({
      field: '/authorName',
    });
  });

  it('a field the contract does not name', async () => {
    const { api } = clientAnswering(() => json(200, { ...RECORD, ssn: '123-45-6789' }));
    expect(await mismatch(api.call('getRecord', { params: { id: 'r1' } }))).toMatchObject({
      route: 'getRecord',
    });
  });

  it('one row of another shape in a list: the whole answer is refused, the row is never dropped', async () => {
    const rows = [ROW, { ...ROW, id: 'r2', title: { text: 'Asthma' } }, { ...ROW, id: 'r3' }];
    const { api } = clientAnswering(() => json(200, { records: rows, nextCursor: null }));
    const err = await mismatch(api.call('listRecords', { params: { id: 'p1' } }));
    expect(err.field).toBe('/records/1/title');
    const { api: again } = clientAnswering(() =>
      json(200, { records: [ROW, { id: 'r2' }], nextCursor: null }),
    );
    expect((await mismatch(again.all('listRecords', { params: { id: 'p1' } }))).field).toMatch(
      /^\/records\/1\//,
    );
  });

  it('a status the route does not declare', async () => {
    const { api } = clientAnswering(() => json(418, { error: { code: 'not_found', message: 'x' } }));
    expect(await mismatch(api.call('getRecord', { params: { id: 'r1' } }))).toMatchObject({
      status: 418,
      field: '(status)',
    });
  });

  it('a body that is not JSON, or not JSON at all where JSON is due', async () => {
    const { api } = clientAnswering(
      () => new Response('<html>oops</html>', { status: 200, headers: { 'content-type': 'text/html' } }),
    );
    expect(await mismatch(api.call('getRecord', { params: { id: 'r1' } }))).toMatchObject({
      field: '(body)',
    });
    const { api: broken } = clientAnswering(
      () => new Response('{"id":', { status: 200, headers: { 'content-type': 'application/json' } }),
    );
    expect((await mismatch(broken.call('getRecord', { params: { id: 'r1' } }))).problem).toBe(
      'is not valid JSON',
    );
  });

  it('an error body off the shape, or with a code outside the catalogue', async () => {
    const { api } = clientAnswering(() => json(404, { message: 'nope' }));
    expect(await mismatch(api.call('getRecord', { params: { id: 'r1' } }))).toMatchObject({ status: 404 });
    const { api: unknownCode } = clientAnswering(() =>
      json(404, { error: { code: 'gone_fishing', message: 'x' } }),
    );
    const err = await mismatch(unknownCode.call('getRecord', { params: { id: 'r1' } }));
    expect(err).toMatchObject({ field: '/error/code' });
    expect(err.problem).toMatch(/not in the error catalogue/);
  });

  it('a success answered with the wrong success status (a 200 where only 204 is declared)', async () => {
    const { api } = clientAnswering(() => json(200, {}));
    expect(await mismatch(api.call('logout'))).toMatchObject({ status: 200, field: '(status)' });
    const { api: right } = clientAnswering(() => new Response(null, { status: 204 }));
    await expect(right.call('logout')).resolves.toBeNull();
  });
});

describe('error answers', () => {
  it('become ApiError with the catalogue code, status, message and Retry-After', async () => {
    const { api } = clientAnswering(() =>
      json(429, { error: { code: 'rate_limited', message: 'Too many attempts.' } }, { 'retry-after': '42' }),
    );
    const err = await api
      .call('patientLogin', { body: { ssn: '123-45-6789', pin: '123456', password: 'x' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      route: 'patientLogin',
      status: 429,
      code: 'rate_limited',
      message: 'Too many attempts.',
      retryAfterSeconds: 42,
    });
  });

  it('answer() gives them as values, success with its status', async () => {
    let status = 201;
    const { api } = clientAnswering(() =>
      status === 404
        ? json(404, { error: { code: 'not_found', message: 'Not found.' } })
        : json(status, { patientId: 'p1', doctorId: 'd1', added: status === 201 }),
    );
    const added = await api.answer('assignCareTeam', { params: { id: 'p1' }, body: { doctorId: 'd1' } });
    expect(added).toMatchObject({ ok: true, status: 201, body: { added: true } });
    status = 200;
    expect(
      await api.answer('assignCareTeam', { params: { id: 'p1' }, body: { doctorId: 'd1' } }),
    ).toMatchObject({
      ok: true,
      status: 200,
    });
    status = 404;
    const refused = await api.answer('assignCareTeam', { params: { id: 'p1' }, body: { doctorId: 'd1' } });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error).toMatchObject({ code: 'not_found', status: 404 });
  });

  it('tells onUnauthenticated of every 401', async () => {
    const lost: string[] = [];
    const server = fakeServer(() =>
      json(401, { error: { code: 'unauthenticated', message: 'Log in first.' } }),
    );
    const api = createClient({
      baseUrl: 'http://medvault.test',
      fetch: server.fetch,
      onUnauthenticated: (e) => lost.push(e.route),
    });
    await expect(api.call('me')).rejects.toBeInstanceOf(ApiError);
    expect(lost).toEqual(['me']);
  });

  it('no answer at all is a NetworkError', async () => {
    const api = createClient({
      fetch: (() => Promise.reject(new TypeError('fetch failed'))) as typeof fetch,
    });
    await expect(api.call('health')).rejects.toBeInstanceOf(NetworkError);
  });
});

describe('paged lists', () => {
  /** A queue of `n` prescriptions served `size` at a time, with an opaque cursor. */
  const queueOf =
    (n: number, size: number): Script =>
    (url) => {
      const from = Number(url.searchParams.get('cursor') ?? '0');
      const ids = Array.from({ length: Math.min(size, n - from) }, (_, i) => from + i);
      const person = { id: 'x', name: null };
      const items = ids.map((i) => ({
        id: `rx-${i}`,
        patient: person,
        prescriber: person,
        fillsRemaining: 1,
        issuedAt: 1,
        expiresAt: 2,
        details: null,
      }));
      return json(200, { items, nextCursor: from + size < n ? String(from + size) : null });
    };

  it('all() follows nextCursor to the end: the 101st prescription is there', async () => {
    const { api, requests } = clientAnswering(queueOf(101, 50));
    const queue = await api.all('prescriptionQueue', { query: { status: 'pending' } });
    expect(queue).toHaveLength(101);
    expect(queue[100]?.id).toBe('rx-100');
    expect(requests.map((r) => new URL(r.url).search)).toEqual([
      '?status=pending',
      '?status=pending&cursor=50',
      '?status=pending&cursor=100',
    ]);
  });

  it('pages() yields each page in order', async () => {
    const { api } = clientAnswering(queueOf(101, 100));
    const sizes: number[] = [];
    for await (const page of api.pages('prescriptionQueue', { query: { status: 'pending', limit: 100 } }))
      sizes.push(page.items.length);
    expect(sizes).toEqual([100, 1]);
  });

  it('refuses a cursor it already followed instead of looping', async () => {
    const { api } = clientAnswering(() => json(200, { records: [ROW], nextCursor: 'same' }));
    const err = await mismatch(api.all('listRecords', { params: { id: 'p1' } }));
    expect(err).toMatchObject({ field: '/nextCursor', problem: 'repeats a cursor already followed' });
  });
});

describe('requests', () => {
  it('escapes path parameters and leaves out absent query fields', async () => {
    const { api, requests } = clientAnswering(() => json(200, { records: [], nextCursor: null }));
    await api.call('listRecords', { params: { id: '../admin/users' }, query: { type: undefined, limit: 5 } });
    expect(requests[0]?.url).toBe('http://medvault.test/api/v1/patients/..%2Fadmin%2Fusers/records?limit=5');
  });

  it('bearer mode sends the token; cookie mode sends the CSRF header on writes only', async () => {
    const me = { id: 'u', role: 'doctor', username: 'd', displayName: null };
    const server = fakeServer((url) =>
      url.pathname.endsWith('/me') ? json(200, me) : new Response(null, { status: 204 }),
    );
    const bearer = createClient({ baseUrl: 'http://medvault.test', fetch: server.fetch }).withToken('tok');
    await bearer.call('me');
    expect(server.requests[0]?.headers.authorization).toBe('Bearer tok');
    expect(server.requests[0]?.headers['x-medvault-csrf']).toBeUndefined();
    const cookie = bearer.as({ kind: 'cookie' });
    await cookie.call('me');
    await cookie.call('logout');
    const [, get, post] = server.requests;
    expect(get?.headers.authorization).toBeUndefined();
    expect(get?.headers['x-medvault-csrf']).toBeUndefined();
    expect(get?.credentials).toBe('same-origin');
    expect(post?.headers['x-medvault-csrf']).toBe('1');
    expect(post?.headers['content-type']).toBeUndefined();
  });
});

describe('file downloads', () => {
  const params = { id: 'r1', attachmentId: 'a1' };
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);

  it('answers the bytes, the type and the file name', async () => {
    const { api } = clientAnswering(
      () =>
        new Response(png, {
          status: 200,
          headers: {
            'content-type': 'image/png',
            'content-length': String(png.length),
            'content-disposition': `inline; filename="x_ray.png"; filename*=UTF-8''x%C2%B7ray.png`,
          },
        }),
    );
    const file = await downloadAttachment(api, params);
    expect([...file.bytes]).toEqual([...png]);
    expect(file).toMatchObject({ contentType: 'image/png', fileName: 'x·ray.png' });
  });

  it('refuses a type the contract does not declare', async () => {
    const { api } = clientAnswering(
      () => new Response('<script>', { status: 200, headers: { 'content-type': 'text/html' } }),
    );
    expect(await mismatch(downloadAttachment(api, params))).toMatchObject({ field: 'content-type' });
  });

  it('turns an error answer into ApiError', async () => {
    const { api } = clientAnswering(() =>
      json(422, { error: { code: 'integrity_failure', message: 'Stored data failed its integrity check.' } }),
    );
    await expect(downloadAttachment(api, params)).rejects.toMatchObject({
      code: 'integrity_failure',
      status: 422,
    });
  });
});

describe('types come from the schemas', () => {
  it('a renamed or mistyped field does not compile', () => {
    // Only compiled, never run: `npm run typecheck` fails if any of these lines becomes valid.
    const check = (record: RouteOutput<'getRecord'>, page: RouteOutput<'listRecords'>): unknown[] => [
      // @ts-expect-error: the field is `title`
      record.titel,
      // @ts-expect-error: `createdAt` is a number
      record.createdAt.toUpperCase(),
      // @ts-expect-error: a row's title may be null
      page.records[0]?.title.length,
    ];
    expect(typeof check).toBe('function');
    const api = createClient();
    // @ts-expect-error: getRecord needs its id
    const missing = (): unknown => api.call('getRecord');
    // @ts-expect-error: no such route
    const unknownRoute = (): unknown => api.call('getRecords', { params: { id: 'x' } });
    // @ts-expect-error: a file route is not called as JSON
    const file = (): unknown => api.call('downloadAttachment', { params: { id: 'r', attachmentId: 'a' } });
    expect([missing, unknownRoute, file].every((f) => typeof f === 'function')).toBe(true);
  });
});
