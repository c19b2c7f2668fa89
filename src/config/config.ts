import os from 'node:os';
import path from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { Config } from './config-shape.js';
import {
  parseCheckpointFile,
  parsePkcs11,
  parsePkcs11Next,
  parsePrivacyBudget,
  parseTimeouts,
  parseWitnesses,
} from './parse-groups.js';
import { parseSecondFactorPolicy } from './parse-second-factors.js';
import {
  parseBoolean,
  parseDatabaseUrl,
  parseInteger,
  parseMasterKey,
  parsePublicOrigin,
} from './parse-values.js';
import { parseMetrics, parseRedisUrl, parseTrustProxy } from './parse-ops.js';
import { fail, type Get, type RawSettings, SETTING_NAMES } from './settings.js';

export type { Config, Pkcs11Config } from './config-shape.js';
export { ConfigError, SETTING_NAMES, type RawSettings, type SettingName } from './settings.js';

const LogLevel = Type.Union(
  ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
);
type LogLevelT = Static<typeof LogLevel>;

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
  const pkcs11 = parsePkcs11(get, cwd);
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
    enrolmentCodeHours: parseInteger(
      'MEDVAULT_ENROLMENT_CODE_HOURS',
      get('MEDVAULT_ENROLMENT_CODE_HOURS') ?? '72',
      1,
      720,
    ),
    breakGlassLookupRateLimitPerMinute: parseInteger(
      'MEDVAULT_BREAK_GLASS_LOOKUP_RATE_LIMIT',
      get('MEDVAULT_BREAK_GLASS_LOOKUP_RATE_LIMIT') ?? '10',
      1,
      1000,
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
    pkcs11,
    pkcs11Next: parsePkcs11Next(get, cwd, pkcs11),
    secondFactorPolicy: parseSecondFactorPolicy(get('MEDVAULT_SECOND_FACTOR_POLICY')),
    tls:
      certFile !== undefined && keyFile !== undefined
        ? { certFile: path.resolve(cwd, certFile), keyFile: path.resolve(cwd, keyFile) }
        : undefined,
    publicOrigin: publicOrigin === undefined ? undefined : parsePublicOrigin(publicOrigin),
    redisUrl: parseRedisUrl(get('MEDVAULT_REDIS_URL')),
    trustProxy: parseTrustProxy(get('MEDVAULT_TRUST_PROXY')),
    metrics: parseMetrics(get),
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
