import path from 'node:path';
import type { Config, Pkcs11Config } from './config-shape.js';
import { parseInteger, parseMilli } from './parse-values.js';
import { fail, type Get, type SettingName } from './settings.js';

/** Parsers for settings read together into one part of the {@link Config}. */
/** MEDVAULT_PKCS11_*: all unset (a master key holds the keyring), or module, token and PIN. */
export function parsePkcs11(get: Get, cwd: string): Config['pkcs11'] {
  const module = get('MEDVAULT_PKCS11_MODULE');
  if (module === undefined) {
    const names = [
      'MEDVAULT_PKCS11_SLOT',
      'MEDVAULT_PKCS11_TOKEN',
      'MEDVAULT_PKCS11_PIN',
      'MEDVAULT_PKCS11_PIN_FILE',
    ] as const;
    if (names.some((n) => get(n) !== undefined)) fail('MEDVAULT_PKCS11_MODULE');
    return undefined;
  }
  return tokenSettings(get, cwd, module, {
    slot: 'MEDVAULT_PKCS11_SLOT',
    token: 'MEDVAULT_PKCS11_TOKEN',
    pin: 'MEDVAULT_PKCS11_PIN',
    pinFile: 'MEDVAULT_PKCS11_PIN_FILE',
  });
}

/**
 * MEDVAULT_PKCS11_NEW_*: the token `keys reseal --to pkcs11` moves a token-held keyring into. All
 * unset, or a token and PIN (the module defaults to the current one's), and only beside
 * MEDVAULT_PKCS11_* naming the current token.
 */
export function parsePkcs11Next(get: Get, cwd: string, current: Config['pkcs11']): Config['pkcs11Next'] {
  const names = {
    slot: 'MEDVAULT_PKCS11_NEW_SLOT',
    token: 'MEDVAULT_PKCS11_NEW_TOKEN',
    pin: 'MEDVAULT_PKCS11_NEW_PIN',
    pinFile: 'MEDVAULT_PKCS11_NEW_PIN_FILE',
  } as const;
  const module = get('MEDVAULT_PKCS11_NEW_MODULE');
  if (module === undefined && Object.values(names).every((n) => get(n) === undefined)) return undefined;
  if (current === undefined) fail(get('MEDVAULT_PKCS11_NEW_SLOT') === undefined ? names.token : names.slot);
  return tokenSettings(get, cwd, module ?? current.module, names);
}

function tokenSettings(
  get: Get,
  cwd: string,
  module: string,
  names: {
    readonly slot: SettingName;
    readonly token: SettingName;
    readonly pin: SettingName;
    readonly pinFile: SettingName;
  },
): Pkcs11Config {
  const slot = get(names.slot);
  const label = get(names.token);
  const pin = get(names.pin);
  const pinFile = get(names.pinFile);
  if ((slot === undefined) === (label === undefined)) fail(slot === undefined ? names.token : names.slot);
  if ((pin === undefined) === (pinFile === undefined)) fail(pin === undefined ? names.pinFile : names.pin);
  return {
    module: path.resolve(cwd, module),
    token:
      slot !== undefined
        ? { slot: parseInteger(names.slot, slot, 0, 2 ** 53 - 1) }
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
