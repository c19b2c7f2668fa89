import fs from 'node:fs';
import type { RawSettings } from '../../src/config/config.js';
import type { ComposeOptions } from '../../src/app/compose.js';
import { TEST_MASTER_KEY_B64 } from './master-key.js';
import { startTestServer, type TestServer } from './server.js';
import { createTestStore } from './stores.js';

/** Several MedVault servers over ONE fresh PostgreSQL schema (each with its own data folder). */
export interface TestCluster {
  readonly servers: TestServer[];
  /** The schema's URL, for another process or a direct look. */
  readonly databaseUrl: string;
  close(): Promise<void>;
}

/**
 * Starts `n` servers the way a hospital runs them behind a proxy: one PostgreSQL database, one
 * master key (from the environment, as deploys do), a data folder each.
 */
export async function startTestCluster(
  n: number,
  options: { settings?: RawSettings; compose?: ComposeOptions } = {},
): Promise<TestCluster> {
  const schema = await createTestStore('postgres', { migrate: false });
  await schema.store.close();
  const databaseUrl = schema.databaseUrl ?? '';
  const servers: TestServer[] = [];
  try {
    // One after the other: the first migrates the schema and creates the keyring.
    for (let i = 0; i < n; i++) {
      servers.push(
        await startTestServer({
          databaseUrl,
          settings: { MEDVAULT_MASTER_KEY: TEST_MASTER_KEY_B64, ...options.settings },
          ...(options.compose === undefined ? {} : { compose: options.compose }),
        }),
      );
    }
  } catch (err) {
    for (const s of servers) await s.close();
    await schema.dispose();
    throw err;
  }
  return {
    servers,
    databaseUrl,
    close: async () => {
      for (const s of servers) {
        await s.close();
        fs.rmSync(s.dataDir, { recursive: true, force: true });
      }
      await schema.dispose();
    },
  };
}
