import { splitMasterKey } from '../../src/app/custody/index.js';
import { openApp, openVault } from '../../src/app/context.js';
import type { AppContext } from '../../src/app/context.js';
import type { SealedVault } from '../../src/app/custody/index.js';
import { loadConfig, type Config, type RawSettings } from '../../src/config/config.js';
import { buildSealedServer } from '../../src/http/sealed-server.js';
import { buildServer, listen } from '../../src/http/server.js';
import type { DialectName } from '../../src/store/database.js';
import { CHEAP_COSTS } from './cheap-costs.js';
import { TEST_MASTER_KEY_B64 } from './master-key.js';
import { createTestStore } from './stores.js';

/** A data folder (and PostgreSQL schema) whose master key is split between officers. */
export interface SplitData {
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  /** The officers' shares, in index order. */
  readonly shares: string[];
  readonly settings: RawSettings;
  dispose(): Promise<void>;
}

/** Creates a store under the test master key, then splits that key into `n` shares, `k` of which unseal. */
export async function splitTestData(db: DialectName, n = 3, k = 2): Promise<SplitData> {
  const t = await createTestStore(db, { migrate: false });
  await t.store.close();
  const settings: RawSettings = {
    MEDVAULT_DATA_DIR: t.dataDir,
    LOG_LEVEL: 'silent',
    ...(t.databaseUrl === undefined ? {} : { DATABASE_URL: t.databaseUrl }),
  };
  const app = await openApp(
    loadConfig({ ...settings, MEDVAULT_MASTER_KEY: TEST_MASTER_KEY_B64 }),
    CHEAP_COSTS,
  );
  try {
    const { shares } = await app.keyring.withMasterKey((key) => splitMasterKey(app.store.db, key, n, k));
    return { dataDir: t.dataDir, databaseUrl: t.databaseUrl, shares, settings, dispose: () => t.dispose() };
  } finally {
    await app.close();
  }
}

export interface SealedTestServer {
  readonly url: string;
  readonly config: Config;
  readonly vault: SealedVault<AppContext>;
  close(): Promise<void>;
}

/** `medvault serve` on split data: the sealed server, cheap costs, a free port. */
export async function startSealedTestServer(
  data: SplitData,
  extra: RawSettings = {},
): Promise<SealedTestServer> {
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', ...data.settings, ...extra });
  const opened = await openVault(config, CHEAP_COSTS);
  if (!opened.sealed) throw new Error('expected a sealed start');
  const { vault } = opened;
  const server = await buildSealedServer({
    config,
    vault,
    logger: false,
    buildFull: () => {
      const app = vault.result as AppContext;
      return buildServer({ config, checkReady: () => app.store.ping(), app, logger: false });
    },
  });
  const url = await listen(server, config);
  return {
    url,
    config,
    vault,
    close: async () => {
      await server.close();
      await opened.close();
    },
  };
}
