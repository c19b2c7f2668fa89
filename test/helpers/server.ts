import { buildServer, listen } from '../../src/http/server.js';
import { openApp, type AppContext } from '../../src/app/context.js';
import { loadConfig } from '../../src/config/config.js';
import { builtWebRoot } from '../../src/cli/paths.js';
import { tempDir } from './stores.js';

export interface TestServer {
  readonly url: string;
  readonly app: AppContext;
  close(): Promise<void>;
}

/**
 * A real MedVault server on a free loopback port, over a fresh data folder (SQLite) or the
 * given PostgreSQL URL, serving the built UI when present.
 */
export async function startTestServer(
  options: { webRoot?: string; databaseUrl?: string } = {},
): Promise<TestServer> {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    MEDVAULT_DATA_DIR: tempDir(),
    LOG_LEVEL: 'silent',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
  });
  const app = await openApp(config);
  const webRoot = options.webRoot ?? builtWebRoot();
  const server = await buildServer({
    config,
    checkReady: () => app.store.ping(),
    app,
    ...(webRoot ? { webRoot } : {}),
    logger: false,
  });
  const url = await listen(server, config);
  return {
    url,
    app,
    close: async () => {
      await server.close();
      await app.close();
    },
  };
}
