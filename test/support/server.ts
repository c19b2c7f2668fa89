import { buildServer, listen } from '../../src/http/server.js';
import type { ComposeOptions } from '../../src/app/compose.js';
import { openApp, type AppContext } from '../../src/app/context.js';
import { loadConfig, type RawSettings } from '../../src/config/config.js';
import { builtWebRoot } from '../../src/cli/paths.js';
import { CHEAP_COSTS } from './cheap-costs.js';
import type { DialectName } from '../../src/store/database.js';
import { createTestStore, tempDir } from './stores.js';

export interface TestServer {
  readonly url: string;
  readonly app: AppContext;
  readonly dataDir: string;
  close(): Promise<void>;
}

export interface TestServerOptions {
  readonly webRoot?: string;
  /** SQLite in the fresh data folder (default), or a fresh PostgreSQL schema dropped on close. */
  readonly db?: DialectName;
  /** A PostgreSQL URL of the caller's (a schema it made and drops itself); instead of `db`. */
  readonly databaseUrl?: string;
  /** Extra configuration settings, as environment variables. */
  readonly settings?: RawSettings;
  /** Composition options over the cheap costs (clock, argon2id, Paillier, limits). */
  readonly compose?: ComposeOptions;
  /** A data folder of the caller's (default: a fresh temporary one). */
  readonly dataDir?: string;
  /** Pino options (e.g. `{ stream }`) to see the logs; default: no logs. */
  readonly logger?: object;
}

/**
 * A real MedVault server on a free loopback port, started the way `medvault serve` starts one
 * (openApp: store, migrations, master key file, keyring, then the composition root) but with
 * cheap costs, over a fresh data folder (SQLite) or the given PostgreSQL URL, serving the built
 * UI when present.
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dataDir = options.dataDir ?? tempDir();
  // The server opens the schema itself (openApp migrates it); this handle only makes and drops it.
  const schema =
    options.db === 'postgres' ? await createTestStore('postgres', { migrate: false }) : undefined;
  await schema?.store.close();
  const databaseUrl = options.databaseUrl ?? schema?.databaseUrl;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    MEDVAULT_DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    // Every test client is one loopback address logging many people in: the per-address
    // credential budget (tight by default) is tested where a test sets it.
    MEDVAULT_CREDENTIAL_RATE_LIMIT: '100000',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...options.settings,
  });
  const app = await openApp(config, { ...CHEAP_COSTS, ...options.compose });
  const webRoot = options.webRoot ?? builtWebRoot();
  const server = await buildServer({
    config,
    checkReady: () => app.store.ping(),
    app,
    ...(webRoot ? { webRoot } : {}),
    logger: options.logger ?? false,
  });
  const url = await listen(server, config);
  return {
    url,
    app,
    dataDir,
    close: async () => {
      await server.close();
      await app.close();
      await schema?.dispose();
    },
  };
}
