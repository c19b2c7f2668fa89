import fs from 'node:fs/promises';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { STAFF_ROLES } from '../../app/actor.js';
import { openCliApp } from '../open-app.js';
import { invalidInput } from '../../app/errors.js';
import { readPassword } from '../read-password.js';
import { runCommand } from '../run-command.js';
import { configFrom, withDataFlags } from '../settings.js';

interface AddOptions {
  role: string;
  username: string;
  keyOut: string;
  algorithm: 'ed25519' | 'rsa';
  displayName?: string;
}

/**
 * `medvault users add`: creates a staff account from the server's command line (how the first
 * admin comes to exist). The password comes from standard input, never from argv; a fresh key
 * pair is made, its public half registered, and the private half written to --key-out (0600).
 */
export function registerUsersCommands(program: Command): void {
  const users = program.command('users').description('manage staff accounts');

  withDataFlags(users.command('add'))
    .description(
      'create a staff account; reads the password from the first line of standard input (or prompts), ' +
        'writes a new private key to --key-out with mode 0600',
    )
    .addOption(new Option('--role <role>', 'staff role').choices([...STAFF_ROLES]).makeOptionMandatory())
    .requiredOption('--username <name>', 'login name: 3-64 of a-z 0-9 . _ @ -')
    .requiredOption('--key-out <file>', 'where to write the private key (PKCS#8 PEM); must not exist')
    .addOption(new Option('--algorithm <alg>', 'key type').choices(['ed25519', 'rsa']).default('ed25519'))
    .option('--display-name <name>', 'name shown in the UI (default: the username)')
    .action(runCommand(async (opts: AddOptions, cmd: Command) => addUser(opts, cmd)));
}

async function addUser(opts: AddOptions, cmd: Command): Promise<void> {
  const config = configFrom(cmd);
  const keyPath = path.resolve(opts.keyOut);
  // Claim the key file first, exclusively and private: if it exists we refuse before asking for
  // a password or creating an account whose only private key would have nowhere to go.
  let file: fs.FileHandle;
  try {
    file = await fs.open(keyPath, 'wx', 0o600);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw invalidInput(
      code === 'EEXIST'
        ? `${opts.keyOut} already exists; refusing to overwrite a key file.`
        : `cannot create ${opts.keyOut} (${code ?? 'error'}).`,
    );
  }
  let written = false;
  try {
    const password = await readPassword(`Password for ${opts.username}: `);
    if (password.length === 0) throw invalidInput('No password given on standard input.');
    const app = await openCliApp(config);
    try {
      const created = await app.identity.staffAccounts.createAsOperator({
        role: opts.role,
        username: opts.username,
        displayName: opts.displayName ?? opts.username,
        password,
        key: { generate: opts.algorithm },
      });
      // The umask may have narrowed the mode, never widened it; make it exactly 0600.
      await file.chmod(0o600);
      await file.writeFile(created.privateKeyPem ?? '', 'utf8');
      await file.sync();
      written = true;
      process.stdout.write(
        `Created ${created.user.role} "${created.user.username}".\n` +
          `user id: ${created.user.id}\n` +
          `key id:  ${created.keyId} (${created.user.keys[0]?.algorithm ?? opts.algorithm})\n` +
          `Private key written to ${opts.keyOut} (mode 0600). It is stored nowhere else: keep it safe.\n`,
      );
    } finally {
      await app.close();
    }
  } finally {
    await file.close();
    if (!written) await fs.rm(keyPath, { force: true });
  }
}
