import type { Socket } from 'node:net';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config/config.js';
import type { App } from './app-type.js';

/** What a cut-off client reads before the socket closes (the body never finished, so no JSON). */
const TOO_SLOW = 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

/** True when the request announces a body (a length above zero, or chunked). */
function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  if (length !== undefined) return length !== '0';
  return request.headers['transfer-encoding'] !== undefined;
}

/**
 * Cuts off a request whose body arrives slower than `minBytesPerSecond`, judged over each
 * window of `windowSeconds`: a client sending one byte every 15 s keeps the connection from
 * going idle, so the idle timeout alone never ends it; this does, within one window. The count
 * is the socket's own `bytesRead`, so nothing is taken from the body stream the parsers read.
 * A body that has fully arrived stops the watch (a handler may then think as long as it needs).
 */
export function registerBodyRateGuard(app: App, rate: Config['timeouts']['bodyRate']): void {
  const windowMs = rate.windowSeconds * 1000;
  const minBytes = rate.minBytesPerSecond * rate.windowSeconds;
  app.addHook('onRequest', async (request) => {
    if (!hasBody(request)) return;
    const raw = request.raw;
    const socket: Socket = raw.socket;
    let seen = socket.bytesRead;
    const timer = setInterval(() => {
      if (raw.complete || socket.destroyed) return stop();
      const now = socket.bytesRead;
      if (now - seen >= minBytes) {
        seen = now;
        return;
      }
      stop();
      request.log.warn(
        { minBytesPerSecond: rate.minBytesPerSecond },
        'request body too slow: connection closed',
      );
      socket.end(TOO_SLOW);
      socket.destroySoon();
    }, windowMs);
    timer.unref();
    function stop(): void {
      clearInterval(timer);
    }
    raw.once('end', stop);
    raw.once('close', stop);
  });
}
