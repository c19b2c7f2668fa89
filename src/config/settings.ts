/**
 * The settings MedVault reads (environment variables, or the flags that set them), each with
 * what it expects; the error naming a bad one.
 */
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

export const SETTINGS = {
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
  MEDVAULT_ENROLMENT_CODE_HOURS: 'a whole number of hours between 1 and 720',
  MEDVAULT_UNSEAL_RATE_LIMIT: 'a whole number of unseal calls per minute per address, between 1 and 1000',
  MEDVAULT_BREAK_GLASS_LOOKUP_RATE_LIMIT:
    'a whole number of break-glass patient look-ups per minute per doctor, between 1 and 1000',
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
  MEDVAULT_PKCS11_MODULE:
    'the path of a PKCS#11 library (e.g. /usr/lib/softhsm/libsofthsm2.so), set whenever another MEDVAULT_PKCS11_* setting is',
  MEDVAULT_PKCS11_SLOT: 'a slot id, a whole number (give this or MEDVAULT_PKCS11_TOKEN, not both)',
  MEDVAULT_PKCS11_TOKEN: 'a token label (give this or MEDVAULT_PKCS11_SLOT, not both)',
  MEDVAULT_PKCS11_PIN: 'the token user PIN (give this or MEDVAULT_PKCS11_PIN_FILE, not both)',
  MEDVAULT_PKCS11_PIN_FILE: 'a file holding the token user PIN (give this or MEDVAULT_PKCS11_PIN, not both)',
  MEDVAULT_PKCS11_NEW_MODULE:
    'for `keys reseal --to pkcs11` out of a token: the PKCS#11 library of the token to move into (default: MEDVAULT_PKCS11_MODULE)',
  MEDVAULT_PKCS11_NEW_SLOT:
    'for `keys reseal --to pkcs11` out of a token: the slot id of the token to move into (or MEDVAULT_PKCS11_NEW_TOKEN, not both), with MEDVAULT_PKCS11_* naming the current token',
  MEDVAULT_PKCS11_NEW_TOKEN:
    'for `keys reseal --to pkcs11` out of a token: the label of the token to move into (or MEDVAULT_PKCS11_NEW_SLOT, not both), with MEDVAULT_PKCS11_* naming the current token',
  MEDVAULT_PKCS11_NEW_PIN:
    'the user PIN of the token named by MEDVAULT_PKCS11_NEW_TOKEN or _SLOT (or MEDVAULT_PKCS11_NEW_PIN_FILE, not both)',
  MEDVAULT_PKCS11_NEW_PIN_FILE:
    'a file holding the user PIN of the token named by MEDVAULT_PKCS11_NEW_TOKEN or _SLOT (or MEDVAULT_PKCS11_NEW_PIN, not both)',
  MEDVAULT_SECOND_FACTOR_POLICY:
    'off, optional or required for every role, or comma-separated role=policy pairs (e.g. admin=required,doctor=required); roles not named are optional',
  MEDVAULT_REDIS_URL: 'a redis:// or rediss:// URL (rate limits shared by every server using it)',
  MEDVAULT_TRUST_PROXY:
    'comma-separated IP addresses or CIDR ranges of the reverse proxies in front of this server (e.g. 127.0.0.1,10.0.0.0/8)',
  MEDVAULT_METRICS_TOKEN:
    'at least 32 characters of A-Z a-z 0-9 - . _ ~ + / = (e.g. `openssl rand -base64 32`)',
  MEDVAULT_METRICS_ADDRESS: 'host:port to serve /metrics on, apart from the API (e.g. 127.0.0.1:9464)',
} as const;
export type SettingName = keyof typeof SETTINGS;
export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

/** Throws the {@link ConfigError} naming `name` and what it expects. */
export function fail(name: SettingName): never {
  throw new ConfigError(name, SETTINGS[name]);
}

/** Reads one setting: undefined when unset or empty. */
export type Get = (name: SettingName) => string | undefined;
