import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type Config, type RawSettings } from '../../src/config/config.js';
import { buildServer, type App, type ServerDeps } from '../../src/http/server.js';

export function testConfig(extra: RawSettings = {}): Config {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'medvault-http-'));
  return loadConfig({ MEDVAULT_DATA_DIR: dataDir, PORT: '0', ...extra });
}

/**
 * A server with a controllable readiness check. The real check (a database ping) is wired by the
 * lead in the serve command; here a stub stands in for it because these tests are about HTTP.
 */
export async function testServer(overrides: Partial<ServerDeps> = {}): Promise<App> {
  return buildServer({
    config: testConfig(),
    checkReady: async () => {},
    logger: false,
    ...overrides,
  });
}

export interface ErrorBody {
  error: { code: string; message: string };
}

/** Asserts the exact error shape and returns it. */
export function errorBody(payload: string): ErrorBody {
  const body = JSON.parse(payload) as unknown;
  if (
    typeof body !== 'object' ||
    body === null ||
    Object.keys(body).join() !== 'error' ||
    typeof (body as ErrorBody).error.code !== 'string' ||
    typeof (body as ErrorBody).error.message !== 'string' ||
    Object.keys((body as ErrorBody).error)
      .sort()
      .join() !== 'code,message'
  ) {
    throw new Error(`not the error shape: ${payload}`);
  }
  return body as ErrorBody;
}
