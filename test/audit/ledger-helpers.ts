import {
  sql,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
} from 'kysely';
import type { QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import type { AuditLedger } from '../../src/app/audit/ledger.js';
import type { AuditEvent } from '../../src/app/audit/entry.js';
import { encodeEntry } from '../../src/app/audit/entry.js';
import type { Keyring } from '../../src/app/keyring.js';
import { leafHashHexOfText } from '../../src/crypto/merkle-hex.js';
import type { DialectName, Db, Store } from '../../src/store/database.js';
import type { LedgerEntryRow } from '../../src/store/ledger-repository.js';
import type { TestStore } from '../support/stores.js';
import { TestClock } from '../support/clock.js';
import { openTestWorld, type TestWorld } from '../support/world.js';

export interface LedgerFixture {
  readonly t: TestStore;
  readonly db: Db;
  readonly keyring: Keyring;
  readonly ledger: AuditLedger;
  /** The whole application the ledger belongs to (a test world). */
  readonly world: TestWorld;
}

/**
 * A test world's ledger; `clock` defaults to a fixed time that advances by 1 ms at every read
 * (entries get distinct times).
 */
export async function openLedger(dialect: DialectName, clock?: TestClock): Promise<LedgerFixture> {
  const world = await openTestWorld({ db: dialect, clock: clock ?? new TestClock(1_714_000_000_000, 1) });
  return { t: world.t, db: world.db, keyring: world.keyring, ledger: world.audit.ledger, world };
}

/** A second store on the same data (another "server"), with its own ledger instance. */
export async function openSecondServer(f: LedgerFixture): Promise<{ store: Store; ledger: AuditLedger }> {
  const second = await f.world.secondServer();
  return { store: second.store, ledger: second.audit.ledger };
}

const ACTIONS = ['record.read', 'record.create', 'login.success', 'grant.create', 'break_glass'] as const;

/** A varied, valid event. */
export function event(i: number, overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    actor: i % 7 === 0 ? null : { userId: `u-${i % 5}`, role: i % 2 === 0 ? 'doctor' : 'patient' },
    action: ACTIONS[i % ACTIONS.length] as AuditEvent['action'],
    target: i % 3 === 0 ? null : { type: 'record', id: `r-${i}` },
    patientId: i % 4 === 0 ? null : `p-${i % 3}`,
    outcome: i % 11 === 0 ? 'denied' : 'success',
    details: { n: i, note: `entry "${i}" \u00e9\u2603`, list: [1, true, null] },
    ...overrides,
  };
}

export async function appendMany(ledger: AuditLedger, db: Db, count: number, from = 0): Promise<void> {
  for (let i = from; i < from + count; i++) await ledger.append(db, event(i));
}

export async function rows(db: Db): Promise<LedgerEntryRow[]> {
  return db.selectFrom('ledger_entries').selectAll().orderBy('seq').execute();
}

/** Recomputes a row's leaf hash from its columns (what an attacker without the MAC key can do). */
export const recomputedLeaf = (row: LedgerEntryRow): string =>
  leafHashHexOfText(encodeEntry(row, row.prev_hash));

/** Runs raw SQL against the store, as an attacker with database access would. */
export async function raw(db: Db, query: ReturnType<typeof sql>): Promise<void> {
  await query.execute(db);
}

/**
 * Counts the statements a Kysely instance executes and the rows they return (per result, since
 * transformQuery also sees sub-queries such as the parts of a UNION).
 */
export class QueryCounter implements KyselyPlugin {
  queries = 0;
  rows = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.queries++;
    this.rows += args.result.rows.length;
    return args.result;
  }
}
