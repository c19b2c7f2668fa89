import { EventEmitter } from 'node:events';
import { connect } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { buildServer, installGracefulShutdown, listen } from '../../src/http/server.js';
import type { ShutdownProcess } from '../../src/http/shutdown.js';
import { errorBody, testConfig, testServer } from './helpers.js';

class FakeProcess extends EventEmitter implements ShutdownProcess {
  readonly exits: number[] = [];
  private resolveExit!: (code: number) => void;
  readonly exited = new Promise<number>((resolve) => (this.resolveExit = resolve));
  exit(code: number): void {
    this.exits.push(code);
    this.resolveExit(code);
  }
}

describe('listen', () => {
  it('listens on the configured host and a free port, and returns the base URL', async () => {
    const config = testConfig({ HOST: '127.0.0.1', PORT: '0' });
    const app = await buildServer({ config, checkReady: async () => {}, logger: false });
    try {
      const url = await listen(app, config);
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${url}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok' });
    } finally {
      await app.close();
    }
  });

  it('names a wildcard host as localhost in the URL', async () => {
    const config = testConfig({ HOST: '0.0.0.0', PORT: '0' });
    const app = await buildServer({ config, checkReady: async () => {}, logger: false });
    try {
      expect(await listen(app, config)).toMatch(/^http:\/\/localhost:\d+$/);
    } finally {
      await app.close();
    }
  });
});

describe('graceful shutdown', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'on %s: closes the server, then onClosed, then exits 0',
    async (signal) => {
      const app = await testServer();
      const order: string[] = [];
      app.addHook('onClose', async () => {
        order.push('server closed');
      });
      const proc = new FakeProcess();
      installGracefulShutdown(
        app,
        async () => {
          order.push('onClosed');
        },
        { proc },
      );
      proc.emit(signal);
      expect(await proc.exited).toBe(0);
      expect(order).toEqual(['server closed', 'onClosed']);
    },
  );

  it('lets an in-flight request finish before exiting', async () => {
    const config = testConfig({ HOST: '127.0.0.1', PORT: '0' });
    const app = await buildServer({ config, checkReady: async () => {}, logger: false });
    let release: (() => void) | undefined;
    app.get('/api/test/slow', async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return { done: true };
    });
    const url = await listen(app, config);
    const proc = new FakeProcess();
    installGracefulShutdown(app, undefined, { proc });
    const pending = fetch(`${url}/api/test/slow`);
    await vi.waitFor(() => expect(release).toBeDefined());
    proc.emit('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    expect(proc.exits).toEqual([]); // still waiting for the request
    release?.();
    const res = await pending;
    expect(await res.json()).toEqual({ done: true });
    expect(await proc.exited).toBe(0);
  });

  it('refuses, in the usual shape, a request arriving on an open connection while draining', async () => {
    const config = testConfig({ HOST: '127.0.0.1', PORT: '0' });
    const app = await buildServer({ config, checkReady: async () => {}, logger: false });
    let release: (() => void) | undefined;
    app.get('/api/test/slow', async () => {
      await new Promise<void>((resolve) => (release = resolve));
      return { done: true };
    });
    const port = new URL(await listen(app, config)).port;
    const proc = new FakeProcess();
    installGracefulShutdown(app, undefined, { proc });
    const socket = connect(Number(port), '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
    const ended = new Promise((resolve) => socket.on('close', resolve));
    socket.write('GET /api/test/slow HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await vi.waitFor(() => expect(release).toBeDefined());
    proc.emit('SIGTERM');
    await new Promise((r) => setTimeout(r, 50));
    socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await new Promise((r) => setTimeout(r, 50));
    release?.();
    await ended;
    const [first, second] = received.split(/(?=HTTP\/1\.1 )/);
    expect(first).toMatch(/^HTTP\/1\.1 200/);
    expect(second).toMatch(/^HTTP\/1\.1 503/);
    expect(second).toMatch(/connection: close/i);
    expect(errorBody(second!.slice(second!.indexOf('\r\n\r\n') + 4)).error.code).toBe('unavailable');
    expect(await proc.exited).toBe(0);
  });

  it('a second signal exits at once', async () => {
    const app = await testServer();
    const proc = new FakeProcess();
    installGracefulShutdown(app, () => new Promise<void>(() => {}), { proc }); // onClosed never ends
    proc.emit('SIGTERM');
    proc.emit('SIGINT');
    expect(proc.exits).toEqual([1]);
  });

  it('exits 1 when onClosed fails', async () => {
    const app = await testServer();
    const proc = new FakeProcess();
    installGracefulShutdown(app, async () => Promise.reject(new Error('db close failed')), { proc });
    proc.emit('SIGTERM');
    expect(await proc.exited).toBe(1);
  });

  it('exits 1 when closing outlasts the timeout', async () => {
    const app = await testServer();
    const proc = new FakeProcess();
    installGracefulShutdown(app, () => new Promise<void>(() => {}), { proc, timeoutMs: 20 });
    proc.emit('SIGTERM');
    expect(await proc.exited).toBe(1);
  });

  it('the returned function removes the handlers', async () => {
    const app = await testServer();
    const proc = new FakeProcess();
    const uninstall = installGracefulShutdown(app, undefined, { proc });
    expect(proc.listenerCount('SIGTERM')).toBe(1);
    uninstall();
    expect(proc.listenerCount('SIGTERM')).toBe(0);
    expect(proc.listenerCount('SIGINT')).toBe(0);
    await app.close();
  });
});
