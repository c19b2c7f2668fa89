import type { Command } from 'commander';
import {
  CosigningWitness,
  createWitnessKey,
  loadWitnessKey,
  parseHandoverFile,
} from '../../app/audit/index.js';
import { StartupError } from '../../app/startup-error.js';
import { installGracefulShutdown, listen } from '../../http/server.js';
import { buildWitnessServer } from '../../http/witness-server.js';
import { runCommand } from '../run-command.js';
import { readTextFile } from './cli-input.js';

interface ServeOptions {
  name: string;
  key: string;
  state: string;
  log: string[];
  handovers?: string[];
  host: string;
  port: string;
}

/**
 * `medvault witness keygen|serve`: a small standalone C2SP tlog-witness. Run it on another
 * machine than the MedVault server, by someone else; give its verifier key and URL to the server
 * in MEDVAULT_WITNESSES.
 */
export function registerWitnessCommands(program: Command): void {
  const witness = program
    .command('witness')
    .description('a standalone witness that cosigns the audit ledger checkpoints (C2SP tlog-witness)');

  witness
    .command('keygen')
    .description("create the witness's Ed25519 key (PEM, mode 0600) and print its verifier key")
    .requiredOption('--name <name>', 'the witness name, e.g. witness.hospital.example/w1')
    .requiredOption('--key <file>', 'where to write the private key')
    .action(
      runCommand(async (opts: { name: string; key: string }) => {
        const vkey = wrap(() => createWitnessKey(opts.key, opts.name));
        process.stdout.write(`${vkey}\n`);
      }),
    );

  witness
    .command('serve')
    .description('cosign checkpoints of the given logs that extend what this witness cosigned before')
    .requiredOption('--name <name>', 'the witness name the key was made for')
    .requiredOption('--key <file>', 'the private key file (from `witness keygen`)')
    .requiredOption('--state <file>', 'where the witness keeps the latest checkpoint it cosigned per log')
    .requiredOption(
      '--log <vkey...>',
      "each log's FIRST verifier key (the `first key:` line of `medvault keys handovers`); later keys are followed through handovers",
    )
    .option(
      '--handovers <file...>',
      'key handovers to accept at start (`medvault keys handovers` of a log), as POST /add-handover would',
    )
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0: any free one)', '3030')
    .action(
      runCommand(async (opts: ServeOptions) => {
        const port = Number(opts.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535)
          throw new StartupError('--port must be 0..65535');
        const witnessed = wrap(() =>
          CosigningWitness.open({
            name: opts.name,
            privateKey: loadWitnessKey(opts.key),
            logs: opts.log,
            stateFile: opts.state,
            handovers: (opts.handovers ?? []).map((file) =>
              parseHandoverFile(readTextFile(file, 'handovers')),
            ),
          }),
        );
        const server = buildWitnessServer(witnessed);
        installGracefulShutdown(server);
        const url = await listen(server, { host: opts.host, port, tls: undefined });
        process.stdout.write(`Witness ${opts.name} is listening on ${url}\n`);
        process.stdout.write(`Verifier key: ${witnessed.verifierKey}\n`);
        process.stdout.write(`MEDVAULT_WITNESSES entry: ${url} ${witnessed.verifierKey}\n`);
      }),
    );
}

/** Malformed names, keys and state files are the user's to fix: one line, exit 1. */
function wrap<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof StartupError) throw err;
    throw new StartupError((err as Error).message);
  }
}
