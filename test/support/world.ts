import type { AccessScope } from '../../src/app/access/index.js';
import type { Actor } from '../../src/app/actor.js';
import { composeApp, type AppServices, type ComposeOptions } from '../../src/app/compose.js';
import type { AppContext } from '../../src/app/context.js';
import { Keyring } from '../../src/app/keyring.js';
import { loadConfig, type RawSettings } from '../../src/config/config.js';
import { openStore, type Db, type DialectName, type Store } from '../../src/store/database.js';
import { CHEAP_COSTS } from './cheap-costs.js';
import { TestClock } from './clock.js';
import { LedgerRecorder } from './ledger-recorder.js';
import { TEST_MASTER_KEY, TEST_MASTER_KEY_B64 } from './master-key.js';
import { insertStaff } from './people.js';
import { scopeOf } from './scopes.js';
import { createTestStore, type TestStore } from './stores.js';

export interface TestWorldOptions {
  /** The store: a fresh SQLite folder (default) or a fresh PostgreSQL schema. */
  readonly db?: DialectName;
  /** The world's time (default: a TestClock at 2030-01-01 that moves only when told). */
  readonly clock?: TestClock;
  /** Configuration settings, as environment variables (budget, session lengths, limits…). */
  readonly settings?: RawSettings;
  /** Overrides of the cheap costs (argon2id, Paillier bits, limits); the clock is `clock`'s. */
  readonly compose?: Omit<ComposeOptions, 'clock'>;
  /** Inserts a registrar, an admin, a doctor ("Dr Grey") and a pharmacist (ids only, no credentials). */
  readonly staff?: boolean;
}

/** The staff a world with `staff: true` starts with, each as the access scope they act in. */
export interface StaffActors {
  readonly registrar: AccessScope;
  readonly admin: AccessScope;
  readonly doctor: AccessScope;
  readonly pharmacist: AccessScope;
}

/**
 * A running application for service tests, built the way start-up builds one: a migrated store
 * and the keyring under the test master key, then the composition root — with cheap costs and
 * the world's clock. Every context is there (`w.identity.patients`, `w.records.records`, …), as
 * on AppContext.
 */
export interface TestWorld extends AppContext {
  readonly t: TestStore;
  readonly db: Db;
  readonly clock: TestClock;
  /** Every ledger entry the services appended, in order (the ledgers of `recompose` too). */
  readonly recorder: LedgerRecorder;
  /** The access scope `actor` acts in, deciding at the world's time (what the auth hook builds). */
  as(actor: Actor): AccessScope;
  /** The options the world was composed with. */
  readonly options: ComposeOptions;
  /** The contexts composed again over the same store, keyring and clock, with other options. */
  recompose(options: Omit<ComposeOptions, 'clock'>): Promise<AppServices>;
  /**
   * Another "server" on the same database: its own store handle, keyring and composition (same
   * master key, options and clock), closed with the world.
   */
  secondServer(): Promise<AppServices & { readonly store: Store }>;
  dispose(): Promise<void>;
}

export async function openTestWorld(
  options: TestWorldOptions & { staff: true },
): Promise<TestWorld & { staff: StaffActors }>;
export async function openTestWorld(options?: TestWorldOptions): Promise<TestWorld>;
export async function openTestWorld(
  options: TestWorldOptions = {},
): Promise<TestWorld & { staff?: StaffActors }> {
  const t = await createTestStore(options.db ?? 'sqlite');
  const clock = options.clock ?? new TestClock();
  const config = loadConfig({
    MEDVAULT_DATA_DIR: t.dataDir,
    MEDVAULT_MASTER_KEY: TEST_MASTER_KEY_B64,
    LOG_LEVEL: 'silent',
    ...(t.databaseUrl === undefined ? {} : { DATABASE_URL: t.databaseUrl }),
    ...options.settings,
  });
  const composeOptions: ComposeOptions = { ...CHEAP_COSTS, ...options.compose, clock: clock.read };
  const recorder = new LedgerRecorder();
  const toClose: Array<() => Promise<void>> = [];
  const compose = async (store: Store, keyring: Keyring, over: ComposeOptions): Promise<AppServices> => {
    const services = await composeApp(store, keyring, config, over);
    recorder.watch(services.audit.ledger);
    toClose.push(() => services.close());
    return services;
  };
  const keyring = await Keyring.open(t.store.db, TEST_MASTER_KEY, t.store.location);
  const services = await compose(t.store, keyring, composeOptions);
  const dispose = async (): Promise<void> => {
    for (const close of toClose.reverse()) await close();
    toClose.length = 0;
    await t.dispose();
  };
  const world: TestWorld = {
    ...services,
    config,
    store: t.store,
    keyring,
    startup: { migrationsApplied: [], masterKeyCreated: false, masterKeyOrigin: 'test' },
    close: dispose,
    t,
    db: t.store.db,
    clock,
    recorder,
    options: composeOptions,
    as: (actor) => scopeOf(actor, clock.read),
    recompose: (over) => compose(t.store, keyring, { ...composeOptions, ...over, clock: clock.read }),
    secondServer: async () => {
      const store = openStore({ databaseUrl: t.databaseUrl, dataDir: t.dataDir });
      toClose.push(() => store.close());
      const second = await compose(
        store,
        await Keyring.open(store.db, TEST_MASTER_KEY, 'test-2'),
        composeOptions,
      );
      return { ...second, store };
    },
    dispose,
  };
  if (options.staff !== true) return world;
  const db = t.store.db;
  return {
    ...world,
    staff: {
      registrar: world.as(await insertStaff(db, 'registrar')),
      admin: world.as(await insertStaff(db, 'admin')),
      doctor: world.as(await insertStaff(db, 'doctor', 'Dr Grey')),
      pharmacist: world.as(await insertStaff(db, 'pharmacist')),
    },
  };
}

/** A world opened with `staff: true`. */
export type StaffedWorld = TestWorld & { readonly staff: StaffActors };
