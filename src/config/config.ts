import os from 'node:os';
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
   * way for `idle` is closed; a kept-alive connection waits `keepAlive` for its next request; a
   * body slower than `bodyRate` (a trickle that never goes idle) is cut off.
   */
  readonly timeouts: {
    readonly headers: number;
    readonly request: number;
    readonly idle: number;
    readonly keepAlive: number;
    /** A request body must arrive at least this fast, judged over each window. */
    readonly bodyRate: { readonly minBytesPerSecond: number; readonly windowSeconds: number };
  };
  readonly tls: { readonly certFile: string; readonly keyFile: string } | undefined;
  /**
   * The origin (scheme://host[:port]) people reach this server at, named in every staff login
   * challenge; undefined means each request's own (Host header and connection scheme).
   */
  readonly publicOrigin: string | undefined;
  /** A session unused this long ends (minutes). */
  readonly sessionIdleMinutes: number;
  /** A session ends this long after login whatever its use (hours). */
  readonly sessionMaxHours: number;
  /** Requests per minute per client address on each auth route that checks no credential (the staff challenge). */
  readonly authRateLimitPerMinute: number;
  /**
   * Credential attempts (patient login, PIN recovery and reset, staff login) per minute per client
   * address, counted together across those routes.
   */
  readonly credentialRateLimitPerMinute: number;
  /** The bounded argon2id pool: hashes run at once, and hashes admitted to wait beyond those. */
  readonly credentialHashing: { readonly concurrency: number; readonly queue: number };
  /** Longest lock of a patient account after failed attempts, in minutes (the back-off's cap). */
  readonly patientLockMaxMinutes: number;
  /** Unseal calls per minute per client address while sealed. */
  readonly unsealRateLimitPerMinute: number;
  /** Largest attachment (plaintext) accepted by an upload, in bytes (setting given in MiB). */
  readonly attachmentLimitBytes: number;
  /** The hospital's differential-privacy epsilon per budget window, all analysts together, in thousandths. */
  readonly dpEpsilonBudgetMilli: number;
  /** Length of one privacy-budget window, in days (consecutive windows from 1970-01-01 00:00 UTC). */
  readonly dpBudgetDays: number;
  /** Share of the hospital's budget one analyst may spend per window, in thousandths (1000: no split). */
  readonly dpAnalystShareMilli: number;
  /** Share of the previous fill's supply that must elapse before a refill is dispensed, in percent. */
  readonly refillDuePercent: number;
  /** Supply of one fill whose dose or frequency is not a readable daily amount, in days. */
  readonly refillFallbackDays: number;
  /** Automatic checkpoints: sign when the log grew by this many entries since the last one… */
  readonly checkpointEveryEntries: number;
  /** …or when the last one is this many seconds old and the log grew at all. */
  readonly checkpointEverySeconds: number;
  /**
   * The append-only checkpoint file, outside the database (default `<data dir>-checkpoints`, next
   * to the data folder, not in it); it belongs on other storage.
   */
  readonly checkpointFile: string;
  /** Witnesses every new checkpoint is submitted to (C2SP tlog-witness), with their cosigner keys. */
  readonly witnesses: readonly { readonly url: string; readonly key: string }[];
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
  MEDVAULT_MIN_BODY_RATE: 'a whole number of bytes per second between 1 and 1048576',
  MEDVAULT_BODY_RATE_WINDOW: 'a whole number of seconds between 1 and 600',
  MEDVAULT_TLS_CERT: 'a PEM certificate file path (together with MEDVAULT_TLS_KEY)',
  MEDVAULT_TLS_KEY: 'a PEM private key file path (together with MEDVAULT_TLS_CERT)',
  MEDVAULT_PUBLIC_ORIGIN:
    'an http:// or https:// origin without path, e.g. https://medvault.hospital.example',
  MEDVAULT_SESSION_IDLE_MINUTES: 'a whole number of minutes between 1 and 1440',
  MEDVAULT_SESSION_MAX_HOURS: 'a whole number of hours between 1 and 168',
  MEDVAULT_AUTH_RATE_LIMIT: 'a whole number of requests per minute per address, between 1 and 100000',
  MEDVAULT_CREDENTIAL_RATE_LIMIT:
    'a whole number of credential attempts per minute per address, between 1 and 100000',
  MEDVAULT_HASH_CONCURRENCY: 'a whole number of password/PIN hashes run at once, between 1 and 256',
  MEDVAULT_HASH_QUEUE: 'a whole number of password/PIN hashes allowed to wait, between 0 and 100000',
  MEDVAULT_PATIENT_LOCK_MAX_MINUTES: 'a whole number of minutes between 1 and 1440',
  MEDVAULT_UNSEAL_RATE_LIMIT: 'a whole number of unseal calls per minute per address, between 1 and 1000',
  MEDVAULT_ATTACHMENT_LIMIT_MB: 'a whole number of MiB between 1 and 4096',
  MEDVAULT_DP_EPSILON_BUDGET:
    "the hospital's total epsilon per window, between 0.01 and 1000, at most 3 decimals",
  MEDVAULT_DP_BUDGET_DAYS: 'a whole number of days between 1 and 3650',
  MEDVAULT_DP_ANALYST_SHARE:
    'a fraction between 0.001 and 1, at most 3 decimals, leaving each analyst at least epsilon 0.01 of MEDVAULT_DP_EPSILON_BUDGET',
  MEDVAULT_REFILL_DUE_PERCENT: 'a whole percentage between 0 and 100 (0 turns the refill timing check off)',
  MEDVAULT_REFILL_FALLBACK_DAYS: 'a whole number of days between 1 and 365',
  MEDVAULT_CHECKPOINT_EVERY_ENTRIES: 'a whole number of ledger entries between 1 and 1000000',
  MEDVAULT_CHECKPOINT_EVERY_SECONDS: 'a whole number of seconds between 1 and 86400',
  MEDVAULT_CHECKPOINT_FILE: 'a file path outside the data folder (ideally on other storage)',
  MEDVAULT_WITNESSES:
    'comma-separated "<url> <witness key>" pairs: an http(s) URL prefix and a C2SP cosigner verifier key <name>+<8 hex>+<base64 of 0x04 and 32 bytes>',
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

