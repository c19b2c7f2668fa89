import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import { cosignerVerifierKey } from '../../crypto/cosignature.js';
import { StartupError } from '../startup-error.js';

/**
 * Creates a witness's Ed25519 key as a PKCS#8 PEM file, mode 0600 (never overwriting one), and
 * returns its verifier key (`<name>+<key ID>+<base64(0x04 ‖ key)>`) for MEDVAULT_WITNESSES.
 * @throws StartupError when the file exists.
 */
export function createWitnessKey(file: string, name: string): string {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const vkey = cosignerVerifierKey(name, publicKey); // checks the name before anything is written
  try {
    fs.writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST')
      throw new StartupError(`${file} exists: not replacing a witness key`);
    throw err;
  }
  return vkey;
}

/**
 * Reads a witness key file. @throws StartupError when group or others may read it, or it is
 * not an Ed25519 private key.
 */
export function loadWitnessKey(file: string): KeyObject {
  const stat = fs.statSync(file);
  if ((stat.mode & 0o077) !== 0) throw new StartupError(`${file} is readable by others: chmod 600 it`);
  try {
    const key = createPrivateKey(fs.readFileSync(file));
    if (key.asymmetricKeyType !== 'ed25519') throw new Error('not Ed25519');
    createPublicKey(key);
    return key;
  } catch {
    throw new StartupError(`${file} is not an Ed25519 private key (PEM)`);
  }
}
