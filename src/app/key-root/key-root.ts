import type { EnvelopeContext, WrappingKek } from '../../crypto/envelope.js';

/**
 * What protects the keyring: a master key in this process (a key file, MEDVAULT_MASTER_KEY, K
 * officers' shares) or a key inside a PKCS#11 module. The keyring stores every key sealed by its
 * root and never knows which kind it has; the start-up code chooses (src/app/context.ts).
 */
export interface KeyRoot {
  /** Where the root is held, for messages and the ledger (never a secret). */
  readonly origin: string;
  /** The master key's bytes when the root is one in this process; undefined inside a module. */
  readonly masterKey: Buffer | undefined;
  /** Seals a 32-byte keyring secret bound to its keyring row. */
  seal(secret: Buffer, ctx: EnvelopeContext): Buffer;
  /** @throws IntegrityError (or UnsupportedFormatError) when this root did not seal `sealed` for `ctx`. */
  open(sealed: Uint8Array, ctx: EnvelopeContext): Buffer;
  /** Makes a new KEK; `sealed` is what its keyring row stores. */
  createKek(version: number, ctx: EnvelopeContext): { readonly sealed: Buffer; readonly kek: WrappingKek };
  /** The KEK a keyring row names. @throws as {@link open}, or StartupError when the module lacks it. */
  openKek(version: number, sealed: Uint8Array, ctx: EnvelopeContext): WrappingKek;
  /** Releases the module session, if any. */
  close(): void;
}
