import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller, httpLogin } from './staff-http-client.js';
import { GOOD_PASSWORD } from '../support/people.js';
import { tempDir } from '../support/stores.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { runCli } from '../support/cli.js';

describe('medvault users add', () => {
  let server: TestServer;
  let env: Record<string, string>;
  const dir = tempDir('medvault-keys-');

  beforeAll(async () => {
    server = await startTestServer();
    // The CLI acts on the running server's data folder (SQLite in WAL mode allows both).
    env = { MEDVAULT_DATA_DIR: server.app.config.dataDir, LOG_LEVEL: 'silent' };
  });
  afterAll(async () => {
    await server.close();
  });

  const countUsers = async () =>
    (await server.app.store.db.selectFrom('users').select('id').execute()).length;

  for (const algorithm of ['ed25519', 'rsa'] as const) {
    it(`creates an admin from a password on stdin, writes a 0600 ${algorithm} key that logs in`, async () => {
      const keyOut = path.join(dir, `admin-${algorithm}.pem`);
      const username = `first.${algorithm}`;
      const res = await runCli(
        [
          'users',
          'add',
          '--role',
          'admin',
          '--username',
          username,
          '--key-out',
          keyOut,
          '--algorithm',
          algorithm,
        ],
        env,
        `${GOOD_PASSWORD}\nthis second line is ignored\n`,
      );
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      expect(res.stdout).toMatch(/user id: [0-9a-f-]{36}/);
      expect(res.stdout).toMatch(/key id: +[A-Za-z0-9_-]{22}/);
      expect(res.stdout).not.toContain(GOOD_PASSWORD);
      expect(fs.statSync(keyOut).mode & 0o777).toBe(0o600);
      const privateKeyPem = fs.readFileSync(keyOut, 'utf8');
      expect(privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
      const login = await httpLogin(caller(server.url), username, GOOD_PASSWORD, {
        algorithm: algorithm === 'rsa' ? 'rsa-pkcs1-sha256' : 'ed25519',
        privateKeyPem,
      });
      expect(login.status).toBe(200);
      expect(login.body.user).toMatchObject({ role: 'admin', username, displayName: username });
    });
  }

  it('refuses to overwrite an existing key file, and creates no account', async () => {
    const keyOut = path.join(dir, 'existing.pem');
    fs.writeFileSync(keyOut, 'precious');
    const before = await countUsers();
    const res = await runCli(
      ['users', 'add', '--role', 'doctor', '--username', 'dr.new', '--key-out', keyOut],
      env,
      `${GOOD_PASSWORD}\n`,
    );
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^medvault: .*already exists/);
    expect(fs.readFileSync(keyOut, 'utf8')).toBe('precious');
    expect(await countUsers()).toBe(before);
  });

  it('refuses a weak or missing password and leaves no key file behind', async () => {
    for (const input of ['password1234\n', '']) {
      const keyOut = path.join(dir, `weak-${input.length}.pem`);
      const res = await runCli(
        ['users', 'add', '--role', 'doctor', '--username', 'dr.weak', '--key-out', keyOut],
        env,
        input,
      );
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(/^medvault: /);
      expect(fs.existsSync(keyOut)).toBe(false);
    }
  });

  it('refuses a duplicate username with a one-line message', async () => {
    const keyOut = path.join(dir, 'dup.pem');
    const res = await runCli(
      ['users', 'add', '--role', 'admin', '--username', 'first.ed25519', '--key-out', keyOut],
      env,
      `${GOOD_PASSWORD}\n`,
    );
    expect(res.code).toBe(1);
    expect(res.stderr).toBe('medvault: That username is taken.\n');
    expect(fs.existsSync(keyOut)).toBe(false);
  });

  it('rejects an unknown role as a usage error', async () => {
    const res = await runCli(
      ['users', 'add', '--role', 'patient', '--username', 'p.x', '--key-out', path.join(dir, 'p.pem')],
      env,
      `${GOOD_PASSWORD}\n`,
    );
    expect(res.code).toBe(2);
  });
});
