import { createPrivateKey, sign } from 'node:crypto';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/**
 * A small typed client for the MedVault HTTP API, shared by `medvault demo` and `medvault
 * console`. It speaks only HTTP (like any outside client would) and checks every answer it
 * parses against a TypeBox schema, so a changed API fails loudly here instead of printing
 * `undefined` in a demo that claims to prove something.
 */

/** An answer whose status was not the one expected: carries the API's error code. */
export class UnexpectedAnswer extends Error {
  override readonly name = 'UnexpectedAnswer';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    /** The `error.code` of the body, when it had the documented error shape. */
    readonly code: string | undefined,
    detail: string,
  ) {
    super(`${method} ${path} answered ${status}${code === undefined ? '' : ` ${code}`}: ${detail}`);
  }
}

/** An answer with the expected status whose body does not match its documented schema. */
export class MalformedAnswer extends Error {
  override readonly name = 'MalformedAnswer';
}

export interface Answer {
  readonly status: number;
  /** Parsed JSON, or undefined for an empty or non-JSON body. */
  readonly body: unknown;
  readonly headers: Headers;
}

export interface SendOptions {
  readonly token?: string | undefined;
  readonly json?: unknown;
  readonly form?: FormData;
}

const ErrorBody = Type.Object({ error: Type.Object({ code: Type.String(), message: Type.String() }) });

/** The `error.code` of an answer, if it has the documented error shape. */
export function errorCode(answer: Answer): string | undefined {
  return Value.Check(ErrorBody, answer.body) ? answer.body.error.code : undefined;
}

function errorMessage(answer: Answer): string {
  return Value.Check(ErrorBody, answer.body) ? answer.body.error.message : '(no error body)';
}

export class ApiClient {
  constructor(readonly baseUrl: string) {}

  /** Sends a request and returns whatever came back (never throws on a status). */
  async send(method: string, path: string, options: SendOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    let body: string | FormData | undefined;
    if (options.form !== undefined) body = options.form;
    else if (options.json !== undefined) {
      body = JSON.stringify(options.json);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(this.baseUrl + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown;
    if (text.length > 0 && (res.headers.get('content-type') ?? '').includes('json')) {
      try {
        parsed = JSON.parse(text) as unknown;
      } catch {
        parsed = undefined;
      }
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  /**
   * Sends a request that must answer `status` with a body matching `schema`.
   * @throws UnexpectedAnswer for another status; MalformedAnswer for a body off its schema.
   */
  async expect<S extends TSchema>(
    schema: S,
    status: number | readonly number[],
    method: string,
    path: string,
    options: SendOptions = {},
  ): Promise<Static<S>> {
    const answer = await this.send(method, path, options);
    const wanted = typeof status === 'number' ? [status] : status;
    if (!wanted.includes(answer.status))
      throw new UnexpectedAnswer(method, path, answer.status, errorCode(answer), errorMessage(answer));
    const first = Value.Errors(schema, answer.body).First();
    if (first !== undefined)
      throw new MalformedAnswer(`${method} ${path}: answer${first.path} ${first.message}`);
    return answer.body as Static<S>;
  }

  /** A request that must answer `status` with no body we need. @throws UnexpectedAnswer */
  async expectStatus(status: number, method: string, path: string, options: SendOptions = {}): Promise<void> {
    const answer = await this.send(method, path, options);
    if (answer.status !== status)
      throw new UnexpectedAnswer(method, path, answer.status, errorCode(answer), errorMessage(answer));
  }

  /** Downloads bytes (an attachment). */
  async bytes(path: string, token: string): Promise<{ status: number; bytes: Buffer; contentType: string }> {
    const res = await fetch(this.baseUrl + path, { headers: { authorization: `Bearer ${token}` } });
    const bytes = Buffer.from(await res.arrayBuffer());
    return { status: res.status, bytes, contentType: res.headers.get('content-type') ?? '' };
  }
}

export const SessionUser = Type.Object({
  id: Type.String(),
  role: Type.String(),
  username: Type.Union([Type.String(), Type.Null()]),
  displayName: Type.Union([Type.String(), Type.Null()]),
});
export const LoginAnswer = Type.Object({ token: Type.String({ minLength: 1 }), user: SessionUser });
export type Session = Static<typeof LoginAnswer>;

const Challenge = Type.Object({ challengeId: Type.String(), challenge: Type.String() });

/** The body of POST /auth/staff/login, kept whole so the replay attack can send it again. */
export interface StaffLoginBody {
  readonly username: string;
  readonly password: string;
  readonly challengeId: string;
  readonly signature: string;
}

/**
 * Signs the UTF-8 bytes of a login challenge exactly as returned: Ed25519 for an Ed25519 key,
 * RSASSA-PKCS1-v1_5 with SHA-256 for an RSA key. The private key stays in this process.
 */
export function signChallenge(privateKeyPem: string, challenge: string): string {
  const key = createPrivateKey({ key: privateKeyPem, format: 'pem' });
  const data = Buffer.from(challenge, 'utf8');
  const algorithm = key.asymmetricKeyType === 'ed25519' ? null : 'sha256';
  return sign(algorithm, data, key).toString('base64');
}

/** Asks for a challenge and signs it: a login body ready to send. */
export async function staffLoginBody(
  api: ApiClient,
  username: string,
  password: string,
  privateKeyPem: string,
): Promise<StaffLoginBody> {
  const ch = await api.expect(Challenge, 200, 'POST', '/api/v1/auth/staff/challenge', { json: { username } });
  return {
    username,
    password,
    challengeId: ch.challengeId,
    signature: signChallenge(privateKeyPem, ch.challenge),
  };
}

/** Staff login: password plus a signature of a fresh challenge. @throws UnexpectedAnswer */
export async function staffLogin(
  api: ApiClient,
  username: string,
  password: string,
  privateKeyPem: string,
): Promise<Session> {
  const body = await staffLoginBody(api, username, password, privateKeyPem);
  return api.expect(LoginAnswer, 200, 'POST', '/api/v1/auth/staff/login', { json: body });
}

/** Patient login with SSN, PIN and password. @throws UnexpectedAnswer */
export function patientLogin(
  api: ApiClient,
  credentials: { ssn: string; pin: string; password: string },
): Promise<Session> {
  const { ssn, pin, password } = credentials;
  return api.expect(LoginAnswer, 200, 'POST', '/api/v1/auth/patient/login', { json: { ssn, pin, password } });
}

const OpenApi = Type.Object({ paths: Type.Record(Type.String(), Type.Unknown()) });

/** The "METHOD /path" operations the server documents in /api/openapi.json (paths as `:id`). */
export async function documentedRoutes(api: ApiClient): Promise<Set<string>> {
  const doc = await api.expect(OpenApi, 200, 'GET', '/api/openapi.json');
  const out = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    if (typeof item !== 'object' || item === null) continue;
    for (const method of Object.keys(item))
      out.add(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
  }
  return out;
}
