import { randomBytes } from 'node:crypto';
import { openWithDek, sealWithDek, type EnvelopeContext, type Kek } from '../../crypto/envelope.js';
import type { KeyRoot } from './key-root.js';

const KEY_BYTES = 32;

/**
 * A root that is a 32-byte master key held in this process: keyring rows are sealed with the
 * envelope format (AES-256-GCM, key-committing), and each KEK is random bytes in its row.
 */
export class MasterKeyRoot implements KeyRoot {
  constructor(
    readonly masterKey: Buffer,
    readonly origin = 'master key',
  ) {}

  seal(secret: Buffer, ctx: EnvelopeContext): Buffer {
    return sealWithDek(secret, ctx, this.masterKey);
  }

  open(sealed: Uint8Array, ctx: EnvelopeContext): Buffer {
    return openWithDek(sealed, ctx, this.masterKey);
  }

  createKek(version: number, ctx: EnvelopeContext): { sealed: Buffer; kek: Kek } {
    const key = randomBytes(KEY_BYTES);
    return { sealed: this.seal(key, ctx), kek: { version, key } };
  }

  openKek(version: number, sealed: Uint8Array, ctx: EnvelopeContext): Kek {
    return { version, key: this.open(sealed, ctx) };
  }

  close(): void {}
}
