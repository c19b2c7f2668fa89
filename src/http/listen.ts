import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config.js';

/** A host as it belongs in a URL: wildcard addresses become localhost, IPv6 gets brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Starts listening on config.host:config.port (port 0 picks a free one) and returns the base
 * URL clients should use, e.g. "http://127.0.0.1:3000" or "https://localhost:8443".
 */
export async function listen(
  app: FastifyInstance,
  config: Pick<Config, 'host' | 'port' | 'tls'>,
): Promise<string> {
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address() as AddressInfo | string | null;
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  return `${config.tls === undefined ? 'http' : 'https'}://${urlHost(config.host)}:${port}`;
}
