import { randomInt } from 'node:crypto';
import net from 'node:net';

/** The Redis the shared-limit tests use (CI starts it; docs/deploy.md). */
export const REDIS_URL = process.env.MEDVAULT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A client address no other test uses, so counters that outlive a test in Redis (a minute) never
 * meet another test's: from the documentation range 198.18.0.0/15, random.
 */
export const freshAddress = (): string => `198.${18 + randomInt(2)}.${randomInt(256)}.${randomInt(1, 255)}`;

/** A loopback port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * A TCP relay in front of Redis that a test can cut and restore on the same port: Redis going
 * away mid-run, as a restart or a network cut does, without touching the real Redis.
 */
export interface RedisRelay {
  readonly url: string;
  cut(): Promise<void>;
  restore(): Promise<void>;
}

export async function startRedisRelay(target = REDIS_URL): Promise<RedisRelay> {
  const to = new URL(target);
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const open = async (): Promise<void> => {
    const s = net.createServer((client) => {
      const upstream = net.connect(Number(to.port || 6379), to.hostname);
      for (const sock of [client, upstream]) {
        sockets.add(sock);
        sock.on('close', () => sockets.delete(sock));
        sock.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => s.listen(port, '127.0.0.1', resolve));
    port = (s.address() as net.AddressInfo).port;
    server = s;
  };
  await open();
  return {
    url: `redis://127.0.0.1:${port}`,
    cut: async () => {
      const s = server;
      server = undefined;
      for (const sock of sockets) sock.destroy();
      if (s !== undefined) await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    restore: open,
  };
}
