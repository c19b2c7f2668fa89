import type { JsonAnswer } from './json-answer.js';
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Actor, Role } from '../../src/app/actor.js';
import type { AppContext } from '../../src/app/context.js';
import { eventColumns, type AuditEvent } from '../../src/app/audit/entry.js';
import { DataKeys } from '../../src/app/data-keys.js';
import { AppError } from '../../src/app/errors.js';
import { Lockout } from '../../src/app/identity/lockout.js';
import type { LedgerAppend } from '../../src/app/audit/ledger-append.js';
import type { AccessScope } from '../../src/app/access/index.js';
import { createPatientServices, type PatientServices } from '../../src/app/identity/patient-services.js';
import type { PatientRegistration } from '../../src/app/identity/patients.js';
import { Sessions } from '../../src/app/identity/sessions.js';
import { Keyring } from '../../src/app/keyring.js';
import type { Argon2Params } from '../../src/crypto/password-hash.js';
import type { DbOrTx, DialectName } from '../../src/store/database.js';
import { scopeOf } from './scopes.js';
import { createTestStore, type TestStore } from './stores.js';

/** Cheap argon2id for service tests (hashSecret accepts weak parameters for tests). */
export const CHEAP_ARGON2: Argon2Params = { memoryCost: 1024, timeCost: 1, parallelism: 1 };
export const PATIENT_PASSWORD = 'amber-kettle-orchard-1987';

/**
 * A ledger stand-in: checks every event against the real ledger's rules (closed action list,
 * JSON details, id shapes) and keeps it, noting whether it came inside a transaction.
 */
export class CheckedAudit implements LedgerAppend {
  readonly entries: Array<AuditEvent & { inTransaction: boolean }> = [];
  append(tx: DbOrTx, event: AuditEvent): Promise<{ seq: number }> {
    eventColumns(event);
    this.entries.push({ ...event, inTransaction: tx.isTransaction });
    return Promise.resolve({ seq: this.entries.length - 1 });
  }
  async appendMany(tx: DbOrTx, events: readonly AuditEvent[]): Promise<Array<{ seq: number }>> {
    const out: Array<{ seq: number }> = [];
    for (const e of events) out.push(await this.append(tx, e));
    return out;
  }
  actions(): string[] {
    return this.entries.map((e) => e.action);
  }
}

/** A clock tests move by hand. */
export class ManualClock {
  constructor(public now = Date.UTC(2030, 0, 1)) {}
  readonly read = (): number => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

/** A random well-formed SSN (tests register many; collisions are 1 in 10^9). */
export function randomSsn(): string {
  const d = (n: number): string => String(randomInt(10 ** n)).padStart(n, '0');
  return `${d(3)}-${d(2)}-${d(4)}`;
}

/** A valid registration; override any field. */
export function registration(over: Partial<PatientRegistration> = {}): PatientRegistration {
  return {
    ssn: randomSsn(),
    fullName: `Ada Quill ${randomBytes(3).toString('hex')}`,
    dateOfBirth: '1984-07-19',
    pin: '482915',
    password: PATIENT_PASSWORD,
    smokingStatus: 'former',
    ...over,
  };
}

/** Inserts an active staff account directly (no key, no password: these tests never log staff in). */
export async function insertStaff(
  db: DbOrTx,
  role: Exclude<Role, 'patient'>,
  displayName = `Staff ${role}`,
): Promise<Actor> {
  const id = randomUUID();
  const now = Date.now();
  await db
    .insertInto('users')
    .values({
      id,
      role,
      username: `${role}.${id.slice(0, 8)}`,
      display_name: displayName,
      status: 'active',
      password_hash: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return { userId: id, role };
}

/** The patient and sharing services over a fresh store of `dialect`, one clock for everything. */
export interface PatientWorld extends PatientServices {
  readonly t: TestStore;
  readonly db: TestStore['store']['db'];
  readonly clock: ManualClock;
  readonly audit: CheckedAudit;
  readonly sessions: Sessions;
  readonly keyring: Keyring;
  /** The same services over the same store, keyring and clock, with other argon2 parameters. */
  withArgon2(argon2: Argon2Params): PatientServices;
  /** The access scope of `caller`, deciding as of the world's clock. */
  as(caller: Actor): AccessScope;
  /** Staff, each as the access scope they act in (on the world's clock). */
  readonly registrar: AccessScope;
  readonly admin: AccessScope;
  readonly doctor: AccessScope;
  readonly pharmacist: AccessScope;
  dispose(): Promise<void>;
}

export async function patientWorld(
  dialect: DialectName,
  argon2: Argon2Params = CHEAP_ARGON2,
): Promise<PatientWorld> {
  const t = await createTestStore(dialect);
  const db = t.store.db;
  const clock = new ManualClock();
  const audit = new CheckedAudit();
  const keyring = await Keyring.open(db, randomBytes(32), t.store.location);
  const sessions = new Sessions({ idleMs: 15 * 60_000, absoluteMs: 8 * 3_600_000 }, clock.read);
  const dataKeys = new DataKeys(keyring);
  const lockout = new Lockout(clock.read);
  const withArgon2 = (params: Argon2Params): PatientServices =>
    createPatientServices({
      db,
      keyring,
      dataKeys,
      sessions,
      lockout,
      audit,
      argon2: params,
      clock: clock.read,
    });
  return {
    ...withArgon2(argon2),
    withArgon2,
    t,
    db,
    clock,
    audit,
    sessions,
    keyring,
    as: (caller) => scopeOf(caller, clock.read),
    registrar: scopeOf(await insertStaff(db, 'registrar'), clock.read),
    admin: scopeOf(await insertStaff(db, 'admin'), clock.read),
    doctor: scopeOf(await insertStaff(db, 'doctor', 'Dr Grey'), clock.read),
    pharmacist: scopeOf(await insertStaff(db, 'pharmacist'), clock.read),
    dispose: () => t.dispose(),
  };
}

/** A session token for `actor` on a live server (staff log in with keys; tests skip that). */
export async function tokenFor(app: AppContext, actor: Actor): Promise<string> {
  return (await app.sessions.create(app.store.db, actor)).token;
}

/** Awaits a rejection and checks it is an AppError of `kind` (and `code`). Returns it. */
export async function rejectsWith(p: Promise<unknown>, kind: string, code?: string): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).kind).toBe(kind);
  if (code !== undefined) expect((err as AppError).code).toBe(code);
  return err as AppError;
}

/** Every value of every row as searchable text: strings as is, buffers as UTF-8 and latin1. */
export function rowText(rows: ReadonlyArray<Record<string, unknown>>): string {
  return rows
    .flatMap((row) =>
      Object.values(row).map((v) =>
        Buffer.isBuffer(v)
          ? `${v.toString('utf8')}\n${v.toString('latin1')}\n${v.toString('hex')}`
          : String(v),
      ),
    )
    .join('\n');
}

export interface Answer {
  status: number;
  body: JsonAnswer;
  headers: Headers;
}

/** A JSON caller for a live server. */
export function jsonCaller(baseUrl: string) {
  return async (
    method: string,
    path: string,
    options: { body?: unknown; raw?: string; token?: string } = {},
  ): Promise<Answer> => {
    const headers: Record<string, string> = {};
    if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
    const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(baseUrl + path, { method, headers, body });
    const text = await res.text();
    const parsed: JsonAnswer = text.length > 0 ? JSON.parse(text) : undefined;
    return { status: res.status, body: parsed, headers: res.headers };
  };
}
