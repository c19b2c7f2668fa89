import type { ApiRoute, PageSpec } from '../api/route.js';
import { API_ROUTES, type RouteName } from '../api/routes.js';
import { ApiError, ContractMismatch, NetworkError } from './errors.js';
import { checkAnswer, responseSchema, retryAfterSeconds, type CheckedAnswer } from './validate.js';
import type { InputArgs, JsonRouteName, PagedRouteName, PageItem, RouteInput, RouteOutput } from './types.js';

/**
 * The one typed client of the MedVault API, for the browser, the demo and the console. Calls
 * routes of the contract's table by name; every answer is checked against the contract
 * (src/contract/client/validate.ts) before anyone reads it. `fetch` only: no Node modules.
 */

/** Header a cookie-authenticated write must carry (src/http/auth.ts). */
export const CSRF_HEADER = 'x-medvault-csrf';

/** How calls prove who is calling. */
export type Credentials =
  /** No session: public routes only (logins, health). */
  | { readonly kind: 'none' }
  /** `Authorization: Bearer <token>` (scripts, the CLI). */
  | { readonly kind: 'bearer'; readonly token: string }
  /** The browser's HttpOnly session cookie; writes carry the CSRF header. */
  | { readonly kind: 'cookie' };

export interface ClientOptions {
  /** Origin of the server, e.g. `http://127.0.0.1:3000`; empty (the default) for same-origin. */
  readonly baseUrl?: string;
  readonly credentials?: Credentials;
  /** The fetch to use (default: the global one). */
  readonly fetch?: typeof fetch;
  /** Called with every 401 answer before it is thrown (the web goes back to its login page). */
  readonly onUnauthenticated?: (error: ApiError) => void;
}

type Query = Readonly<Record<string, unknown>>;
interface AnyInput {
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Query;
  readonly body?: unknown;
}

/**
 * The input of a call, untyped: the public methods type it per route; widening here keeps the
 * compiler from building the union of every route's input (too complex past some routes).
 */
const firstInput = (args: readonly unknown[]): AnyInput => (args[0] as AnyInput | undefined) ?? {};

/** The path of a route with its parameters filled in (each escaped: an id cannot change the route). */
export function routePath(name: RouteName, params?: Readonly<Record<string, string>>): string {
  return API_ROUTES[name].path.replace(/:(\w+)/g, (_, key: string) => {
    const value = params?.[key];
    if (typeof value !== 'string' || value === '') throw new TypeError(`${name}: params.${key} is required`);
    return encodeURIComponent(value);
  });
}

function queryOf(query: Query | undefined): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {}))
    if (value !== undefined) search.set(key, typeof value === 'string' ? value : JSON.stringify(value));
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/** Where a paged route's rows and cursor are. */
function pageSpec(name: PagedRouteName): PageSpec {
  const route: ApiRoute = API_ROUTES[name];
  if (route.page === undefined) throw new TypeError(`${name} is not a paged list`);
  return route.page;
}

export class MedVaultClient {
  readonly baseUrl: string;
  readonly credentials: Credentials;
  private readonly fetcher: typeof fetch;

  constructor(private readonly options: ClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
    this.credentials = options.credentials ?? { kind: 'none' };
    // Bound: a bare `fetch` called as a method of another object throws in browsers.
    this.fetcher = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  }

  /** The same client with other credentials (e.g. after a login: `client.as({kind:'bearer', token})`). */
  as(credentials: Credentials): MedVaultClient {
    return new MedVaultClient({ ...this.options, credentials });
  }

  /** Shorthand for `as({ kind: 'bearer', token })`. */
  withToken(token: string): MedVaultClient {
    return this.as({ kind: 'bearer', token });
  }

  /**
   * Calls a route and answers its success body.
   * @throws ApiError when the server answers an error; ContractMismatch when the answer does not
   *   fit the contract; NetworkError when there is no answer.
   */
  async call<N extends JsonRouteName>(name: N, ...args: InputArgs<N>): Promise<RouteOutput<N>> {
    return (await this.request(name, firstInput(args))) as RouteOutput<N>;
  }

  /** {@link call} without the types (paging builds its inputs). */
  private async request(name: JsonRouteName, input: AnyInput): Promise<unknown> {
    const body = input.body === undefined ? undefined : JSON.stringify(input.body);
    const answer = (await this.readAnswer(name, await this.fetchRoute(name, input, body))) as
      { readonly ok: true; readonly body: unknown } | { readonly ok: false; readonly error: ApiError };
    if (!answer.ok) throw answer.error;
    return answer.body;
  }

