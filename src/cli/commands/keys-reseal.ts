import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { splitMasterKey } from '../../app/custody/index.js';
import { resealKeyring } from '../../app/key-reseal.js';
import type { KeyRoot } from '../../app/key-root/key-root.js';
import { MasterKeyRoot } from '../../app/key-root/master-key-root.js';
import { openPkcs11Root } from '../../app/key-root/open-pkcs11-root.js';
import { destroyMasterKeyFile, MASTER_KEY_FILE } from '../../app/master-key.js';
import { StartupError } from '../../app/startup-error.js';
import { openCliApp } from '../open-app.js';
import { startProgress, type Progress } from '../progress.js';
import { runCommand } from '../run-command.js';
import { configFrom, withDataFlags } from '../settings.js';

const TARGETS = ['file', 'pkcs11', 'split'] as const;
type Target = (typeof TARGETS)[number];

const whole = (name: string, raw: string | undefined): number => {
  const n = Number(raw);
  if (raw === undefined || !Number.isSafeInteger(n) || n < 2 || n > 255) {
    process.stderr.write(`medvault: ${name} expects a whole number between 2 and 255\n`);
    process.exit(2);
  }
  return n;
};

/**
 * `medvault keys reseal --to file|pkcs11|split`: moves the keyring under a new root in one
 * transaction (src/app/key-reseal.ts), with the servers stopped. `file`: a new random master key
 * in `<data dir>/master.key` (written as master.key.new first, renamed once committed);
 * `pkcs11`: the token MEDVAULT_PKCS11_* names (the keyring is opened with the old master key), or,
 * from a token, the token MEDVAULT_PKCS11_NEW_* names (the keyring is opened by the old token);
 * `split`: a new random master key split at once between officers (new shares printed once).
 */
export function registerKeysResealCommand(keys: Command): void {
  withDataFlags(keys.command('reseal'))
    .description(
      're-seal the keyring under a new master key, a PKCS#11 token (out of a token: the one MEDVAULT_PKCS11_NEW_* names) or a new split (servers stopped)',
    )
    .requiredOption('--to <root>', 'file | pkcs11 | split')
    .option('--shares <n>', 'with --to split: how many officers get a share (2..255)')
    .option('--threshold <k>', 'with --to split: how many shares unseal (2..shares)')
    .action(
      runCommand(async (opts: { to: string; shares?: string; threshold?: string }, cmd: Command) => {
        if (!(TARGETS as readonly string[]).includes(opts.to)) {
          process.stderr.write('medvault: --to expects file, pkcs11 or split\n');
          process.exit(2);
        }
        const to = opts.to as Target;
        const split =
          to === 'split'
            ? { shares: whole('--shares', opts.shares), threshold: whole('--threshold', opts.threshold) }
            : undefined;
        if (split !== undefined && split.threshold > split.shares) {
          process.stderr.write('medvault: --threshold cannot exceed --shares\n');
          process.exit(2);
        }
        const config = configFrom(cmd);
        if (to === 'pkcs11' && config.pkcs11 === undefined)
          throw new StartupError(
            '--to pkcs11 needs MEDVAULT_PKCS11_MODULE, _TOKEN or _SLOT, and _PIN or _PIN_FILE',
          );
        if (config.pkcs11Next !== undefined && to !== 'pkcs11')
          throw new StartupError(
            'MEDVAULT_PKCS11_NEW_* name a token to move the keyring into: use --to pkcs11, or unset them',
          );
        // From a token into another, the keyring is opened by the token it is in
        // (MEDVAULT_PKCS11_*) and moves into MEDVAULT_PKCS11_NEW_*. Into a token from a master
        // key, it is opened by that key and moves into MEDVAULT_PKCS11_*.
        const betweenTokens = config.pkcs11Next !== undefined;
        const into = betweenTokens ? config.pkcs11Next : config.pkcs11;
        const app = await openCliApp(
          to === 'pkcs11' && !betweenTokens ? { ...config, pkcs11: undefined } : config,
        );
        const newKey = to === 'pkcs11' ? undefined : randomBytes(32);
        const pendingFile = path.join(config.dataDir, `${MASTER_KEY_FILE}.new`);
        let root: KeyRoot | undefined;
        let progress: Progress | undefined;
        let shares: readonly string[] = [];
        try {
          if (newKey === undefined) {
            root = openPkcs11Root(into!, false);
            if (root.origin === app.keyring.rootOrigin)
              throw new StartupError(
                `the keyring is in the ${root.origin} already: MEDVAULT_PKCS11_NEW_* must name another token`,
              );
          } else {
            root = new MasterKeyRoot(newKey, 'master key');
            if (to === 'file')
              fs.writeFileSync(pendingFile, newKey.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
          }
          const result = await resealKeyring(app.store.db, app.keyring, root, {
            audit: { ledger: app.audit.ledger, actor: null },
            onStart: (pending) => {
              process.stdout.write(
                `Re-sealing the keyring (${app.keyring.rootOrigin} → ${root!.origin}): ${pending} data keys.\n`,
              );
              if (pending > 0) progress = startProgress('re-wrapping', pending);
            },
            onProgress: (done) => progress?.update(done),
            inTransaction:
              split === undefined
                ? undefined
                : async (tx) => {
                    shares = (await splitMasterKey(tx, newKey!, split.shares, split.threshold)).shares;
                  },
          });
          progress?.stop();
          const say = (line: string): boolean => process.stdout.write(line + '\n');
          say(
            `Done: ${result.rewrapped} data keys wrapped by KEK version ${result.version}; ${result.dropped} old KEK versions deleted. The old root opens nothing now.`,
          );
          const hadFile = destroyMasterKeyFile(config.dataDir);
          if (to === 'file') {
            fs.renameSync(pendingFile, path.join(config.dataDir, MASTER_KEY_FILE));
            say(`The new master key is in ${path.join(config.dataDir, MASTER_KEY_FILE)}.`);
          } else if (hadFile) say('The old master key file was overwritten and removed.');
          if (split !== undefined) {
            say(
              `Any ${split.threshold} of these ${split.shares} NEW shares unseal MedVault; every old share is useless:`,
            );
            shares.forEach((share, i) => say(`Share ${i + 1} of ${split.shares}: ${share}`));
          }
          if (config.masterKey !== undefined)
            say('Unset MEDVAULT_MASTER_KEY everywhere: it opens nothing now.');
          if (config.pkcs11 !== undefined && to !== 'pkcs11')
            say('Unset the MEDVAULT_PKCS11_* settings: the token no longer holds this keyring.');
          if (betweenTokens)
            say(
              `On every server, point MEDVAULT_PKCS11_* at the ${root.origin} (as MEDVAULT_PKCS11_NEW_* did here): the old token opens nothing now. Unset MEDVAULT_PKCS11_NEW_*.`,
            );
        } catch (err) {
          if (to === 'file') fs.rmSync(pendingFile, { force: true });
          throw err;
        } finally {
          progress?.stop();
          root?.close();
          await app.close();
        }
      }),
    );
}
