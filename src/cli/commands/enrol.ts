import fs from 'node:fs/promises';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { invalidInput } from '../../app/errors.js';
import { ApiError, createClient, NetworkError } from '../../contract/client/index.js';
import { readPassword } from '../read-password.js';
import { runCommand } from '../run-command.js';
import { enrolWithInvite } from '../staff-enrol.js';

interface EnrolOptions {
  url: string;
  invite: string;
  keyOut: string;
  algorithm: 'ed25519' | 'rsa';
}

/**
 * `medvault enrol --url URL --invite CODE --key-out FILE`: a staff member enrols from their own
 * machine. The key pair is made here and its private half written to --key-out (0600); the
 * password is read from standard input or a hidden prompt (never argv) and asked twice at a
 * terminal; the server receives the password and the public key only.
 */
export function registerEnrolCommand(program: Command): void {
  program
    .command('enrol')
    .description(
      'enrol a staff account with the invite code an administrator gave you: chooses your password ' +
        '(first line of standard input, or a prompt) and makes your key pair here, writing the private key to --key-out (0600)',
    )
    .requiredOption('--url <url>', 'the MedVault server, e.g. https://medvault.hospital.example')
    .requiredOption('--invite <code>', 'the one-time invite code (e.g. 7QKX2-M9D4R-0HZ3T-WB1NE-4G8JA)')
    .requiredOption('--key-out <file>', 'where to write your private key (PKCS#8 PEM); must not exist')
    .addOption(new Option('--algorithm <alg>', 'key type').choices(['ed25519', 'rsa']).default('ed25519'))
    .action(runCommand(async (opts: EnrolOptions) => enrol(opts)));
}

async function enrol(opts: EnrolOptions): Promise<void> {
  let origin: string;
  try {
    origin = new URL(opts.url).origin;
  } catch {
    throw invalidInput(`--url ${opts.url} is not a URL.`);
  }
  const keyPath = path.resolve(opts.keyOut);
  // Claim the key file first, exclusively and private, before asking for anything.
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
    const password = await readPassword('Choose your password: ');
    if (password.length === 0) throw invalidInput('No password given on standard input.');
    if (process.stdin.isTTY && (await readPassword('Repeat it: ')) !== password)
      throw invalidInput('The two passwords differ; nothing was sent.');
    let enrolled;
    try {
      enrolled = await enrolWithInvite(
        createClient({ baseUrl: origin }),
        opts.invite,
        password,
        opts.algorithm,
      );
    } catch (err) {
      if (err instanceof ApiError) throw invalidInput(`enrolment refused: ${err.message} (${err.code})`);
      if (err instanceof NetworkError) throw invalidInput(`cannot reach ${origin}.`);
      throw err;
    }
    await file.chmod(0o600);
    await file.writeFile(enrolled.privateKeyPem, 'utf8');
    await file.sync();
    written = true;
    process.stdout.write(
      `Enrolled ${enrolled.role} "${enrolled.username}".\n` +
        `key id:  ${enrolled.keyId}\n` +
        `Private key written to ${opts.keyOut} (mode 0600). It is stored nowhere else: keep it safe.\n` +
        (enrolled.active
          ? 'The account is active: you can sign in.\n'
          : 'The account waits for a second administrator to approve it; you can sign in once they have.\n'),
    );
  } finally {
    await file.close();
    if (!written) await fs.rm(keyPath, { force: true });
  }
}
