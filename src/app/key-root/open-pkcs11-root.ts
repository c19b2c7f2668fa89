import fs from 'node:fs';
import type { Pkcs11Config } from '../../config/config.js';
import { StartupError } from '../startup-error.js';
import { Pkcs11Root } from './pkcs11-root.js';
import { Pkcs11Token } from './pkcs11-token.js';

/**
 * Opens the PKCS#11 root the configuration names: reads the PIN (from the environment, or from
 * a file only its owner can read), logs in to the token and takes its root key, making one when
 * the database has no keyring yet.
 * @throws StartupError (one line, no stack) for a missing module or token, an unreadable or
 *   loosely protected PIN file, a refused PIN, or a token without the database's root key.
 */
export function openPkcs11Root(config: Pkcs11Config, keyringExists: boolean): Pkcs11Root {
  const pin = 'value' in config.pin ? config.pin.value : readPinFile(config.pin.file);
  return Pkcs11Root.open(
    Pkcs11Token.open({ module: config.module, token: config.token, pin }),
    !keyringExists,
  );
}

function readPinFile(file: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new StartupError(`the PKCS#11 PIN file ${file} cannot be read`);
  }
  const mode = stat.mode & 0o777;
  if ((mode & 0o077) !== 0)
    throw new StartupError(
      `the PKCS#11 PIN file ${file} is readable or writable by others (mode ${mode.toString(8)}): run chmod 600 ${file}`,
    );
  const pin = fs.readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  if (pin.length === 0) throw new StartupError(`the PKCS#11 PIN file ${file} is empty`);
  return pin;
}
