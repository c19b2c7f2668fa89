import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { StartupError } from './startup-error.js';

export const MASTER_KEY_FILE = 'master.key';
const KEY_BYTES = 32;

export interface MasterKeySource {
  /** From MEDVAULT_MASTER_KEY, already validated by the config. */
  readonly fromEnv: Buffer | undefined;
  readonly dataDir: string;
  /** Whether the database already holds a keyring (then a missing key file is an error). */
  readonly keyringExists: boolean;
}

/**
 * Finds the master key: MEDVAULT_MASTER_KEY, else `<dataDir>/master.key`, created with mode 0600
 * on first start. Refuses a key file that group or others can read or write (a master key others
 * can read protects nothing), and a missing key file when the database already holds a keyring.
 */
export function resolveMasterKey(source: MasterKeySource): { key: Buffer; created: boolean; origin: string } {
  if (source.fromEnv !== undefined)
    return { key: source.fromEnv, created: false, origin: 'MEDVAULT_MASTER_KEY' };
  const file = path.join(source.dataDir, MASTER_KEY_FILE);
  if (!fs.existsSync(file)) {
    if (source.keyringExists) {
      throw new StartupError(
        `master key file ${file} is missing but the database holds a keyring: restore the key file or set MEDVAULT_MASTER_KEY`,
      );
    }
    fs.mkdirSync(source.dataDir, { recursive: true, mode: 0o700 });
    // 'wx' fails if another process created the file in between; mode applies at creation.
    fs.writeFileSync(file, randomBytes(KEY_BYTES).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
    return { key: readKeyFile(file), created: true, origin: file };
  }
  return { key: readKeyFile(file), created: false, origin: file };
}

function readKeyFile(file: string): Buffer {
  const mode = fs.statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new StartupError(
      `master key file ${file} is readable or writable by others (mode ${mode.toString(8)}): run chmod 600 ${file}`,
    );
  }
  const text = fs.readFileSync(file, 'utf8').trim();
  const key = Buffer.from(text, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || key.length !== KEY_BYTES) {
    throw new StartupError(`master key file ${file} does not hold base64 of ${KEY_BYTES} bytes`);
  }
  return key;
}

/**
 * Destroys the master key file once the key is held another way (split between officers):
 * overwritten with zeros, flushed, then unlinked. On copy-on-write or flash storage old blocks may
 * survive the overwrite; docs/keys.md says to treat the disk as holding the key until wiped.
 * Returns whether there was a file.
 */
export function destroyMasterKeyFile(dataDir: string): boolean {
  const file = path.join(dataDir, MASTER_KEY_FILE);
  if (!fs.existsSync(file)) return false;
  const fd = fs.openSync(file, 'r+');
  try {
    fs.writeSync(fd, Buffer.alloc(fs.fstatSync(fd).size));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.unlinkSync(file);
  return true;
}
