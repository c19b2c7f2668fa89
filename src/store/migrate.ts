import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import type { Store } from './database.js';
import { migrationContext, type MigrationContext } from './migrations/context.js';
import * as m001 from './migrations/001-keyring.js';
import * as m002 from './migrations/002-ledger.js';
import * as m003 from './migrations/003-identity.js';
import * as m004 from './migrations/004-records.js';
import * as m005 from './migrations/005-prescriptions.js';
import * as m006 from './migrations/006-analytics.js';
import * as m007 from './migrations/007-grant-scope.js';
import * as m008 from './migrations/008-hospital-privacy-budget.js';
import * as m009 from './migrations/009-key-custody.js';
import * as m012 from './migrations/012-cluster.js';
import * as m014 from './migrations/014-session-epoch.js';
import * as m016 from './migrations/016-second-factors.js';
import * as m017 from './migrations/017-ledger-key-handovers.js';
import * as m018 from './migrations/018-enrolment.js';
import * as m019 from './migrations/019-approvals-staff-enrolment.js';
import * as m020 from './migrations/020-reenrolment.js';
import * as m021 from './migrations/021-patient-mrn.js';

type MigrationModule = { up: (db: Parameters<Migration['up']>[0], ctx: MigrationContext) => Promise<void> };

/** Every migration, in order. Names are permanent: never rename or reorder a shipped one. */
const MIGRATIONS: ReadonlyArray<readonly [string, MigrationModule]> = [
  ['001-keyring', m001],
  ['002-ledger', m002],
  ['003-identity', m003],
  ['004-records', m004],
  ['005-prescriptions', m005],
  ['006-analytics', m006],
  ['007-grant-scope', m007],
  ['008-hospital-privacy-budget', m008],
  ['009-key-custody', m009],
  ['012-cluster', m012],
  ['014-session-epoch', m014],
  ['016-second-factors', m016],
  ['017-ledger-key-handovers', m017],
  ['018-enrolment', m018],
  ['019-approvals-staff-enrolment', m019],
  ['020-reenrolment', m020],
  ['021-patient-mrn', m021],
];

class StaticProvider implements MigrationProvider {
  constructor(private readonly ctx: MigrationContext) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    const out: Record<string, Migration> = {};
    for (const [name, mod] of MIGRATIONS) out[name] = { up: (db) => mod.up(db, this.ctx) };
    return out;
  }
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

/**
 * Applies every pending migration (or, with `upTo`, those up to and including that one: tests
 * use it to hold data written under an older schema to the next migration); returns the names
 * applied.
 */
export async function migrateToLatest(store: Store, options: { upTo?: string } = {}): Promise<string[]> {
  // Kysely looks for its bookkeeping tables by name in every schema; on PostgreSQL, name ours
  // explicitly so two MedVault databases in one cluster (e.g. per-test schemas) never mix.
  const schema =
    store.dialect === 'postgres'
      ? (await sql<{ s: string }>`select current_schema() as s`.execute(store.db)).rows[0]?.s
      : undefined;
  const migrator = new Migrator({
    db: store.db,
    ...(schema === undefined ? {} : { migrationTableSchema: schema }),
    provider: new StaticProvider(migrationContext(store.dialect)),
    migrationTableName: 'medvault_migrations',
    migrationLockTableName: 'medvault_migrations_lock',
  });
  const { upTo } = options;
  if (upTo !== undefined && !MIGRATIONS.some(([name]) => name === upTo))
    throw new MigrationError(`no migration named ${upTo}`);
  const migrate = () => (upTo === undefined ? migrator.migrateToLatest() : migrator.migrateTo(upTo));
  let { error, results } = await migrate();
  // Kysely's migrator lists the tables of every schema in the database. On a shared PostgreSQL
  // cluster another schema can vanish or appear mid-listing ("schema … does not exist"); that is
  // about someone else's tables, not ours, so list again (the migrations run in a transaction).
  for (let retry = 0; retry < 5 && store.dialect === 'postgres' && isConcurrentDdl(error); retry++) {
    await new Promise((resolve) => setTimeout(resolve, 50 * (retry + 1)));
    ({ error, results } = await migrate());
  }
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(
      `database migration ${failed} failed: ${(error as Error).message ?? String(error)}`,
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

function isConcurrentDdl(error: unknown): boolean {
  // Also `column "timestamp" of relation "medvault_migrations" does not exist`: seen once on CI
  // while other test schemas were created and dropped around ours; a second pass succeeds.
  return (
    error instanceof Error &&
    /^((schema|relation) "[^"]+"|column "[^"]+" of relation "[^"]+") does not exist$/.test(error.message)
  );
}
