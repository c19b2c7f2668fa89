import path from 'node:path';
import type { Config } from './config-shape.js';
import { parseInteger, parseMilli } from './parse-values.js';
import { fail, type Get } from './settings.js';

/** Parsers for settings read together into one part of the {@link Config}. */
/** MEDVAULT_PKCS11_*: all unset (a master key holds the keyring), or module, token and PIN. */
export function parsePkcs11(get: Get, cwd: string): Config['pkcs11'] {
  const module = get('MEDVAULT_PKCS11_MODULE');
  const slot = get('MEDVAULT_PKCS11_SLOT');
  const label = get('MEDVAULT_PKCS11_TOKEN');
  const pin = get('MEDVAULT_PKCS11_PIN');
  const pinFile = get('MEDVAULT_PKCS11_PIN_FILE');
  if (module === undefined) {
    if ([slot, label, pin, pinFile].some((v) => v !== undefined)) fail('MEDVAULT_PKCS11_MODULE');
    return undefined;
  }
  if ((slot === undefined) === (label === undefined))
    fail(slot === undefined ? 'MEDVAULT_PKCS11_TOKEN' : 'MEDVAULT_PKCS11_SLOT');
  if ((pin === undefined) === (pinFile === undefined))
    fail(pin === undefined ? 'MEDVAULT_PKCS11_PIN_FILE' : 'MEDVAULT_PKCS11_PIN');
  return {
    module: path.resolve(cwd, module),
    token:
      slot !== undefined
        ? { slot: parseInteger('MEDVAULT_PKCS11_SLOT', slot, 0, 2 ** 53 - 1) }
        : { label: label as string },
    pin: pin !== undefined ? { value: pin } : { file: path.resolve(cwd, pinFile as string) },
  };
}

/** `<url> <key>, <url> <key>`: shape only here; the key's hash is checked when the app composes. */
export function parseWitnesses(raw: string | undefined): Config['witnesses'] {
  if (raw === undefined) return [];
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0)
    .map((entry) => {
      const parts = entry.split(/\s+/);
      if (parts.length !== 2) fail('MEDVAULT_WITNESSES');
      const [url, key] = parts as [string, string];
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return fail('MEDVAULT_WITNESSES');
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') fail('MEDVAULT_WITNESSES');
      const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+={0,2})$/.exec(key);
      if (m === null) fail('MEDVAULT_WITNESSES');
      const material = Buffer.from(m[3] as string, 'base64');
      if (material.length !== 33 || material[0] !== 0x04) fail('MEDVAULT_WITNESSES');
      return { url, key };
    });
}

export function parseCheckpointFile(get: Get, dataDir: string, cwd: string): string {
  const file = path.resolve(cwd, get('MEDVAULT_CHECKPOINT_FILE') ?? `${dataDir}-checkpoints`);
  // Inside the data folder it would be copied, restored and deleted together with the database.
  if (file === dataDir || file.startsWith(dataDir + path.sep)) fail('MEDVAULT_CHECKPOINT_FILE');
  return file;
}

export function parseTimeouts(get: Get): Config['timeouts'] {
  const headers = parseInteger('MEDVAULT_HEADERS_TIMEOUT', get('MEDVAULT_HEADERS_TIMEOUT') ?? '20', 1, 600);
  const request = parseInteger(
    'MEDVAULT_REQUEST_TIMEOUT',
    get('MEDVAULT_REQUEST_TIMEOUT') ?? '3600',
    1,
    86400,
  );
  // Node refuses a header deadline later than the whole request's.
  if (headers > request) fail('MEDVAULT_HEADERS_TIMEOUT');
  return {
    headers,
    request,
    idle: parseInteger('MEDVAULT_IDLE_TIMEOUT', get('MEDVAULT_IDLE_TIMEOUT') ?? '30', 1, 3600),
    keepAlive: parseInteger('MEDVAULT_KEEP_ALIVE_TIMEOUT', get('MEDVAULT_KEEP_ALIVE_TIMEOUT') ?? '5', 1, 600),
    bodyRate: {
      minBytesPerSecond: parseInteger(
        'MEDVAULT_MIN_BODY_RATE',
        get('MEDVAULT_MIN_BODY_RATE') ?? '1024',
        1,
        1048576,
      ),
      windowSeconds: parseInteger(
        'MEDVAULT_BODY_RATE_WINDOW',
        get('MEDVAULT_BODY_RATE_WINDOW') ?? '10',
        1,
        600,
      ),
    },
  };
}

/**
 * The hospital's privacy budget: a total per window and the share of it any one analyst may
 * spend. A share that leaves an analyst less than the smallest query (epsilon 0.01) is refused.
 */
export function parsePrivacyBudget(
  get: Get,
): Pick<Config, 'dpEpsilonBudgetMilli' | 'dpBudgetDays' | 'dpAnalystShareMilli'> {
  const total = parseMilli(
    'MEDVAULT_DP_EPSILON_BUDGET',
    get('MEDVAULT_DP_EPSILON_BUDGET') ?? '5',
    10,
    1_000_000,
  );
  const share = parseMilli('MEDVAULT_DP_ANALYST_SHARE', get('MEDVAULT_DP_ANALYST_SHARE') ?? '1', 1, 1000);
  if (Math.floor((total * share) / 1000) < 10) fail('MEDVAULT_DP_ANALYST_SHARE');
  return {
    dpEpsilonBudgetMilli: total,
    dpBudgetDays: parseInteger('MEDVAULT_DP_BUDGET_DAYS', get('MEDVAULT_DP_BUDGET_DAYS') ?? '30', 1, 3650),
    dpAnalystShareMilli: share,
  };
}
