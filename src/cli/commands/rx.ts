import fs from 'node:fs';
import type { Command } from 'commander';
import { KeyFormatError } from '../../crypto/signature.js';
import { readTextFile } from './cli-input.js';
import {
  verifyEvidence,
  signPrescriptionDraft,
  type SignedRequest,
  PayloadFormatError,
} from '../../app/prescriptions/index.js';

const EXIT_INVALID = 1;
const EXIT_USAGE = 2;

/**
 * `medvault rx verify|sign`: prescriptions without the server's help. `verify` checks evidence
 * (GET /api/v1/prescriptions/:id/evidence) offline with nothing but that JSON: no database, no
 * configuration, no network. `sign` signs a prescription draft with the doctor's own private key
 * file and prints the request body (optionally submitting it with a session token), so the key
 * never reaches the server.
 */
export function registerRxCommands(program: Command): void {
  const rx = program.command('rx').description('verify prescription evidence offline; sign prescriptions');

  rx.command('verify')
    .argument(
      '<evidence>',
      'evidence JSON file (from GET /api/v1/prescriptions/:id/evidence), or - for stdin',
    )
    .description(
      'verify a prescription signature offline; exit 0 valid, 1 invalid or legacy (signed without the prescription context), 2 unreadable input',
    )
    .action((file: string) => {
      const text = file === '-' ? fs.readFileSync(0, 'utf8') : readTextFile(file, 'evidence');
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        fail(EXIT_USAGE, `${file} is not JSON`);
      }
      const result = verifyEvidence(json);
      if (!result.valid)
        fail(
          EXIT_INVALID,
          result.legacy === true
            ? `prescription signature LEGACY, not accepted as proof: ${result.reason}`
            : `prescription signature INVALID: ${result.reason}`,
        );
      const { evidence: e, payload: p } = result;
      const signer = e.signer.displayName === null ? e.signer.id : `${e.signer.displayName} (${e.signer.id})`;
      process.stdout.write(
        [
          `Prescription ${e.prescriptionId}: signature VALID.`,
          `  signed by  ${signer}`,
          `  key        ${e.keyId} (${e.algorithm})${e.keyRevokedAt === null ? '' : `, revoked ${iso(e.keyRevokedAt)} per the server`}`,
          `  patient    ${p.patientId}`,
          `  medicine   ${p.medicine.name} ${p.medicine.strength} ${p.medicine.form}, ${p.dose} ${p.route} ${p.frequency}`,
          `  quantity   ${p.quantity}, refills ${p.refills}`,
          `  issued     ${iso(p.issuedAt)}, expires ${iso(p.expiresAt)}`,
          '',
        ].join('\n'),
      );
    });

  rx.command('sign')
    .description('sign a prescription draft with your private key file and print the request JSON')
    .requiredOption('--key <file>', 'your PKCS#8 PEM private key (RSA or Ed25519); used in memory only')
    .requiredOption(
      '--payload <file>',
      'draft JSON: patientId, medicine {id,name,strength,form}, dose, route, frequency, quantity, refills, instructions, prescriberId[, expiresAt]',
    )
    .option('--out <file>', 'write the signed request here instead of printing it')
    .option(
      '--submit <url>',
      'also POST it to this MedVault server (base URL), with --token or MEDVAULT_TOKEN',
    )
    .option('--token <token>', 'session token for --submit (default: env MEDVAULT_TOKEN)')
    .action(async (opts: { key: string; payload: string; out?: string; submit?: string; token?: string }) => {
      const keyPem = readTextFile(opts.key, 'key');
      let draft: unknown;
      try {
        draft = JSON.parse(readTextFile(opts.payload, 'payload'));
      } catch {
        fail(EXIT_USAGE, `${opts.payload} is not JSON`);
      }
      if (typeof draft !== 'object' || draft === null || Array.isArray(draft))
        fail(EXIT_USAGE, 'the payload draft must be a JSON object');
      let signed: SignedRequest;
      try {
        signed = signPrescriptionDraft(keyPem, draft as Record<string, unknown>);
      } catch (err) {
        if (err instanceof KeyFormatError || err instanceof PayloadFormatError) fail(EXIT_USAGE, err.message);
        throw err;
      }
      const body = `${JSON.stringify(signed, null, 2)}\n`;
      if (opts.out === undefined) process.stdout.write(body);
      else fs.writeFileSync(opts.out, body);
      if (opts.submit !== undefined)
        await submit(opts.submit, opts.token ?? process.env.MEDVAULT_TOKEN, signed);
    });
}

async function submit(baseUrl: string, token: string | undefined, signed: SignedRequest): Promise<void> {
  if (token === undefined || token.length === 0) fail(EXIT_USAGE, '--submit needs --token or MEDVAULT_TOKEN');
  const url = new URL('/api/v1/prescriptions', baseUrl);
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(signed),
  }).catch((err: unknown) => fail(EXIT_INVALID, `cannot reach ${url.origin}: ${(err as Error).message}`));
  const text = await res.text();
  if (!res.ok) fail(EXIT_INVALID, `the server refused the prescription (HTTP ${res.status}): ${text}`);
  process.stderr.write(`Submitted: ${text}\n`);
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function fail(code: number, message: string): never {
  process.stderr.write(`medvault: ${message}\n`);
  process.exit(code);
}
