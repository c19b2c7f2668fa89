import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Pkcs11Config } from '../../src/config/config.js';
import { tempDir } from './stores.js';

export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';
export const USER_PIN = '1234';

/**
 * A SoftHSM2 token store in a fresh temporary folder, made this process's (SOFTHSM2_CONF is read
 * when the library initialises; a library is initialised again after every token is closed).
 */
export function softhsmStore(): {
  readonly conf: string;
  initToken(label: string): Pkcs11Config & { readonly token: { readonly label: string } };
} {
  const dir = tempDir('medvault-softhsm-');
  const tokens = path.join(dir, 'tokens');
  fs.mkdirSync(tokens);
  const conf = path.join(dir, 'softhsm2.conf');
  fs.writeFileSync(conf, `directories.tokendir = ${tokens}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  process.env.SOFTHSM2_CONF = conf;
  return {
    conf,
    initToken(label) {
      execFileSync(
        'softhsm2-util',
        ['--init-token', '--free', '--label', label, '--pin', USER_PIN, '--so-pin', '5678'],
        { env: { ...process.env, SOFTHSM2_CONF: conf }, stdio: 'ignore' },
      );
      return { module: SOFTHSM_MODULE, token: { label }, pin: { value: USER_PIN } };
    },
  };
}
