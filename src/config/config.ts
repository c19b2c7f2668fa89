import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/**
 * The one configuration of a MedVault process, read once at start from the environment and
 * command-line flags (flags win). Every setting is validated here; nothing else reads
 * process.env.
 */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** postgres://… switches the store to PostgreSQL; undefined means SQLite in dataDir. */
  readonly databaseUrl: string | undefined;
  /** base64 of 32 bytes; undefined means `<dataDir>/master.key`. */
  readonly masterKey: Buffer | undefined;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Largest JSON request body, in bytes. */
  readonly bodyLimit: number;
  /**
   * Slow-client limits, in seconds: the request line and headers must arrive within `headers`;
   * a whole request (body included) within `request`; a connection with no bytes moving either
   * way for `idle` is closed; a kept-alive connection waits `keepAlive` for its next request.
   */
  readonly timeouts: {
    readonly headers: number;
    readonly request: number;
    readonly idle: number;
    readonly keepAlive: number;
  };
  readonly tls: { readonly certFile: string; readonly keyFile: string } | undefined;
  /** A session unused this long ends (minutes). */
  readonly sessionIdleMinutes: number;
  /** A session ends this long after login whatever its use (hours). */
  readonly sessionMaxHours: number;
  /** Requests per minute per client address on the login and recovery routes. */
  readonly authRateLimitPerMinute: number;
  /** Unseal calls per minute per client address while sealed. */
  readonly unsealRateLimitPerMinute: number;
  /** Largest attachment (plaintext) accepted by an upload, in bytes (setting given in MiB). */
  readonly attachmentLimitBytes: number;
  /** Total differential-privacy epsilon each admin may spend per budget window, in thousandths. */
  readonly dpEpsilonBudgetMilli: number;
  /** Length of the sliding privacy-budget window, in days. */
  readonly dpBudgetDays: number;
  /** Share of the previous fill's supply that must elapse before a refill is dispensed, in percent. */
  readonly refillDuePercent: number;
  /** Supply of one fill whose dose or frequency is not a readable daily amount, in days. */
  readonly refillFallbackDays: number;
  /** Seed the demo hospital on `serve` when the database has no account (MEDVAULT_DEMO, `serve --demo`). */
  readonly demo: boolean;
}

/** A setting that is missing or malformed: names the setting and what is expected. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly setting: string,
    readonly expected: string,
  ) {
    super(`invalid setting ${setting}: expected ${expected}`);
  }
}

/** Raw inputs, as strings, keyed by environment-variable name. */
export type RawSettings = Partial<Record<SettingName, string>>;

const settings = {
  PORT: 'an integer port between 0 and 65535',
  HOST: 'a host name or IP address to listen on',
  MEDVAULT_DATA_DIR: 'a folder path',
  DATABASE_URL: 'a postgres:// or postgresql:// URL (leave unset for SQLite)',
  MEDVAULT_MASTER_KEY: 'base64 of exactly 32 random bytes (e.g. `openssl rand -base64 32`)',
  LOG_LEVEL: 'one of fatal, error, warn, info, debug, trace, silent',
  MEDVAULT_BODY_LIMIT: 'a positive integer number of bytes',
  MEDVAULT_HEADERS_TIMEOUT: 'a whole number of seconds between 1 and 600, at most MEDVAULT_REQUEST_TIMEOUT',
  MEDVAULT_REQUEST_TIMEOUT: 'a whole number of seconds between 1 and 86400',
  MEDVAULT_IDLE_TIMEOUT: 'a whole number of seconds between 1 and 3600',
  MEDVAULT_KEEP_ALIVE_TIMEOUT: 'a whole number of seconds between 1 and 600',
  MEDVAULT_TLS_CERT: 'a PEM certificate file path (together with MEDVAULT_TLS_KEY)',
  MEDVAULT_TLS_KEY: 'a PEM private key file path (together with MEDVAULT_TLS_CERT)',
  MEDVAULT_SESSION_IDLE_MINUTES: 'a whole number of minutes between 1 and 1440',
  MEDVAULT_SESSION_MAX_HOURS: 'a whole number of hours between 1 and 168',
  MEDVAULT_AUTH_RATE_LIMIT: 'a whole number of requests per minute per address, between 1 and 100000',
  MEDVAULT_UNSEAL_RATE_LIMIT: 'a whole number of unseal calls per minute per address, between 1 and 1000',
  MEDVAULT_ATTACHMENT_LIMIT_MB: 'a whole number of MiB between 1 and 4096',
  MEDVAULT_DP_EPSILON_BUDGET: 'a total epsilon per admin between 0.01 and 1000, at most 3 decimals',
  MEDVAULT_DP_BUDGET_DAYS: 'a whole number of days between 1 and 3650',
  MEDVAULT_REFILL_DUE_PERCENT: 'a whole percentage between 0 and 100 (0 turns the refill timing check off)',
  MEDVAULT_REFILL_FALLBACK_DAYS: 'a whole number of days between 1 and 365',
  MEDVAULT_DEMO: '1 or 0 (also true/false, yes/no, on/off)',
} as const;
export type SettingName = keyof typeof settings;
export const SETTING_NAMES = Object.keys(settings) as SettingName[];

const LogLevel = Type.Union(
  ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
);
type LogLevelT = Static<typeof LogLevel>;

function fail(name: SettingName): never {
  throw new ConfigError(name, settings[name]);
}

function parseInteger(name: SettingName, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw.trim())) fail(name);
  const value = Number(raw.trim());
  if (!Number.isSafeInteger(value) || value < min || value > max) fail(name);
  return value;
}

