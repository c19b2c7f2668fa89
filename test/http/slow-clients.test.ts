import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { buildServer, listen, type App } from '../../src/http/server.js';
import { testConfig } from './helpers.js';

/**
 * Issue 15, finding 5, from the attacker's side: a client that trickles its request one byte at
 * a time is cut off by the server. Short deadlines come through the config so the test is fast.
 */
const HEADERS_S = 1;
const IDLE_S = 2;
/** At least 20 bytes/s over each 1 s window: far below any real upload, far above a trickle. */
const MIN_RATE = 20;
const WINDOW_S = 1;

let app: App;
let port: number;

beforeAll(async () => {
  const config = testConfig({
    MEDVAULT_HEADERS_TIMEOUT: String(HEADERS_S),
    MEDVAULT_REQUEST_TIMEOUT: '3',
    MEDVAULT_IDLE_TIMEOUT: String(IDLE_S),
    MEDVAULT_KEEP_ALIVE_TIMEOUT: '1',
    MEDVAULT_MIN_BODY_RATE: String(MIN_RATE),
    MEDVAULT_BODY_RATE_WINDOW: String(WINDOW_S),
  });
  app = await buildServer({ config, checkReady: async () => {}, logger: false });
  app.post('/api/test/sink', async () => ({ ok: true }));
  const url = await listen(app, config);
  port = Number(new URL(url).port);
});
afterAll(async () => {
  await app.close();
});

interface Trickle {
  /** Milliseconds from connecting until the server closed the socket. */
  readonly closedAfterMs: number;
  /** Everything the server sent before closing. */
  readonly received: string;
}

/** Connects, sends `head` at once, then one byte (or chunk) of `slow` every `everyMs`, until the server closes. */
function trickle(
  head: string,
  slow: string | readonly string[],
  everyMs: number,
  giveUpMs: number,
): Promise<Trickle> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    let i = 0;
    let timer: NodeJS.Timeout | undefined;
    const giveUp = setTimeout(() => {
      clearInterval(timer);
      socket.destroy();
      reject(new Error(`still open after ${giveUpMs} ms`));
    }, giveUpMs);
    socket.on('connect', () => {
      socket.write(head);
      timer = setInterval(() => {
        if (i < slow.length && !socket.destroyed) socket.write(slow[i++]!);
      }, everyMs);
    });
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearInterval(timer);
      clearTimeout(giveUp);
      resolve({ closedAfterMs: Date.now() - started, received });
    });
  });
}

const LONG_HEADERS = `GET /healthz HTTP/1.1\r\nHost: localhost\r\n${'X-Slow: a\r\n'.repeat(200)}\r\n`;

describe('slow clients', () => {
  it('closes a connection whose request line and headers trickle in one byte at a time', async () => {
    const result = await trickle('', LONG_HEADERS, 100, 8000);
    // The header deadline plus Node's checking interval (at most half of it), with slack.
    expect(result.closedAfterMs).toBeGreaterThanOrEqual(HEADERS_S * 1000 - 100);
    expect(result.closedAfterMs).toBeLessThan(HEADERS_S * 1000 * 2 + 1000);
    expect(result.received).toMatch(/^HTTP\/1\.1 408/);
  }, 10_000);

  it('closes a connection whose body stops moving for longer than the idle timeout', async () => {
    const head =
      'POST /api/test/sink HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
      'Content-Length: 100\r\n\r\n{';
    // One byte every 2.5 s: slower than the 2 s idle timeout.
    const result = await trickle(head, '"a":"bbbbbbbbbb', 2500, 8000);
    expect(result.closedAfterMs).toBeLessThan(IDLE_S * 1000 + 1500);
    expect(result.received).not.toMatch(/200 OK/);
  }, 10_000);

  it('closes a body that keeps trickling (never idle) but slower than the minimum rate', async () => {
    const head =
      'POST /api/test/sink HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
      'Content-Length: 100\r\n\r\n{';
    // One byte every 300 ms: the idle timeout (2 s) never fires, the request timeout (3 s)
    // would; the rate guard must cut it first, within its 1 s window (plus slack).
    const result = await trickle(head, `"a":"${'b'.repeat(90)}"}`, 300, 8000);
    expect(result.closedAfterMs).toBeLessThan(WINDOW_S * 2000 + 500);
    expect(result.received).toMatch(/^HTTP\/1\.1 408/);
    expect(result.received).not.toMatch(/200 OK/);
  }, 10_000);

  it('lets a body that moves faster than the minimum rate finish, however long it takes', async () => {
    const body = JSON.stringify({ a: 'b'.repeat(80) });
    const head =
      'POST /api/test/sink HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
      `Connection: close\r\nContent-Length: ${body.length}\r\n\r\n`;
    // 10 bytes every 200 ms = 50 bytes/s, above the minimum, for about 1.8 s (more than one
    // window, within the 3 s whole-request deadline).
    const chunks = body.match(/.{1,10}/gs) ?? [];
    const result = await trickle(head, chunks, 200, 8000);
    expect(result.received).toMatch(/^HTTP\/1\.1 200/);
  }, 10_000);

  it('still answers a normal request under the short deadlines', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    const posted = await fetch(`http://127.0.0.1:${port}/api/test/sink`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ a: 'b' }),
    });
    expect(posted.status).toBe(200);
  });
});

describe('timeout settings', () => {
  it('defaults: headers 20 s, whole request 1 h (large uploads), idle 30 s, keep-alive 5 s, body ≥ 1 KiB/s', () => {
    expect(loadConfig({}).timeouts).toEqual({
      headers: 20,
      request: 3600,
      idle: 30,
      keepAlive: 5,
      bodyRate: { minBytesPerSecond: 1024, windowSeconds: 10 },
    });
  });

  it.each([
    ['MEDVAULT_HEADERS_TIMEOUT', '0'],
    ['MEDVAULT_HEADERS_TIMEOUT', '601'],
    ['MEDVAULT_REQUEST_TIMEOUT', 'soon'],
    ['MEDVAULT_IDLE_TIMEOUT', '0'],
    ['MEDVAULT_KEEP_ALIVE_TIMEOUT', '-1'],
    ['MEDVAULT_MIN_BODY_RATE', '0'],
    ['MEDVAULT_BODY_RATE_WINDOW', '601'],
  ] as const)('refuses %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });

  it('refuses a header deadline later than the whole request deadline', () => {
    expect(() => loadConfig({ MEDVAULT_HEADERS_TIMEOUT: '30', MEDVAULT_REQUEST_TIMEOUT: '10' })).toThrow(
      /MEDVAULT_HEADERS_TIMEOUT/,
    );
  });
});
