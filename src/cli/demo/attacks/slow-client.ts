import net from 'node:net';
import { verdictOf, type Attack, type AttackResult } from '../scenario.js';
import type { DemoWorld } from '../world.js';

/** How long the attack keeps trickling before it calls the connection "still open". */
const GIVE_UP_MS = 15_000;
const BYTE_EVERY_MS = 400;

interface Trickled {
  readonly closedAfterMs: number | undefined;
  readonly statusLine: string;
}

/** Sends `head` at once, then `slow` one byte at a time, until the server closes or we give up. */
function trickle(baseUrl: string, head: string, slow: string): Promise<Trickled> {
  const url = new URL(baseUrl);
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(Number(url.port), url.hostname);
    let received = '';
    let i = 0;
    const finish = (closedAfterMs: number | undefined): void => {
      clearInterval(drip);
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ closedAfterMs, statusLine: received.split('\r\n')[0] ?? '' });
    };
    const drip = setInterval(() => {
      if (i < slow.length && !socket.destroyed) socket.write(slow[i++] ?? '');
    }, BYTE_EVERY_MS);
    const giveUp = setTimeout(() => finish(undefined), GIVE_UP_MS);
    socket.on('connect', () => socket.write(head));
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', () => {});
    socket.on('close', () => finish(Date.now() - started));
  });
}

function describe(t: Trickled): string {
  return t.closedAfterMs === undefined
    ? `still open after ${GIVE_UP_MS / 1000} s`
    : `closed after ${(t.closedAfterMs / 1000).toFixed(1)} s (${t.statusLine || 'no answer'})`;
}

/**
 * Slow clients (issue 15, finding 5): an anonymous attacker ties up connections by sending a
 * request one byte at a time, first the headers, then (headers complete) a login body. The demo
 * server runs with short deadlines (2 s for headers, a 2 s window for the body rate) so this
 * takes seconds; production defaults are 20 s and 10 s. Both connections must be cut, and the
 * server must still answer at once.
 */
export const slowClient: Attack = {
  id: 'slow-client',
  title: 'Tie up the server with requests trickled one byte at a time',
  async run(world: DemoWorld): Promise<AttackResult> {
    const base = world.api.baseUrl;
    const host = new URL(base).host;
    const headers = await trickle(
      base,
      '',
      `GET /healthz HTTP/1.1\r\nHost: ${host}\r\n${'X-Slow: a\r\n'.repeat(40)}\r\n`,
    );
    world.say(`headers sent one byte every ${BYTE_EVERY_MS} ms → ${describe(headers)}`);
    const body = '{"ssn":"000-00-0000","pin":"000000","password":"trickle trickle trickle"}';
    const bodyHead =
      `POST /api/v1/auth/patient/login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${body.length}\r\n\r\n`;
    const slowBody = await trickle(base, bodyHead, body);
    world.say(`a login body sent one byte every ${BYTE_EVERY_MS} ms (never idle) → ${describe(slowBody)}`);
    const started = Date.now();
    const health = await fetch(`${base}/healthz`);
    world.say(`meanwhile /healthz → ${health.status} in ${Date.now() - started} ms`);
    return verdictOf([
      [
        headers.closedAfterMs !== undefined && headers.statusLine.includes('408'),
        'trickled headers cut off (408)',
      ],
      [
        slowBody.closedAfterMs !== undefined && slowBody.statusLine.includes('408'),
        'trickled body cut off (408)',
      ],
      [health.status === 200, 'the server still answers'],
    ]);
  },
};
