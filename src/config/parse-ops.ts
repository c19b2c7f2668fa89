import net from 'node:net';
import type { Config } from './config-shape.js';
import { parseInteger } from './parse-values.js';
import { fail, type Get } from './settings.js';

/** Parsers for the settings of a deployment of several servers: Redis, proxies, metrics. */

export function parseRedisUrl(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return fail('MEDVAULT_REDIS_URL');
  }
  if ((url.protocol !== 'redis:' && url.protocol !== 'rediss:') || url.hostname === '')
    fail('MEDVAULT_REDIS_URL');
  return raw.trim();
}

/** One address or CIDR range, IPv4 or IPv6, in the form proxy-addr (Fastify's trustProxy) reads. */
function isAddressOrRange(entry: string): boolean {
  const slash = entry.indexOf('/');
  if (slash === -1) return net.isIP(entry) !== 0;
  const family = net.isIP(entry.slice(0, slash));
  const bits = entry.slice(slash + 1);
  if (family === 0 || !/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

export function parseTrustProxy(raw: string | undefined): readonly string[] {
  if (raw === undefined) return [];
  const entries = raw
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e.length > 0);
  if (entries.length === 0 || !entries.every(isAddressOrRange)) fail('MEDVAULT_TRUST_PROXY');
  return entries;
}

function parseMetricsAddress(raw: string | undefined): Config['metrics']['address'] {
  if (raw === undefined) return undefined;
  // host:port, or [v6]:port.
  const m = /^(?:\[([0-9A-Fa-f:.]+)\]|([^\s:[\]]+)):(\d{1,5})$/.exec(raw.trim());
  if (m === null) return fail('MEDVAULT_METRICS_ADDRESS');
  const host = m[1] ?? (m[2] as string);
  return { host, port: parseInteger('MEDVAULT_METRICS_ADDRESS', m[3] as string, 1, 65535) };
}

export function parseMetrics(get: Get): Config['metrics'] {
  const token = get('MEDVAULT_METRICS_TOKEN');
  if (token !== undefined && !/^[A-Za-z0-9\-._~+/=]{32,512}$/.test(token)) fail('MEDVAULT_METRICS_TOKEN');
  return { token, address: parseMetricsAddress(get('MEDVAULT_METRICS_ADDRESS')) };
}