/** An origin as browsers write `location.origin`: scheme, host and a non-default port, nothing else. */
function parsePublicOrigin(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return fail('MEDVAULT_PUBLIC_ORIGIN');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail('MEDVAULT_PUBLIC_ORIGIN');
  if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '')
    fail('MEDVAULT_PUBLIC_ORIGIN');
  if (url.pathname !== '/') fail('MEDVAULT_PUBLIC_ORIGIN');
  return url.origin;
}

type Get = (name: SettingName) => string | undefined;

/** `<url> <key>, <url> <key>`: shape only here; the key's hash is checked when the app composes. */
function parseWitnesses(raw: string | undefined): Config['witnesses'] {
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

function parseCheckpointFile(get: Get, dataDir: string, cwd: string): string {
  const file = path.resolve(cwd, get('MEDVAULT_CHECKPOINT_FILE') ?? `${dataDir}-checkpoints`);
  // Inside the data folder it would be copied, restored and deleted together with the database.
  if (file === dataDir || file.startsWith(dataDir + path.sep)) fail('MEDVAULT_CHECKPOINT_FILE');
  return file;
}

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
function parsePrivacyBudget(
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
  const dataDir = path.resolve(cwd, get('MEDVAULT_DATA_DIR') ?? '.medvault');
  const publicOrigin = get('MEDVAULT_PUBLIC_ORIGIN');
  return {
    port: parseInteger('PORT', get('PORT') ?? '3000', 0, 65535),
    host,
    dataDir,
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
    credentialRateLimitPerMinute: parseInteger(
      'MEDVAULT_CREDENTIAL_RATE_LIMIT',
      get('MEDVAULT_CREDENTIAL_RATE_LIMIT') ?? '10',
      1,
      100000,
    ),
    credentialHashing: {
      concurrency: parseInteger(
        'MEDVAULT_HASH_CONCURRENCY',
        get('MEDVAULT_HASH_CONCURRENCY') ?? String(os.availableParallelism()),
        1,
        256,
      ),
      queue: parseInteger('MEDVAULT_HASH_QUEUE', get('MEDVAULT_HASH_QUEUE') ?? '16', 0, 100000),
    },
    patientLockMaxMinutes: parseInteger(
      'MEDVAULT_PATIENT_LOCK_MAX_MINUTES',
      get('MEDVAULT_PATIENT_LOCK_MAX_MINUTES') ?? '15',
      1,
      1440,
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
    ...parsePrivacyBudget(get),
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
    checkpointEveryEntries: parseInteger(
      'MEDVAULT_CHECKPOINT_EVERY_ENTRIES',
      get('MEDVAULT_CHECKPOINT_EVERY_ENTRIES') ?? '100',
      1,
      1_000_000,
    ),
    checkpointEverySeconds: parseInteger(
      'MEDVAULT_CHECKPOINT_EVERY_SECONDS',
      get('MEDVAULT_CHECKPOINT_EVERY_SECONDS') ?? '60',
      1,
      86_400,
    ),
    checkpointFile: parseCheckpointFile(get, dataDir, cwd),
    witnesses: parseWitnesses(get('MEDVAULT_WITNESSES')),
    demo: parseBoolean('MEDVAULT_DEMO', get('MEDVAULT_DEMO') ?? '0'),
    tls:
      certFile !== undefined && keyFile !== undefined
        ? { certFile: path.resolve(cwd, certFile), keyFile: path.resolve(cwd, keyFile) }
        : undefined,
    publicOrigin: publicOrigin === undefined ? undefined : parsePublicOrigin(publicOrigin),
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
