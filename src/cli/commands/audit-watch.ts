import fs from 'node:fs';
import type { Command } from 'commander';
import { runCommand } from '../run-command.js';
import { witnessStep, type WitnessState } from '../../app/audit/index.js';

interface WatchOptions {
  url: string;
  state: string;
  token?: string;
}

async function getJson(url: string, token: string | undefined): Promise<Record<string, unknown>> {
  const res = await fetch(url, { headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    const error = body.error as { message?: string } | undefined;
    throw new Error(`${url} answered ${res.status}${error?.message ? `: ${error.message}` : ''}`);
  }
  return body;
}

function readState(file: string): WitnessState | undefined {
  if (!fs.existsSync(file)) return undefined;
  const s = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<WitnessState>;
  if (
    typeof s.origin !== 'string' ||
    typeof s.verifierKey !== 'string' ||
    typeof s.note !== 'string' ||
    typeof s.treeSize !== 'number' ||
    typeof s.root !== 'string' ||
    (s.firstKey !== undefined && typeof s.firstKey !== 'string') ||
    (s.handovers !== undefined &&
      (!Array.isArray(s.handovers) || !s.handovers.every((h) => typeof h === 'string')))
  ) {
    throw new Error(`${file} is not a witness state file`);
  }
  return s as WitnessState;
}

/** Writes the new state atomically (temp file + rename), so a crash never leaves half a file. */
function writeState(file: string, state: WitnessState): void {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, JSON.stringify(state, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** `medvault audit watch`: a witness that catches a rolled-back or forked ledger. */
export function registerAuditWatch(audit: Command): void {
  audit
    .command('watch')
    .description(
      'fetch the newest checkpoint, check its signature (following key handovers from the first key) and that the log only grew since the last run; exit 1 on rollback, fork or a key not handed over',
    )
    .requiredOption('--url <url>', 'base URL of the MedVault server, e.g. https://medvault.example')
    .requiredOption('--state <file>', 'where this witness keeps the last checkpoint it accepted')
    .option('--token <token>', 'session token of any account (env MEDVAULT_TOKEN)')
    .action(
      runCommand(async (opts: WatchOptions) => {
        const token = opts.token ?? process.env.MEDVAULT_TOKEN;
        const base = opts.url.replace(/\/+$/, '');
        let verdict;
        try {
          const previous = readState(opts.state);
          const key = await getJson(`${base}/api/v1/audit/public-key`, undefined);
          const checkpoint = await getJson(`${base}/api/v1/audit/checkpoint`, token);
          const size = Number(checkpoint.treeSize);
          let proof: string[] | undefined;
          if (previous !== undefined && Number.isSafeInteger(size) && size > previous.treeSize) {
            const p = await getJson(
              `${base}/api/v1/audit/proofs/consistency?from=${previous.treeSize}&to=${size}`,
              token,
            );
            proof = Array.isArray(p.proof) ? p.proof.map(String) : [];
          }
          verdict = witnessStep(
            previous,
            {
              note: String(checkpoint.note),
              verifierKey: String(key.verifierKey),
              // Servers before key handovers send neither: the key then is the first key.
              ...(typeof key.firstKey === 'string' ? { firstKey: key.firstKey } : {}),
              ...(Array.isArray(key.handovers) ? { handovers: key.handovers.map(String) } : {}),
            },
            proof,
          );
        } catch (err) {
          process.stderr.write(`medvault: audit watch: ${(err as Error).message}\n`);
          process.exit(1);
        }
        if (!verdict.ok) {
          process.stderr.write(`medvault: audit watch: INCONSISTENT LOG: ${verdict.message}\n`);
          process.exit(1);
        }
        writeState(opts.state, verdict.state);
        process.stdout.write(`ok: ${verdict.message}\n`);
      }),
    );
}
