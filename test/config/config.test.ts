import os from 'node:os';
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

  it('bounds credential work tightly by default (issue 15, findings 3 and 4), and reads the bounds', () => {
    const c = loadConfig({});
    expect(c.credentialRateLimitPerMinute).toBe(10);
    expect(c.credentialHashing).toEqual({ concurrency: os.availableParallelism(), queue: 16 });
    expect(c.patientLockMaxMinutes).toBe(15);
    const set = loadConfig({
      MEDVAULT_CREDENTIAL_RATE_LIMIT: '120',
      MEDVAULT_HASH_CONCURRENCY: '3',
      MEDVAULT_HASH_QUEUE: '0',
      MEDVAULT_PATIENT_LOCK_MAX_MINUTES: '5',
    });
    expect(set.credentialRateLimitPerMinute).toBe(120);
    expect(set.credentialHashing).toEqual({ concurrency: 3, queue: 0 });
    expect(set.patientLockMaxMinutes).toBe(5);
    for (const [name, value] of [
      ['MEDVAULT_HASH_CONCURRENCY', '0'],
      ['MEDVAULT_CREDENTIAL_RATE_LIMIT', '0'],
      ['MEDVAULT_PATIENT_LOCK_MAX_MINUTES', '1441'],
      ['MEDVAULT_HASH_QUEUE', '-1'],
    ] as const)
      expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
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

describe('audit checkpoint settings', () => {
  const witnessKey = `witness.example/w1+0123abcd+${Buffer.concat([Buffer.from([4]), Buffer.alloc(32, 9)]).toString('base64')}`;

  it('signs every 100 entries or 60 s by default, to a file next to the data folder, with no witness', () => {
    const c = loadConfig({}, '/srv/app');
    expect(c).toMatchObject({
      checkpointEveryEntries: 100,
      checkpointEverySeconds: 60,
      checkpointFile: '/srv/app/.medvault-checkpoints',
      witnesses: [],
    });
  });

  it('reads the period, the file and a list of witnesses', () => {
    const c = loadConfig(
      {
        MEDVAULT_CHECKPOINT_EVERY_ENTRIES: '10',
        MEDVAULT_CHECKPOINT_EVERY_SECONDS: '5',
        MEDVAULT_CHECKPOINT_FILE: '/mnt/audit/cp',
        MEDVAULT_WITNESSES: ` https://w1.example/ ${witnessKey} ,http://w2.example:3030  ${witnessKey}`,
      },
      '/srv/app',
    );
    expect(c.checkpointEveryEntries).toBe(10);
    expect(c.checkpointEverySeconds).toBe(5);
    expect(c.checkpointFile).toBe('/mnt/audit/cp');
    expect(c.witnesses).toEqual([
      { url: 'https://w1.example/', key: witnessKey },
      { url: 'http://w2.example:3030', key: witnessKey },
    ]);
  });

  it.each([
    ['MEDVAULT_CHECKPOINT_EVERY_ENTRIES', '0'],
    ['MEDVAULT_CHECKPOINT_EVERY_SECONDS', '86401'],
    // Inside the data folder it would be copied, restored and deleted with the database.
    ['MEDVAULT_CHECKPOINT_FILE', '.medvault/checkpoints'],
    ['MEDVAULT_WITNESSES', 'https://w1.example/'],
    ['MEDVAULT_WITNESSES', `ftp://w1.example/ ${witnessKey}`],
    // A plain signed-note key (type 0x01) is not a witness key.
    [
      'MEDVAULT_WITNESSES',
      `https://w1.example/ ${witnessKey.replace(/\+[^+]+$/, `+${Buffer.concat([Buffer.from([1]), Buffer.alloc(32, 9)]).toString('base64')}`)}`,
    ],
  ] as const)('refuses %s = %j naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value }, '/srv/app')).toThrow(
      expect.objectContaining({ setting: name }) as Error,
    );
  });
});

