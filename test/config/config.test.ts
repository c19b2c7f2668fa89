import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, settingsFromEnv } from '../../src/config/config.js';

const key = Buffer.alloc(32, 7).toString('base64');

describe('configuration', () => {
  it('has safe defaults: port 3000 on loopback, ./.medvault, SQLite, key file', () => {
    const c = loadConfig({}, '/srv/app');
    expect(c).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: '/srv/app/.medvault',
      logLevel: 'info',
    });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.masterKey).toBeUndefined();
    expect(c.tls).toBeUndefined();
  });

  it('reads every setting', () => {
    const c = loadConfig(
      {
        PORT: '8080',
        HOST: '0.0.0.0',
        MEDVAULT_DATA_DIR: 'data',
        DATABASE_URL: 'postgres://u@db:5432/mv',
        MEDVAULT_MASTER_KEY: key,
        LOG_LEVEL: 'warn',
        MEDVAULT_BODY_LIMIT: '2048',
        MEDVAULT_TLS_CERT: 'c.pem',
        MEDVAULT_TLS_KEY: 'k.pem',
      },
      '/x',
    );
    expect(c.port).toBe(8080);
    expect(c.dataDir).toBe(path.resolve('/x/data'));
    expect(c.databaseUrl).toBe('postgres://u@db:5432/mv');
    expect(c.masterKey?.equals(Buffer.alloc(32, 7))).toBe(true);
    expect(c.bodyLimit).toBe(2048);
    expect(c.tls).toEqual({ certFile: '/x/c.pem', keyFile: '/x/k.pem' });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['LOG_LEVEL', 'loud'],
    ['DATABASE_URL', 'mysql://x'],
    ['DATABASE_URL', 'not a url'],
    ['MEDVAULT_MASTER_KEY', 'c2hvcnQ='],
    ['MEDVAULT_MASTER_KEY', '!!!notbase64!!!'],
    ['MEDVAULT_BODY_LIMIT', '0'],
    ['MEDVAULT_TLS_CERT', 'only-cert.pem'],
    ['MEDVAULT_PUBLIC_ORIGIN', 'medvault.example'],
    ['MEDVAULT_PUBLIC_ORIGIN', 'ftp://medvault.example'],
    ['MEDVAULT_PUBLIC_ORIGIN', 'https://medvault.example/app'],
    ['MEDVAULT_PUBLIC_ORIGIN', 'https://user@medvault.example'],
  ] as const)('names %s when it is %j and says what is expected', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const e = error as ConfigError;
    expect(e.setting).toBe(name === 'MEDVAULT_TLS_CERT' ? 'MEDVAULT_TLS_KEY' : name);
    expect(e.message).toMatch(/^invalid setting \S+: expected .+/);
    expect(e.message).not.toContain('\n');
  });

  it('reads the public origin as browsers write location.origin (default: each request its own)', () => {
    expect(loadConfig({}).publicOrigin).toBeUndefined();
    expect(loadConfig({ MEDVAULT_PUBLIC_ORIGIN: 'https://MedVault.Example:443/' }).publicOrigin).toBe(
      'https://medvault.example',
    );
    expect(loadConfig({ MEDVAULT_PUBLIC_ORIGIN: 'http://10.0.0.5:8080' }).publicOrigin).toBe(
      'http://10.0.0.5:8080',
    );
  });

  it('treats empty values as unset and ignores unknown variables', () => {
    expect(loadConfig({ PORT: '' }).port).toBe(3000);
    expect(settingsFromEnv({ PORT: '1', HOME: '/root' })).toEqual({ PORT: '1' });
  });
});
