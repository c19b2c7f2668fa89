import { randomBytes } from 'node:crypto';
import type { AccessScope } from '../../src/app/access/index.js';
import type { AuditEvent } from '../../src/app/audit/entry.js';
import type { LedgerAppend } from '../../src/app/audit/ledger-append.js';
import { CredentialHasher } from '../../src/app/identity/credential-hasher.js';
import { Lockout } from '../../src/app/identity/lockout.js';
import { Sessions } from '../../src/app/identity/sessions.js';
import { StaffAccounts } from '../../src/app/identity/staff-accounts.js';
import { StaffLogin } from '../../src/app/identity/staff-login.js';
import { CurrentSession } from '../../src/app/identity/current-session.js';
import { Keyring } from '../../src/app/keyring.js';
import type { Argon2Params } from '../../src/crypto/password-hash.js';
import { signMessage, type SignatureAlgorithm } from '../../src/crypto/signature.js';
import type { DbOrTx, DialectName } from '../../src/store/database.js';
import { AuditLedger } from '../../src/app/audit/ledger.js';
import { scopeOf } from '../helpers/scopes.js';
import { createTestStore, type TestStore } from '../helpers/stores.js';

/** Cheap argon2id for service tests (hashSecret accepts weak parameters; verify flags them). */
export const FAST_ARGON2: Argon2Params = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
export const GOOD_PASSWORD = 'violet-harbour-lantern-42';

/**
 * The real audit ledger, watched: each entry is appended to the ledger (so its vocabulary and
 * shape checks apply) and kept here with whether it came inside a transaction.
 */
export class RecordingAudit implements LedgerAppend {
  readonly entries: Array<AuditEvent & { inTransaction: boolean }> = [];
  constructor(private readonly ledger: AuditLedger) {}
  async append(tx: DbOrTx, entry: AuditEvent): Promise<{ seq: number }> {
    this.entries.push({ ...entry, inTransaction: tx.isTransaction });
    return this.ledger.append(tx, entry);
  }
  async appendMany(tx: DbOrTx, entries: readonly AuditEvent[]): Promise<Array<{ seq: number }>> {
    for (const entry of entries) this.entries.push({ ...entry, inTransaction: tx.isTransaction });
    return this.ledger.appendMany(tx, entries);
  }
  actions(): string[] {
    return this.entries.map((e) => e.action);
  }
}

/** A clock tests move by hand. */
export class TestClock {
  constructor(public now = Date.UTC(2030, 0, 1)) {}
  readonly read = (): number => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

export interface StaffWorld {
  readonly t: TestStore;
  readonly clock: TestClock;
  readonly audit: RecordingAudit;
  readonly sessions: Sessions;
  readonly lockout: Lockout;
  readonly keyring: Keyring;
  readonly hasher: CredentialHasher;
  readonly accounts: StaffAccounts;
  readonly login: StaffLogin;
  readonly current: CurrentSession;
  /** The first admin, as the access scope they act in (on the world's clock). */
  readonly admin: AccessScope;
  dispose(): Promise<void>;
}

/** The staff-identity services over a fresh store of `dialect`, with one clock for everything. */
export async function staffWorld(
  dialect: DialectName,
  params: Argon2Params = FAST_ARGON2,
): Promise<StaffWorld> {
  const t = await createTestStore(dialect);
  const clock = new TestClock();
  const keyring = await Keyring.open(t.store.db, randomBytes(32), t.store.location);
  const audit = new RecordingAudit(await AuditLedger.open(keyring, { clock: clock.read }));
  const sessions = new Sessions({ idleMs: 15 * 60_000, absoluteMs: 8 * 3_600_000 }, clock.read);
  const lockout = new Lockout(clock.read);
  const hasher = new CredentialHasher(keyring, params);
  const db = t.store.db;
  const accounts = new StaffAccounts({ db, sessions, hasher, audit, clock: clock.read });
  const login = new StaffLogin({ db, sessions, lockout, hasher, audit, clock: clock.read });
  const current = new CurrentSession({ db, sessions, audit });
  const first = await accounts.createAsOperator({
    role: 'admin',
    username: 'root.admin',
    displayName: 'Root Admin',
    password: GOOD_PASSWORD,
    key: { generate: 'ed25519' },
  });
  const admin = scopeOf({ userId: first.user.id, role: 'admin' }, clock.read);
  return {
    t,
    clock,
    audit,
    sessions,
    lockout,
    keyring,
    hasher,
    accounts,
    login,
    current,
    admin,
    dispose: () => t.dispose(),
  };
}

/** Signs a challenge as a client would: the UTF-8 bytes of the string exactly as returned. */
export function sign(algorithm: SignatureAlgorithm, privateKeyPem: string, challenge: string): string {
  return signMessage(algorithm, privateKeyPem, Buffer.from(challenge, 'utf8'));
}
