import { generateSigningKeyPair } from '../../src/crypto/signature.js';
import { afterAll, beforeAll, expect } from 'vitest';
import type { DialectName } from '../../src/store/database.js';
import type { SignatureAlgorithm } from '../../src/crypto/signature.js';
import { GOOD_PASSWORD, sign } from '../support/people.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { text, type JsonAnswer } from '../support/json-answer.js';

export interface Answer {
  status: number;
  body: JsonAnswer;
  headers: Headers;
}

export interface CallOptions {
  body?: unknown;
  /** Raw text sent as the body (for malformed JSON). */
  raw?: string;
  token?: string;
  cookie?: string;
  csrf?: boolean;
}

/** A live server on `dialect` (a fresh PostgreSQL schema when postgres) and a JSON caller. */
export async function liveServer(
  dialect: DialectName,
): Promise<{ server: TestServer; call: Caller; dispose(): Promise<void> }> {
  const server = await startTestServer({ db: dialect });
  const call = caller(server.url);
  return {
    server,
    call,
    dispose: () => server.close(),
  };
}

export type Caller = (method: string, path: string, options?: CallOptions) => Promise<Answer>;

export function caller(baseUrl: string): Caller {
  return async (method, path, options = {}) => {
    const headers: Record<string, string> = {};
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.cookie) headers.cookie = options.cookie;
    if (options.csrf) headers['x-medvault-csrf'] = '1';
    let body: string | undefined;
    if (options.raw !== undefined) body = options.raw;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(baseUrl + path, { method, headers, body });
    const text = await res.text();
    return { status: res.status, body: text.length > 0 ? JSON.parse(text) : undefined, headers: res.headers };
  };
}

/** Challenge, sign and log in over HTTP. */
export async function httpLogin(
  call: Caller,
  username: string,
  password: string,
  key: { algorithm: SignatureAlgorithm; privateKeyPem: string },
): Promise<Answer> {
  const ch = await call('POST', '/api/v1/auth/staff/challenge', { body: { username } });
  if (ch.status !== 200) return ch;
  const signature = sign(key.algorithm, key.privateKeyPem, ch.body.challenge);
  return call('POST', '/api/v1/auth/staff/login', {
    body: { username, password, challengeId: ch.body.challengeId, signature },
  });
}

export interface Staff {
  id: string;
  username: string;
  key: { algorithm: SignatureAlgorithm; privateKeyPem: string; keyId: string };
}

/** A live server with a logged-in admin, shared by one describe block, and helpers over it. */
export interface StaffServer {
  readonly server: TestServer;
  readonly call: Caller;
  readonly adminToken: string;
  /** A second admin's session: the approver of the two-person rule. */
  readonly secondAdminToken: string;
  /** A fresh staff account made by the admin over HTTP (a generated key pair). */
  newStaff(role?: string, generateKey?: 'ed25519' | 'rsa'): Promise<Staff>;
  loginAs(s: Staff, password?: string): Promise<Answer>;
  /** Ledger entries (the real AuditLedger) of `action` about `targetId`. */
  ledger(
    action: string,
    targetId: string,
  ): Promise<Awaited<ReturnType<TestServer['app']['audit']['ledger']['entries']>>['entries']>;
}

/** Registers beforeAll/afterAll for a server on `dialect`; read the fields inside tests only. */
export function useStaffServer(dialect: DialectName): StaffServer {
  let live: Awaited<ReturnType<typeof liveServer>>;
  let adminToken = '';
  let secondToken = '';
  let serial = 0;
  beforeAll(async () => {
    live = await liveServer(dialect);
    const created = await live.server.app.identity.staffAccounts.createAsOperator({
      role: 'admin',
      username: 'root.admin',
      displayName: 'Root Admin',
      password: GOOD_PASSWORD,
      key: { generate: 'ed25519' },
    });
    const res = await httpLogin(live.call, 'root.admin', GOOD_PASSWORD, {
      algorithm: 'ed25519',
      privateKeyPem: created.privateKeyPem!,
    });
    expect(res.status).toBe(200);
    adminToken = text(res.body.token);
    // The second person of the two-person rule.
    const second = await live.server.app.identity.staffAccounts.createAsOperator({
      role: 'admin',
      username: 'second.admin',
      displayName: 'Second Admin',
      password: GOOD_PASSWORD,
      key: { generate: 'ed25519' },
    });
    const res2 = await httpLogin(live.call, 'second.admin', GOOD_PASSWORD, {
      algorithm: 'ed25519',
      privateKeyPem: second.privateKeyPem!,
    });
    secondToken = text(res2.body.token);
  });
  afterAll(async () => {
    await live.dispose();
  });
  const h: StaffServer = {
    get server() {
      return live.server;
    },
    get call() {
      return live.call;
    },
    get adminToken() {
      return adminToken;
    },
    get secondAdminToken() {
      return secondToken;
    },
    async newStaff(role = 'doctor', generateKey = 'ed25519') {
      const username = `${role}.${++serial}`;
      const res = await live.call('POST', '/api/v1/admin/users', {
        token: adminToken,
        body: { role, username, displayName: `Test ${username}` },
      });
      expect(res.status).toBe(201);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const algorithm = generateKey === 'rsa' ? 'rsa-pkcs1-sha256' : 'ed25519';
      // The holder enrols (their own password, a key made on their side); a second admin approves.
      const pair = generateSigningKeyPair(algorithm);
      const enrolled = await live.call('POST', '/api/v1/auth/staff/enrol', {
        body: {
          inviteCode: text(res.body.invite?.code),
          password: GOOD_PASSWORD,
          publicKeyPem: pair.publicKeyPem,
        },
      });
      expect(enrolled.status).toBe(201);
      const approved = await live.call('POST', `/api/v1/approvals/${text(res.body.approvalId)}/approve`, {
        token: secondToken,
      });
      expect(approved.status).toBe(200);
      return {
        id: text(res.body.user?.id),
        username,
        key: { algorithm, privateKeyPem: pair.privateKeyPem, keyId: text(enrolled.body.keyId) },
      };
    },
    loginAs: (s, password = GOOD_PASSWORD) => httpLogin(live.call, s.username, password, s.key),
    ledger: async (action, targetId) =>
      (
        await live.server.app.audit.ledger.entries(
          live.server.app.store.db,
          { action, targetId },
          { limit: 200 },
        )
      ).entries,
  };
  return h;
}