/** A decimal with at most three decimals, as an integer number of thousandths in [min, max]. */
function parseMilli(name: SettingName, raw: string, min: number, max: number): number {
  const m = /^(\d{1,7})(?:\.(\d{1,3}))?$/.exec(raw.trim());
  if (m === null) fail(name);
  const value = Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
  if (value < min || value > max) fail(name);
  return value;
}

function parseBoolean(name: SettingName, raw: string): boolean {
  const v = raw.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(v)) return true;
  if (['0', 'false', 'no', 'off'].includes(v)) return false;
  return fail(name);
}

function parseMasterKey(raw: string): Buffer {
  const trimmed = raw.trim();
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(trimmed)) fail('MEDVAULT_MASTER_KEY');
  const key = Buffer.from(trimmed, 'base64');
  if (key.length !== 32) fail('MEDVAULT_MASTER_KEY');
  return key;
}

function parseDatabaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail('DATABASE_URL');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') fail('DATABASE_URL');
  return raw;
}

type Get = (name: SettingName) => string | undefined;

function parseTimeouts(get: Get): Config['timeouts'] {
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
  };
}

/**
 * Builds the configuration from raw settings (environment merged with flags).
 * @throws ConfigError naming the first invalid setting.
 */
export function loadConfig(raw: RawSettings, cwd = process.cwd()): Config {
  const get: Get = (name) => {
    const v = raw[name];
    return v === undefined || v === '' ? undefined : v;
  };
  const logLevel = get('LOG_LEVEL') ?? 'info';
  if (!Value.Check(LogLevel, logLevel)) fail('LOG_LEVEL');
  const host = get('HOST') ?? '127.0.0.1';
  if (/\s/.test(host)) fail('HOST');
  const certFile = get('MEDVAULT_TLS_CERT');
  const keyFile = get('MEDVAULT_TLS_KEY');
  if ((certFile === undefined) !== (keyFile === undefined))
    fail(certFile === undefined ? 'MEDVAULT_TLS_CERT' : 'MEDVAULT_TLS_KEY');
  const databaseUrl = get('DATABASE_URL');
  const masterKey = get('MEDVAULT_MASTER_KEY');
  return {
    port: parseInteger('PORT', get('PORT') ?? '3000', 0, 65535),
    host,
    dataDir: path.resolve(cwd, get('MEDVAULT_DATA_DIR') ?? '.medvault'),
    databaseUrl: databaseUrl === undefined ? undefined : parseDatabaseUrl(databaseUrl),
    masterKey: masterKey === undefined ? undefined : parseMasterKey(masterKey),
    logLevel: logLevel as LogLevelT as Config['logLevel'],
    bodyLimit: parseInteger(
      'MEDVAULT_BODY_LIMIT',
      get('MEDVAULT_BODY_LIMIT') ?? String(1024 * 1024),
      1,
      2 ** 31,
    ),
    timeouts: parseTimeouts(get),
    sessionIdleMinutes: parseInteger(
      'MEDVAULT_SESSION_IDLE_MINUTES',
      get('MEDVAULT_SESSION_IDLE_MINUTES') ?? '15',
      1,
      1440,
    ),
    sessionMaxHours: parseInteger(
      'MEDVAULT_SESSION_MAX_HOURS',
      get('MEDVAULT_SESSION_MAX_HOURS') ?? '8',
      1,
      168,
    ),
    authRateLimitPerMinute: parseInteger(
      'MEDVAULT_AUTH_RATE_LIMIT',
      get('MEDVAULT_AUTH_RATE_LIMIT') ?? '600',
      1,
      100000,
    ),
    unsealRateLimitPerMinute: parseInteger(
      'MEDVAULT_UNSEAL_RATE_LIMIT',
      get('MEDVAULT_UNSEAL_RATE_LIMIT') ?? '10',
      1,
      1000,
    ),
    attachmentLimitBytes:
      parseInteger('MEDVAULT_ATTACHMENT_LIMIT_MB', get('MEDVAULT_ATTACHMENT_LIMIT_MB') ?? '100', 1, 4096) *
      1024 *
      1024,
    dpEpsilonBudgetMilli: parseMilli(
      'MEDVAULT_DP_EPSILON_BUDGET',
      get('MEDVAULT_DP_EPSILON_BUDGET') ?? '5',
      10,
      1_000_000,
    ),
    dpBudgetDays: parseInteger('MEDVAULT_DP_BUDGET_DAYS', get('MEDVAULT_DP_BUDGET_DAYS') ?? '30', 1, 3650),
    refillDuePercent: parseInteger(
      'MEDVAULT_REFILL_DUE_PERCENT',
      get('MEDVAULT_REFILL_DUE_PERCENT') ?? '75',
      0,
      100,
    ),
    refillFallbackDays: parseInteger(
      'MEDVAULT_REFILL_FALLBACK_DAYS',
      get('MEDVAULT_REFILL_FALLBACK_DAYS') ?? '7',
      1,
      365,
    ),
    demo: parseBoolean('MEDVAULT_DEMO', get('MEDVAULT_DEMO') ?? '0'),
    tls:
      certFile !== undefined && keyFile !== undefined
        ? { certFile: path.resolve(cwd, certFile), keyFile: path.resolve(cwd, keyFile) }
        : undefined,
  };
}

/** Picks the known settings out of an environment object. */
export function settingsFromEnv(env: NodeJS.ProcessEnv): RawSettings {
  const out: RawSettings = {};
  for (const name of SETTING_NAMES) {
    const v = env[name];
    if (v !== undefined) out[name] = v;
  }
  return out;
}
