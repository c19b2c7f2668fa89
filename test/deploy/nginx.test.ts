import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePrometheusText, samplesOf } from '../support/prometheus-text.js';
import { GOOD_PASSWORD, sign } from '../support/people.js';
import { TEST_MASTER_KEY_B64 } from '../support/master-key.js';
import { closedPort, REDIS_URL } from '../support/redis.js';
import { ROOT, runCli, spawnCli, waitForExit, waitForOutput } from '../support/cli.js';
import { createTestStore, PG_URL, tempDir, type TestStore } from '../support/stores.js';

const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx'].find((p) => fs.existsSync(p));
const CONF = path.join(ROOT, 'deploy/nginx/medvault.conf');
const LIMIT = 4;

/** Replaces `from` (which must be there) in the repository's file: the file cannot drift from the test. */
function replace(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`deploy/nginx/medvault.conf no longer has ${from}`);
  return text.split(from).join(to);
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Two `medvault serve` processes on one PostgreSQL database and one Redis, behind nginx with the
 * repository's configuration (deploy/nginx/medvault.conf) over TLS with a certificate made here,
 * nginx running unprivileged from a temporary prefix.
 */
describe.runIf(NGINX !== undefined && PG_URL !== undefined)('two servers behind nginx over TLS', () => {
  let dir: string;
  let schema: TestStore;
  let cert: string;
  let tlsPort: number;
  const servers: { child: ChildProcess; url: string; metrics: string }[] = [];
  let nginx: ChildProcess | undefined;

  /** A request through nginx, from `from` (a loopback address of the test's own). */
  const through = (
    method: string,
    urlPath: string,
    options: { body?: unknown; token?: string; from?: string } = {},
  ): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const body = options.body === undefined ? undefined : JSON.stringify(options.body);
      const req = https.request(
        {
          host: '127.0.0.1',
          port: tlsPort,
          method,
          path: urlPath,
          ca: cert,
          servername: 'localhost',
          agent: false,
          localAddress: options.from ?? '127.0.0.1',
          headers: {
            host: 'localhost',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const freshLoopback = (): string => `127.${randomInt(1, 255)}.${randomInt(256)}.${randomInt(1, 255)}`;

  beforeAll(async () => {
    dir = tempDir('medvault-deploy-');
    schema = await createTestStore('postgres', { migrate: false });
    await schema.store.close();
    const env = {
      DATABASE_URL: schema.databaseUrl ?? '',
      MEDVAULT_MASTER_KEY: TEST_MASTER_KEY_B64,
      MEDVAULT_REDIS_URL: REDIS_URL,
      MEDVAULT_TRUST_PROXY: '127.0.0.1',
      MEDVAULT_CREDENTIAL_RATE_LIMIT: String(LIMIT),
      MEDVAULT_PUBLIC_ORIGIN: 'https://localhost',
    };
    // The first admin, made by an operator (this also migrates the database).
    const added = await runCli(
      [
        'users',
        'add',
        '--role',
        'admin',
        '--username',
        'root.admin',
        '--key-out',
        path.join(dir, 'admin.pem'),
        '--data-dir',
        path.join(dir, 'cli'),
      ],
      env,
      `${GOOD_PASSWORD}\n`,
    );
    expect(added.code, added.stderr).toBe(0);
    for (const name of ['a', 'b']) {
      const metricsPort = await closedPort();
      const child = spawnCli(
        ['serve', '--port', '0', '--data-dir', path.join(dir, name), '--log-level', 'warn'],
        { ...env, MEDVAULT_METRICS_ADDRESS: `127.0.0.1:${metricsPort}` },
      );
      const out = await waitForOutput(child, /MedVault is listening on (http:\/\/\S+)/, 120_000);
      const url = /MedVault is listening on (http:\/\/\S+)/.exec(out)?.[1] as string;
      servers.push({ child, url, metrics: `http://127.0.0.1:${metricsPort}/metrics` });
    }

    // A self-signed certificate for localhost / 127.0.0.1, made here.
    const keyFile = path.join(dir, 'privkey.pem');
    const certFile = path.join(dir, 'fullchain.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        keyFile,
        '-out',
        certFile,
      ],
      { stdio: 'ignore' },
    );
    cert = fs.readFileSync(certFile, 'utf8');

    tlsPort = await closedPort();
    const plainPort = await closedPort();
    const upstream = (s: { url: string }) => new URL(s.url).host;
    let site = fs.readFileSync(CONF, 'utf8');
    site = replace(site, 'server 10.0.0.11:3000', `server ${upstream(servers[0]!)}`);
    site = replace(site, 'server 10.0.0.12:3000', `server ${upstream(servers[1]!)}`);
    site = replace(site, 'listen 443 ssl;', `listen 127.0.0.1:${tlsPort} ssl;`);
    site = replace(site, 'listen 80;', `listen 127.0.0.1:${plainPort};`);
    site = replace(site, 'medvault.hospital.example', 'localhost');
    site = replace(site, '/etc/ssl/medvault/fullchain.pem', certFile);
    site = replace(site, '/etc/ssl/medvault/privkey.pem', keyFile);
    site = replace(site, '/var/log/nginx/medvault.access.log', path.join(dir, 'access.log'));
    fs.writeFileSync(path.join(dir, 'medvault.conf'), site);
    // What Debian's /etc/nginx/nginx.conf gives around conf.d/, in the temporary prefix.
    const temp = (n: string) => path.join(dir, 'tmp', n);
    fs.mkdirSync(path.join(dir, 'tmp'));
    fs.writeFileSync(
      path.join(dir, 'nginx.conf'),
      [
        'worker_processes 1;',
        `pid ${path.join(dir, 'nginx.pid')};`,
        `error_log ${path.join(dir, 'error.log')} warn;`,
        'events { worker_connections 256; }',
        'http {',
        `  access_log ${path.join(dir, 'http-access.log')};`,
        ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${temp(t)};`),
        `  include ${path.join(dir, 'medvault.conf')};`,
        '}',
        '',
      ].join('\n'),
    );
    // Unprivileged: as root (CI), nginx runs as nobody, owning only the prefix.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) execFileSync('chown', ['-R', '65534:65534', dir]);
    fs.chmodSync(dir, 0o755);
    const args = [
      '-p',
      dir,
      '-c',
      path.join(dir, 'nginx.conf'),
      '-e',
      path.join(dir, 'error.log'),
      '-g',
      'daemon off;',
    ];
    const check = spawnSync(
      NGINX as string,
      ['-t', ...args.slice(0, 6)],
      asRoot ? { uid: 65534, gid: 65534 } : {},
    );
    expect(check.status, String(check.stderr)).toBe(0);
    nginx = spawn(NGINX as string, args, { stdio: 'ignore', ...(asRoot ? { uid: 65534, gid: 65534 } : {}) });
    const deadline = Date.now() + 10_000;
    for (;;) {
      const up = await new Promise<boolean>((resolve) => {
        const s = net.connect(tlsPort, '127.0.0.1', () => resolve(s.end() !== undefined));
        s.on('error', () => resolve(false));
      });
      if (up) break;
      if (Date.now() > deadline) throw new Error(fs.readFileSync(path.join(dir, 'error.log'), 'utf8'));
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 300_000);

  afterAll(async () => {
    nginx?.kill('SIGTERM');
    for (const s of servers) {
      const exited = waitForExit(s.child);
      s.child.kill('SIGTERM');
      await exited;
    }
    await schema?.dispose();
    if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  });

  const handledBy = async (metricsUrl: string, route: string): Promise<number> => {
    const samples = parsePrometheusText(await (await fetch(metricsUrl)).text());
    return samplesOf(samples, 'medvault_http_requests_total', { route }).reduce((n, s) => n + s.value, 0);
  };

  it('answers over TLS with HSTS, and reaches both servers', async () => {
    for (let i = 0; i < 6; i++) {
      const res = await through('GET', '/healthz');
      expect(res.status).toBe(200);
      expect(res.headers['strict-transport-security']).toBe('max-age=63072000');
      expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
    for (const s of servers) expect(await handledBy(s.metrics, '/healthz')).toBeGreaterThanOrEqual(2);
    // /metrics is not reachable from outside, token or not.
    expect((await through('GET', '/metrics')).status).toBe(404);
  });

  it('logs in through nginx (challenge and login may land on different servers); a write through one reads back through both', async () => {
    const key = fs.readFileSync(path.join(dir, 'admin.pem'), 'utf8');
    const challenges = servers.map(() => 0);
    const before = await Promise.all(
      servers.map((s) => handledBy(s.metrics, '/api/v1/auth/staff/challenge')),
    );
    const ch = await through('POST', '/api/v1/auth/staff/challenge', { body: { username: 'root.admin' } });
    expect(ch.status).toBe(200);
    const { challengeId, challenge } = JSON.parse(ch.body) as { challengeId: string; challenge: unknown };
    const login = await through('POST', '/api/v1/auth/staff/login', {
      body: {
        username: 'root.admin',
        password: GOOD_PASSWORD,
        challengeId,
        signature: sign('ed25519', key, challenge),
      },
    });
    expect(login.status, login.body).toBe(200);
    expect(String(login.headers['set-cookie'])).toMatch(/; Secure/i);
    const token = (JSON.parse(login.body) as { token: string }).token;
    for (const [i, s] of servers.entries())
      challenges[i] = (await handledBy(s.metrics, '/api/v1/auth/staff/challenge')) - (before[i] as number);
    expect(challenges.reduce((a, b) => a + b, 0)).toBe(1);

    const created = await through('POST', '/api/v1/admin/users', {
      token,
      body: {
        role: 'doctor',
        username: 'dr.behind.proxy',
        displayName: 'Dr Proxy',
      },
    });
    expect(created.status, created.body).toBe(201);
    // Read back through nginx (alternating servers) and from each server directly.
    for (let i = 0; i < 2; i++) {
      const list = await through('GET', '/api/v1/admin/users', { token });
      expect(list.status).toBe(200);
      expect(list.body).toContain('dr.behind.proxy');
    }
    for (const s of servers) {
      const direct = await fetch(`${s.url}/api/v1/admin/users`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(await direct.text()).toContain('dr.behind.proxy');
    }
  });

  it(`holds the credential limit (${LIMIT} a minute per client address) across both servers through Redis`, async () => {
    const from = freshLoopback();
    const statuses: number[] = [];
    for (let i = 0; i < 3 * LIMIT; i++) {
      const res = await through('POST', '/api/v1/auth/staff/login', {
        from,
        body: { username: 'nobody', password: 'x', challengeId: 'nope', signature: 'AAAA' },
      });
      statuses.push(res.status);
    }
    expect(statuses.filter((s) => s === 401)).toHaveLength(LIMIT);
    expect(statuses.slice(LIMIT).every((s) => s === 429)).toBe(true);
    // Another client address (nginx passes each one's own) is not held back.
    const other = await through('POST', '/api/v1/auth/staff/login', {
      from: freshLoopback(),
      body: { username: 'nobody', password: 'x', challengeId: 'nope', signature: 'AAAA' },
    });
    expect(other.status).toBe(401);
  });
});
