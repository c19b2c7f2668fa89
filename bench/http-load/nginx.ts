import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cpuSeconds, freePort, rssMiB, stopper, type Target } from './targets.js';

/** Debian's nginx, when installed. */
export const NGINX = ['/usr/sbin/nginx', '/usr/local/sbin/nginx'].find((p) => fs.existsSync(p));

/**
 * nginx in front of `upstreams` (host:port of MedVault servers), from a temporary prefix, with the
 * proxy settings of deploy/nginx/medvault.conf that bear on throughput — an upstream block with
 * idle keep-alive connections to the servers, HTTP/1.1 to them, the client's address forwarded —
 * but plain HTTP on loopback (no TLS: the benchmark measures the fan-out, not the handshake) and no
 * access log. One worker process, as on a 2-core machine that also runs the servers. Unprivileged
 * when started as root (the prefix is handed to nobody), as test/deploy/nginx.test.ts does.
 */
export async function startNginx(upstreams: readonly string[]): Promise<Target> {
  if (NGINX === undefined) throw new Error('nginx is not installed');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medvault-bench-nginx-'));
  const port = await freePort();
  const temp = (n: string) => path.join(dir, 'tmp', n);
  fs.mkdirSync(path.join(dir, 'tmp'));
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    [
      'worker_processes 1;',
      `pid ${path.join(dir, 'nginx.pid')};`,
      `error_log ${path.join(dir, 'error.log')} warn;`,
      'events { worker_connections 1024; }',
      'http {',
      '  access_log off;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${temp(t)};`),
      '  upstream medvault {',
      ...upstreams.map((u) => `    server ${u} max_fails=2 fail_timeout=10s;`),
      '    keepalive 32;',
      '  }',
      '  server {',
      `    listen 127.0.0.1:${port};`,
      '    location / {',
      '      proxy_pass http://medvault;',
      '      proxy_http_version 1.1;',
      '      proxy_set_header Connection "";',
      '      proxy_set_header Host $host;',
      '      proxy_set_header X-Forwarded-For $remote_addr;',
      '      proxy_next_upstream error timeout;',
      '    }',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['-R', '65534:65534', dir]);
  fs.chmodSync(dir, 0o755);
  const args = ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')];
  const ids = asRoot ? { uid: 65534, gid: 65534 } : {};
  const check = spawnSync(NGINX, ['-t', ...args], ids);
  if (check.status !== 0) throw new Error(`nginx -t refused the configuration:\n${String(check.stderr)}`);
  const child = spawn(NGINX, [...args, '-g', 'daemon off;'], { stdio: 'ignore', ...ids });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode})`);
    try {
      if ((await fetch(`${url}/healthz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('nginx did not answer within 20 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  // The worker does the proxying; the master only supervises.
  const worker = (): number | undefined => {
    try {
      const kids = fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim();
      return kids === '' ? undefined : Number(kids.split(' ')[0]);
    } catch {
      return undefined;
    }
  };
  const stop = stopper(child);
  return {
    url,
    dataDir: undefined,
    rssMiB: () => rssMiB(worker()),
    cpuSeconds: () => cpuSeconds(worker()),
    stop: async () => {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