describe('PKCS#11 settings', () => {
  const module = '/usr/lib/softhsm/libsofthsm2.so';
  it('holds the keyring with a master key unless a module is named', () => {
    expect(loadConfig({}).pkcs11).toBeUndefined();
  });

  it('reads module, token label or slot, and PIN or PIN file (paths resolved)', () => {
    expect(
      loadConfig({ MEDVAULT_PKCS11_MODULE: module, MEDVAULT_PKCS11_TOKEN: 'T', MEDVAULT_PKCS11_PIN: '1234' })
        .pkcs11,
    ).toEqual({ module, token: { label: 'T' }, pin: { value: '1234' } });
    expect(
      loadConfig(
        { MEDVAULT_PKCS11_MODULE: 'lib.so', MEDVAULT_PKCS11_SLOT: '7', MEDVAULT_PKCS11_PIN_FILE: 'pin' },
        '/srv/app',
      ).pkcs11,
    ).toEqual({ module: '/srv/app/lib.so', token: { slot: 7 }, pin: { file: '/srv/app/pin' } });
  });

  it.each([
    [{ MEDVAULT_PKCS11_PIN: '1234' }, 'MEDVAULT_PKCS11_MODULE'],
    [{ MEDVAULT_PKCS11_MODULE: module, MEDVAULT_PKCS11_PIN: '1' }, 'MEDVAULT_PKCS11_TOKEN'],
    [
      { MEDVAULT_PKCS11_MODULE: module, MEDVAULT_PKCS11_SLOT: '1', MEDVAULT_PKCS11_TOKEN: 'T' },
      'MEDVAULT_PKCS11_SLOT',
    ],
    [
      { MEDVAULT_PKCS11_MODULE: module, MEDVAULT_PKCS11_SLOT: 'x', MEDVAULT_PKCS11_PIN: '1' },
      'MEDVAULT_PKCS11_SLOT',
    ],
    [{ MEDVAULT_PKCS11_MODULE: module, MEDVAULT_PKCS11_TOKEN: 'T' }, 'MEDVAULT_PKCS11_PIN_FILE'],
    [
      {
        MEDVAULT_PKCS11_MODULE: module,
        MEDVAULT_PKCS11_TOKEN: 'T',
        MEDVAULT_PKCS11_PIN: '1',
        MEDVAULT_PKCS11_PIN_FILE: 'p',
      },
      'MEDVAULT_PKCS11_PIN',
    ],
  ])('refuses an incomplete or doubled PKCS#11 setting %j', (raw, setting) => {
    expect(() => loadConfig(raw)).toThrow(new RegExp(`invalid setting ${setting}:`));
  });

  const current = { MEDVAULT_PKCS11_MODULE: module, MEDVAULT_PKCS11_TOKEN: 'T', MEDVAULT_PKCS11_PIN: '1' };
  it('reads the token a keys reseal moves into (MEDVAULT_PKCS11_NEW_*), in the current module unless named', () => {
    expect(loadConfig(current).pkcs11Next).toBeUndefined();
    expect(
      loadConfig({ ...current, MEDVAULT_PKCS11_NEW_TOKEN: 'U', MEDVAULT_PKCS11_NEW_PIN_FILE: 'pin' }, '/srv')
        .pkcs11Next,
    ).toEqual({ module, token: { label: 'U' }, pin: { file: '/srv/pin' } });
    expect(
      loadConfig({
        ...current,
        MEDVAULT_PKCS11_NEW_MODULE: '/opt/hsm/lib.so',
        MEDVAULT_PKCS11_NEW_SLOT: '3',
        MEDVAULT_PKCS11_NEW_PIN: '9',
      }).pkcs11Next,
    ).toEqual({ module: '/opt/hsm/lib.so', token: { slot: 3 }, pin: { value: '9' } });
  });

  it.each([
    // Moving out of a token needs the token it is in.
    [{ MEDVAULT_PKCS11_NEW_TOKEN: 'U', MEDVAULT_PKCS11_NEW_PIN: '1' }, 'MEDVAULT_PKCS11_NEW_TOKEN'],
    [{ MEDVAULT_PKCS11_NEW_SLOT: '2', MEDVAULT_PKCS11_NEW_PIN: '1' }, 'MEDVAULT_PKCS11_NEW_SLOT'],
    [{ ...current, MEDVAULT_PKCS11_NEW_PIN: '1' }, 'MEDVAULT_PKCS11_NEW_TOKEN'],
    [{ ...current, MEDVAULT_PKCS11_NEW_TOKEN: 'U' }, 'MEDVAULT_PKCS11_NEW_PIN_FILE'],
    [
      {
        ...current,
        MEDVAULT_PKCS11_NEW_TOKEN: 'U',
        MEDVAULT_PKCS11_NEW_SLOT: '1',
        MEDVAULT_PKCS11_NEW_PIN: '1',
      },
      'MEDVAULT_PKCS11_NEW_SLOT',
    ],
  ])('refuses an incomplete new-token setting %j', (raw, setting) => {
    expect(() => loadConfig(raw)).toThrow(new RegExp(`invalid setting ${setting}:`));
  });
});
