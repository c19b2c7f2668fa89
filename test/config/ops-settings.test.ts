import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, type RawSettings } from '../../src/config/config.js';

const load = (raw: RawSettings) => loadConfig(raw, '/srv/app');
const refused = (raw: RawSettings): string => {
  try {
    load(raw);
  } catch (err) {
    if (err instanceof ConfigError) return err.setting;
    throw err;
  }
  throw new Error('accepted');
};

const TOKEN = 'a'.repeat(32);

describe('settings of a deployment of several servers', () => {
  it('defaults: no Redis (per-process limits), no trusted proxy, no metrics', () => {
    const c = load({});
    expect(c.redisUrl).toBeUndefined();
    expect(c.trustProxy).toEqual([]);
    expect(c.metrics).toEqual({ token: undefined, address: undefined });
  });

  it('reads them', () => {
    const c = load({
      MEDVAULT_REDIS_URL: 'rediss://:secret@cache.internal:6380/2',
      MEDVAULT_TRUST_PROXY: ' 127.0.0.1, 10.0.0.0/8 ,::1, fd00::/8',
      MEDVAULT_METRICS_TOKEN: TOKEN,
      MEDVAULT_METRICS_ADDRESS: '0.0.0.0:9464',
    });
    expect(c.redisUrl).toBe('rediss://:secret@cache.internal:6380/2');
    expect(c.trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8']);
    expect(c.metrics).toEqual({ token: TOKEN, address: { host: '0.0.0.0', port: 9464 } });
    expect(load({ MEDVAULT_METRICS_ADDRESS: '[::1]:9100' }).metrics.address).toEqual({
      host: '::1',
      port: 9100,
    });
  });

  it.each([
    ['MEDVAULT_REDIS_URL', 'http://cache:6379'],
    ['MEDVAULT_REDIS_URL', 'not a url'],
    ['MEDVAULT_REDIS_URL', 'redis://'],
    ['MEDVAULT_TRUST_PROXY', 'proxy.internal'],
    ['MEDVAULT_TRUST_PROXY', '10.0.0.0/33'],
    ['MEDVAULT_TRUST_PROXY', '::1/129'],
    ['MEDVAULT_TRUST_PROXY', '10.0.0.0/x'],
    ['MEDVAULT_TRUST_PROXY', ','],
    ['MEDVAULT_METRICS_TOKEN', 'short'],
    ['MEDVAULT_METRICS_TOKEN', `${'a'.repeat(31)} `],
    ['MEDVAULT_METRICS_TOKEN', `${'a'.repeat(32)}"`],
    ['MEDVAULT_METRICS_ADDRESS', '9464'],
    ['MEDVAULT_METRICS_ADDRESS', 'host:0'],
    ['MEDVAULT_METRICS_ADDRESS', 'host:70000'],
    ['MEDVAULT_METRICS_ADDRESS', 'a b:1'],
  ] as const)('refuses %s=%j, naming it', (name, value) => {
    expect(refused({ [name]: value })).toBe(name);
  });
});
