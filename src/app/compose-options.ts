import { DEFAULT_ARGON2_PARAMS, type Argon2Params } from '../crypto/password-hash.js';
import { DEFAULT_PAILLIER_BITS, type PaillierKeyBits } from '../crypto/paillier.js';
import type { HashPoolLimits } from './identity/index.js';

/**
 * What the composition root may be given besides the configuration: the costs and the clock.
 * Production passes nothing and gets the defaults below; tests and benchmarks lower the costs
 * (a 1 MiB argon2id, a 1024-bit Paillier key) and move time by hand. None of this is reachable
 * from a setting, a flag or a route: only code passes options.
 */
export interface ComposeOptions {
  /** Epoch milliseconds, read by every service, the sessions, the lockout and the ledger. */
  readonly clock?: () => number;
  /** argon2id cost of new PIN and password verifiers (default: ASVS 5.0's minimum). */
  readonly argon2?: Argon2Params;
  /** Modulus of a statistics (Paillier) key created by this process (default 3072). */
  readonly paillierBits?: PaillierKeyBits;
  /** Sizes that bound work or memory; each defaults to the configuration's or the built-in value. */
  readonly limits?: ComposeLimits;
}

export interface ComposeLimits {
  /** Largest attachment an upload may carry, in bytes (default: the configuration's). */
  readonly attachmentBytes?: number;
  /** Paillier obfuscators kept ready off the request path (default 64). */
  readonly paillierPool?: number;
  /** argon2id runs at once and waiting (default: the configuration's `credentialHashing`). */
  readonly hashPool?: HashPoolLimits;
}

/** The options with every default filled in. */
export interface ResolvedComposeOptions {
  readonly clock: () => number;
  readonly argon2: Argon2Params;
  readonly paillierBits: PaillierKeyBits;
  readonly limits: {
    readonly attachmentBytes: number;
    readonly paillierPool: number;
    readonly hashPool: HashPoolLimits;
  };
}

/** Obfuscators kept ready when nothing else is asked. */
export const DEFAULT_PAILLIER_POOL = 64;

/** Fills the production defaults in; the attachment limit and hash pool come from the configuration. */
export function resolveComposeOptions(
  options: ComposeOptions,
  config: { readonly attachmentLimitBytes: number; readonly credentialHashing: HashPoolLimits },
): ResolvedComposeOptions {
  return {
    clock: options.clock ?? Date.now,
    argon2: options.argon2 ?? DEFAULT_ARGON2_PARAMS,
    paillierBits: options.paillierBits ?? DEFAULT_PAILLIER_BITS,
    limits: {
      attachmentBytes: options.limits?.attachmentBytes ?? config.attachmentLimitBytes,
      paillierPool: options.limits?.paillierPool ?? DEFAULT_PAILLIER_POOL,
      hashPool: options.limits?.hashPool ?? config.credentialHashing,
    },
  };
}
