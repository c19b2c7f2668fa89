import { randomBytes } from 'node:crypto';
import {
  unwrapDek,
  wrapDek,
  type EnvelopeContext,
  type ModuleKek,
  type SealedGcm,
} from '../../crypto/envelope.js';
import { IntegrityError } from '../../crypto/errors.js';
import { StartupError } from '../startup-error.js';
import type { KeyRoot } from './key-root.js';
import type { Pkcs11Token } from './pkcs11-token.js';

/** Label of the token key that seals the keyring's rows. */
export const ROOT_KEY_LABEL = 'medvault-root';
/** Label prefix of the token keys that are KEK versions (`medvault-kek-3`). */
export const KEK_LABEL_PREFIX = 'medvault-kek-';
const ID_BYTES = 32;
/** The version a row sealed by the token root names (the wrapped-key format wants one). */
const ROOT_VERSION = 1;

/**
 * A root inside a PKCS#11 token. The token holds a non-extractable AES-256 root key that seals
 * the keyring's named secrets, and one non-extractable AES-256 key per KEK version; a KEK's
 * keyring row holds only a random 32-byte CKA_ID, sealed by the root key, naming its token key.
 * Every DEK wrap and unwrap runs inside the token (AES-256-GCM, the bytes of the wrapped-DEK
 * format are the same as with an in-process KEK).
 */
export class Pkcs11Root implements KeyRoot {
  readonly masterKey = undefined;
  readonly origin: string;
  private readonly rootKek: ModuleKek;

  private constructor(
    private readonly token: Pkcs11Token,
    rootGcm: SealedGcm,
  ) {
    this.origin = `PKCS#11 token "${token.label}"`;
    this.rootKek = { version: ROOT_VERSION, gcm: rootGcm };
  }

  /**
   * Takes the token's root key; makes one when `mayCreate` (no keyring yet in the database).
   * Closes the token when it refuses.
   * @throws StartupError when the token has no root key and may not make one, or has several.
   */
  static open(token: Pkcs11Token, mayCreate: boolean): Pkcs11Root {
    try {
      const found = token.findKeys({ label: ROOT_KEY_LABEL });
      if (found.length > 1)
        throw new StartupError(
          `PKCS#11 token "${token.label}" holds ${found.length} keys labelled ${ROOT_KEY_LABEL}`,
        );
      let key = found[0];
      if (key === undefined) {
        if (!mayCreate)
          throw new StartupError(
            `PKCS#11 token "${token.label}" holds no ${ROOT_KEY_LABEL} key, yet the database holds a keyring: use the token it was sealed with`,
          );
        key = token.generateKey(ROOT_KEY_LABEL, randomBytes(ID_BYTES));
      }
      return new Pkcs11Root(token, token.gcm(key));
    } catch (err) {
      token.close();
      throw err;
    }
  }

  seal(secret: Buffer, ctx: EnvelopeContext): Buffer {
    return wrapDek(secret, ctx, this.rootKek);
  }

  open(sealed: Uint8Array, ctx: EnvelopeContext): Buffer {
    return unwrapDek(sealed, ctx, (version) => {
      if (version !== ROOT_VERSION) throw new IntegrityError('not sealed by the token root');
      return this.rootKek;
    });
  }

  createKek(version: number, ctx: EnvelopeContext): { sealed: Buffer; kek: ModuleKek } {
    const id = randomBytes(ID_BYTES);
    const key = this.token.generateKey(`${KEK_LABEL_PREFIX}${version}`, id);
    return { sealed: this.seal(id, ctx), kek: { version, gcm: this.token.gcm(key) } };
  }

  openKek(version: number, sealed: Uint8Array, ctx: EnvelopeContext): ModuleKek {
    const id = this.open(sealed, ctx);
    const key = this.token.findKeys({ id })[0];
    if (key === undefined)
      throw new StartupError(
        `PKCS#11 token "${this.token.label}" has lost the key of KEK version ${version}`,
      );
    return { version, gcm: this.token.gcm(key) };
  }

  close(): void {
    this.token.close();
  }
}
