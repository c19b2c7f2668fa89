import fs from 'node:fs';
import type { Command } from 'commander';
import type { AppContext } from '../../app/context.js';
import { openCliApp } from '../open-app.js';
import { invalidInput } from '../../app/errors.js';
import { runCommand } from '../run-command.js';
import { configFrom, withDataFlags } from '../settings.js';
import { nonNegativeInteger, readTextFile } from './cli-input.js';
import {
  checkConsistencyOffline,
  checkInclusionOffline,
  offlineVerifier,
  parseHandoverFile,
  parseProofDocument,
  PROOF_FORMAT,
  type ProofDocument,
} from '../../app/audit/index.js';

/**
 * `medvault audit proof inclusion|consistency` (from the database) and `medvault audit
 * verify-proof` (offline: it opens no database, so anyone holding the files and the public key
 * can run it). The file format is documented in src/app/audit/proof-format.ts and the README.
 */
export function registerAuditProofCommands(audit: Command): void {
  const proof = audit
    .command('proof')
    .description('write an RFC 9162 inclusion or consistency proof as JSON');

  withDataFlags(proof.command('inclusion'))
    .description('prove that entry --index is in the tree of --tree-size entries')
    .requiredOption('--index <i>', 'sequence number of the entry')
    .option('--tree-size <n>', 'size of the tree (default: the latest checkpoint)')
    .option('--no-entry', "leave the entry's canonical bytes out of the proof (leaf hash only)")
    .option('--out <file>', 'write the proof to this file instead of printing it')
    .action(
      runCommand(
        async (opts: { index: string; treeSize?: string; entry: boolean; out?: string }, cmd: Command) => {
          const index = nonNegativeInteger(opts.index, '--index');
          const given =
            opts.treeSize === undefined ? undefined : nonNegativeInteger(opts.treeSize, '--tree-size');
          await withApp(cmd, async (app) => {
            const ledger = app.audit.ledger;
            const treeSize = given ?? (await latestSize(app));
            const p = await ledger.inclusionProof(app.store.db, index, treeSize);
            const entry = opts.entry ? await ledger.canonicalEntry(app.store.db, index) : undefined;
            output(opts.out, {
              format: PROOF_FORMAT,
              type: 'inclusion',
              origin: ledger.origin,
              index: p.index,
              treeSize: p.treeSize,
              leafHash: p.leafHash,
              ...(entry === undefined ? {} : { entry }),
              proof: p.proof,
              root: p.root,
            });
          });
        },
      ),
    );

  withDataFlags(proof.command('consistency'))
    .description('prove that the tree of --to entries extends the tree of --from entries')
    .requiredOption('--from <m>', 'size of the older tree')
    .option('--to <n>', 'size of the newer tree (default: the latest checkpoint)')
    .option('--out <file>', 'write the proof to this file instead of printing it')
    .action(
      runCommand(async (opts: { from: string; to?: string; out?: string }, cmd: Command) => {
        const from = nonNegativeInteger(opts.from, '--from');
        const given = opts.to === undefined ? undefined : nonNegativeInteger(opts.to, '--to');
        await withApp(cmd, async (app) => {
          const to = given ?? (await latestSize(app));
          const p = await app.audit.ledger.consistencyProof(app.store.db, from, to);
          output(opts.out, {
            format: PROOF_FORMAT,
            type: 'consistency',
            origin: app.audit.ledger.origin,
            ...p,
          });
        });
      }),
    );

  audit
    .command('verify-proof')
    .description(
      'check a proof file against signed checkpoint files and the ledger public key (or its key handovers), offline (no database)',
    )
    .requiredOption(
      '--checkpoint <file>',
      'signed checkpoint the proof is for (the newer one, for consistency)',
    )
    .option(
      '--key <key>',
      'verifier key string from `audit public-key --verifier-key`, or @FILE (the first key, with --handovers)',
    )
    .option(
      '--handovers <file>',
      "the log's first key and key handovers (`medvault keys handovers`): checkpoints by any key of the chain, within its span",
    )
    .requiredOption('--proof <file>', 'proof file from `audit proof`')
    .option('--old-checkpoint <file>', 'for a consistency proof: the older signed checkpoint')
    .action(
      runCommand(async (opts: VerifyProofOptions) => {
        const key =
          opts.key === undefined
            ? undefined
            : opts.key.startsWith('@')
              ? readTextFile(opts.key.slice(1), 'key').trim()
              : opts.key.trim();
        const handovers =
          opts.handovers === undefined
            ? undefined
            : parseHandoverFile(readTextFile(opts.handovers, 'handovers'));
        const doc: ProofDocument = parseProofDocument(readTextFile(opts.proof, 'proof'));
        const checkpoint = readTextFile(opts.checkpoint, 'checkpoint');
        const verifier = offlineVerifier({
          ...(key === undefined ? {} : { key }),
          ...(handovers === undefined ? {} : { handovers }),
        });
        let result;
        if (!verifier.ok) {
          result = verifier;
        } else if (doc.type === 'inclusion') {
          result = checkInclusionOffline(doc, checkpoint, verifier.verifier);
        } else {
          if (opts.oldCheckpoint === undefined) {
            throw invalidInput(
              'a consistency proof needs --old-checkpoint (the checkpoint of the older tree)',
            );
          }
          result = checkConsistencyOffline(
            doc,
            readTextFile(opts.oldCheckpoint, 'old checkpoint'),
            checkpoint,
            verifier.verifier,
          );
        }
        if (result.ok) {
          process.stdout.write(`OK: ${result.message}\n`);
        } else {
          process.stderr.write(`medvault: proof REJECTED: ${result.message}\n`);
          process.exitCode = 1;
        }
      }),
    );
}

interface VerifyProofOptions {
  checkpoint: string;
  key?: string;
  handovers?: string;
  proof: string;
  oldCheckpoint?: string;
}

async function withApp(cmd: Command, fn: (app: AppContext) => Promise<void>): Promise<void> {
  const app = await openCliApp(configFrom(cmd));
  try {
    await fn(app);
  } finally {
    await app.close();
  }
}

async function latestSize(app: AppContext): Promise<number> {
  const cp = await app.audit.ledger.latestCheckpoint(app.store.db);
  if (cp === null)
    throw invalidInput('no checkpoint yet: run `medvault audit checkpoint` or pass the tree size');
  return cp.treeSize;
}

function output(file: string | undefined, doc: ProofDocument): void {
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  if (file === undefined) process.stdout.write(text);
  else fs.writeFileSync(file, text);
}