  /**
   * Calls a route and answers success or the server's error as a value (for callers that
   * expect refusals: the attack simulation, forms that show the reason).
   * @throws ContractMismatch, NetworkError (as {@link call}).
   */
  async answer<N extends JsonRouteName>(name: N, ...args: InputArgs<N>): Promise<CheckedAnswer<N>> {
    const input = firstInput(args);
    const body = input.body === undefined ? undefined : JSON.stringify(input.body);
    return this.readAnswer(name, await this.fetchRoute(name, input, body));
  }

  /** Every page of a paged list, in order, following the route's cursor to the end. */
  async *pages<N extends PagedRouteName & JsonRouteName>(
    name: N,
    ...args: InputArgs<N>
  ): AsyncGenerator<Awaited<RouteOutput<N>>> {
    for await (const page of this.pagesOf(name, args[0] ?? {}))
      yield page as unknown as Awaited<RouteOutput<N>>;
  }

  /** All rows of a paged list: every page's rows, following the cursor to the end. */
  async all<N extends PagedRouteName & JsonRouteName>(
    name: N,
    ...args: InputArgs<N>
  ): Promise<PageItem<N>[]> {
    const key = pageSpec(name).items;
    const rows: PageItem<N>[] = [];
    for await (const page of this.pagesOf(name, args[0] ?? {})) rows.push(...(page[key] as PageItem<N>[]));
    return rows;
  }

  /** {@link pages} without the types. */
  private async *pagesOf(
    name: PagedRouteName & JsonRouteName,
    input: AnyInput,
  ): AsyncGenerator<Readonly<Record<string, unknown>>> {
    const spec = pageSpec(name);
    const followed = new Set<unknown>();
    let cursor: unknown;
    for (;;) {
      const query = { ...input.query, ...(cursor === undefined ? {} : { [spec.param]: cursor }) };
      const page = (await this.request(name, { ...input, query })) as Readonly<Record<string, unknown>>;
      yield page;
      const next = page[spec.next];
      if (next === null || next === undefined) return;
      // A server that hands back a cursor already followed would loop forever.
      if (followed.has(next))
        throw new ContractMismatch(name, 200, `/${spec.next}`, 'repeats a cursor already followed');
      followed.add(next);
      cursor = next;
    }
  }

  /**
   * Low level: sends one request of a route with this client's credentials and answers the raw
   * Response (the file functions use it; read JSON answers with {@link readAnswer}).
   * @throws NetworkError when there is no answer.
   */
  async fetchRoute(
    name: RouteName,
    input: RouteInput<RouteName> | AnyInput,
    body?: RequestInit['body'],
  ): Promise<Response> {
    const { method } = API_ROUTES[name];
    const { params, query } = input as AnyInput;
    const headers: Record<string, string> = { accept: 'application/json' };
    // Only declare JSON when there is a JSON body: Fastify refuses an empty body sent as JSON.
    if (typeof body === 'string') headers['content-type'] = 'application/json';
    const c = this.credentials;
    if (c.kind === 'bearer') headers.authorization = `Bearer ${c.token}`;
    if (c.kind === 'cookie' && method !== 'GET') headers[CSRF_HEADER] = '1';
    try {
      return await this.fetcher(`${this.baseUrl}${routePath(name, params)}${queryOf(query)}`, {
        method,
        headers,
        credentials: c.kind === 'cookie' ? 'same-origin' : 'omit',
        ...(body === undefined ? {} : { body }),
      });
    } catch (cause) {
      if (cause instanceof TypeError && /required$/.test(cause.message)) throw cause;
      throw new NetworkError(name, cause);
    }
  }

  /**
   * Low level: reads a JSON answer and checks it against route `name`'s contract.
   * @throws ContractMismatch, NetworkError.
   */
  async readAnswer<N extends RouteName>(name: N, response: Response): Promise<CheckedAnswer<N>> {
    const { status } = response;
    if (responseSchema(name, status) === undefined)
      throw new ContractMismatch(name, status, '(status)', 'is not a status this route declares');
    let text: string;
    try {
      text = await response.text();
    } catch (cause) {
      throw new NetworkError(name, cause);
    }
    let body: unknown = null;
    if (text !== '') {
      const type = response.headers.get('content-type') ?? '';
      if (!type.includes('json'))
        throw new ContractMismatch(name, status, '(body)', `is ${type || 'untyped'}, not JSON`);
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        throw new ContractMismatch(name, status, '(body)', 'is not valid JSON');
      }
    }
    const answer = checkAnswer(name, status, body, retryAfterSeconds(response.headers.get('retry-after')));
    if (!answer.ok && answer.error.status === 401) this.options.onUnauthenticated?.(answer.error);
    return answer;
  }
}

/** A client of the MedVault API (see {@link ClientOptions}). */
export function createClient(options: ClientOptions = {}): MedVaultClient {
  return new MedVaultClient(options);
}
