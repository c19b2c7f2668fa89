/**
 * The one configuration of a MedVault process, read once at start from the environment and
 * command-line flags (flags win). Every setting is validated here; nothing else reads
 * process.env.
 */
import type { SecondFactorPolicies } from '../contract/vocabulary/second-factors.js';

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
  /** How long a patient's enrolment code (from registration) stays good, in hours. */
  readonly enrolmentCodeHours: number;
  /** Break-glass patient look-ups per minute per doctor (issue 20, point 1). */
  readonly breakGlassLookupRateLimitPerMinute: number;
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
  /**
   * Second factors per role (MEDVAULT_SECOND_FACTOR_POLICY). Changing it should go through the
   * two-person rule (issue 14); for now it is a setting.
   */
  readonly secondFactorPolicy: SecondFactorPolicies;
  /** Redis for the per-address rate limits, shared by every server using it; undefined: per process. */
  readonly redisUrl: string | undefined;
  /** Reverse proxies (addresses, CIDR ranges) whose X-Forwarded-For names the client; empty: none. */
  readonly trustProxy: readonly string[];
  /**
   * /metrics (Prometheus text): on the API's listener to a caller with `Bearer <token>`, and/or on
   * its own listener at `address` (no token there); neither set: /metrics answers 404.
   */
  readonly metrics: {
    readonly token: string | undefined;
    readonly address: { readonly host: string; readonly port: number } | undefined;
  };
  /** A PKCS#11 module holding the keyring's root and KEKs (MEDVAULT_PKCS11_*); undefined: a master key. */
  readonly pkcs11: Pkcs11Config | undefined;
  /**
   * The token `keys reseal --to pkcs11` moves a token-held keyring into (MEDVAULT_PKCS11_NEW_*);
   * no other command reads it.
   */
  readonly pkcs11Next: Pkcs11Config | undefined;
}

/** Where the PKCS#11 token is and how to log in. The PIN never comes from the command line. */
export interface Pkcs11Config {
  /** Absolute path of the PKCS#11 library. */
  readonly module: string;
  readonly token: { readonly slot: number } | { readonly label: string };
  /** The PIN itself (from the environment) or the file that holds it (read at start-up). */
  readonly pin: { readonly value: string } | { readonly file: string };
}
