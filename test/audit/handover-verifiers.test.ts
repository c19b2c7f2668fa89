import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkConsistencyOffline,
  composeAudit,
  formatHandoverFile,
  offlineVerifier,
  parseHandoverFile,
  PROOF_FORMAT,
  type AuditServices,
  type ConsistencyProofDocument,
} from '../../src/app/audit/index.js';
import { LEDGER_SIGNING_SECRET } from '../../src/app/audit/ledger-keys.js';
import { ledgerSigningKey } from '../../src/app/audit/signing-key.js';
import { checkRestoredLedger } from '../../src/app/backup/index.js';
import { AppError } from '../../src/app/errors.js';
import { formatCheckpoint, signCheckpoint, verifierKeyString } from '../../src/crypto/checkpoint.js';
import { signHandover } from '../../src/crypto/key-handover.js';
import { runCli } from '../support/cli.js';
import { TestClock } from '../support/clock.js';
import { TEST_MASTER_KEY_B64 } from '../support/master-key.js';
import { DIALECTS, tempDir } from '../support/stores.js';
import { startTestWitness } from '../support/witness-server.js';
import { openTestWorld, type TestWorld } from '../support/world.js';
import { appendMany } from './ledger-helpers.js';

/**
 * Issue 18: after `medvault keys handover`, every verifier outside the server follows the chain
 * from the log's first key — the standalone witness (given the statements by the log's client),
 * `audit verify-proof --handovers` — and holds each key to its span.
 */
const WITNESS = 'witness.test/w1';

describe.each(DIALECTS)('outside verifiers across a key handover on %s', (dialect) => {
  let w: TestWorld;
  let dir: string;
  let witness: FastifyInstance | undefined;
  let stateFile: string;

  afterEach(async () => {
    await witness?.close();
    witness = undefined;
    await w?.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The audit context as `serve` composes it, with a real witness that trusts the FIRST key. */
  async function open(): Promise<AuditServices> {
    dir = tempDir();
    const clock = new TestClock(1_714_000_000_000);
    w = await openTestWorld({
      db: dialect,
      clock,
      settings: { MEDVAULT_CHECKPOINT_FILE: path.join(dir, 'checkpoints') },
    });
    stateFile = path.join(dir, 'witness.json');
    const started = await startTestWitness({
      name: WITNESS,
      privateKey: generateKeyPairSync('ed25519').privateKey,
      logs: [w.audit.ledger.publicKey().verifierKey],
      stateFile,
    });
    witness = started.server;
    return composeAudit({
      db: w.db,
      keyring: w.keyring,
      clock: () => clock.now,
      checkpoints: {
        everyEntries: 100,
        everySeconds: 60,
        file: path.join(dir, 'checkpoints'),
        witnesses: [{ url: started.url, key: started.key }],
      },
    });
  }

  it("a witness that knew only the first key cosigns the new key's checkpoint: the log's client gives it the handover", async () => {
    const audit = await open();
    await appendMany(audit.ledger, w.db, 10);
    expect((await audit.autoCheckpoints.tick()).cosigned.get(WITNESS)).toBe(10);
    const handed = await audit.ledger.handOverSigningKey(w.db, null);
    await appendMany(audit.ledger, w.db, 5, 100);
    const tick = await audit.autoCheckpoints.tick(true);
    expect(tick.signed?.note).toContain(`\u2014 ${audit.ledger.origin} `);
    expect(tick.cosigned.get(WITNESS)).toBe(16); // 10 + the keys.handover entry + 5
    const saved = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as {
      logs: Record<string, { size: number; handovers: string[] }>;
    };
    expect(saved.logs[audit.ledger.origin]).toMatchObject({ size: 16, handovers: [handed.statement] });
    const verified = await audit.verification.verify();
    expect(verified).toMatchObject({ ok: true });
    expect(verified.witnessed[0]?.treeSize).toBe(16);
  });

  it("a restore's ledger check accepts a backup checkpoint signed by the key handed over since", async () => {
    const audit = await open();
    await appendMany(audit.ledger, w.db, 4);
    const backupCheckpoint = (await audit.ledger.checkpoint(w.db)).note;
    await audit.ledger.handOverSigningKey(w.db, null);
    await appendMany(audit.ledger, w.db, 2, 100);
    const check = await checkRestoredLedger(w, backupCheckpoint);
    expect(check.message).toMatch(/extends the one of 4 entries/);
    expect(check).toMatchObject({ ok: true, size: 7 });
  });

  it('verify-proof of a consistency proof spanning a handover passes with --handovers, fails without', async () => {
    const audit = await open();
    const { ledger } = audit;
    const files = (name: string) => path.join(dir, name);
    const firstKey = ledger.publicKey().verifierKey;
    await appendMany(ledger, w.db, 6);
    fs.writeFileSync(files('cp6.txt'), (await ledger.checkpoint(w.db)).note);
    await ledger.handOverSigningKey(w.db, null);
    await appendMany(ledger, w.db, 4, 100);
    const cp11 = await ledger.checkpoint(w.db);
    fs.writeFileSync(files('cp11.txt'), cp11.note);
    const proof: ConsistencyProofDocument = {
      format: PROOF_FORMAT,
      type: 'consistency',
      origin: ledger.origin,
      ...(await ledger.consistencyProof(w.db, 6, 11)),
    };
    fs.writeFileSync(files('c.json'), JSON.stringify(proof));

    const cli = (args: string[]) =>
      runCli(
        [
          ...args,
          '--data-dir',
          w.t.dataDir,
          ...(w.t.databaseUrl === undefined ? [] : ['--database-url', w.t.databaseUrl]),
        ],
        { MEDVAULT_MASTER_KEY: TEST_MASTER_KEY_B64 },
      );
    const printed = await cli(['keys', 'handovers']);
    expect(printed.code, printed.stderr).toBe(0);
    expect(printed.stdout.startsWith(`first key: ${firstKey}\n\nmedvault/key-handover\n`)).toBe(true);
    fs.writeFileSync(files('handovers.txt'), printed.stdout);
    // `audit public-key` names the first key and counts the handovers, pointing at the command above.
    const published = await cli(['audit', 'public-key']);
    expect(published.stdout).toContain(
      `verifier key: ${ledger.publicKey().verifierKey}\nfirst key: ${firstKey}\n`,
    );
    expect(published.stdout).toMatch(/^handovers: 1 \(.*`medvault keys handovers`/m);

    const offline = (args: string[]) =>
      runCli(
        [
          'audit',
          'verify-proof',
          '--old-checkpoint',
          files('cp6.txt'),
          '--checkpoint',
          files('cp11.txt'),
          '--proof',
          files('c.json'),
          ...args,
        ],
        {
          MEDVAULT_DATA_DIR: path.join(dir, 'no-data-here'),
        },
      );
    const withChain = await offline(['--handovers', files('handovers.txt')]);
    expect(withChain.code, withChain.stderr).toBe(0);
    expect(withChain.stdout).toMatch(/OK: the log .* of 11 entries .* extends the one of 6 entries/);
    const keyOnly = await offline(['--key', firstKey]);
    expect(keyOnly.code).toBe(1);
    expect(keyOnly.stderr).toMatch(
      /REJECTED: the checkpoint does not verify with this key: .*give its handovers: `medvault keys handovers`/,
    );

    // In process, the same checks (one code path): an old key past its span, a key never handed over.
    const chain = offlineVerifier({ key: firstKey, handovers: parseHandoverFile(printed.stdout) });
    if (!chain.ok) throw new Error(chain.message);
    const check = (oldNote: string, newNote: string) =>
      checkConsistencyOffline(proof, oldNote, newNote, chain.verifier);
    expect(check(fs.readFileSync(files('cp6.txt'), 'utf8'), cp11.note)).toMatchObject({ ok: true });
    const signedBy = (priv: Parameters<typeof signCheckpoint>[2]) =>
      signCheckpoint(
        formatCheckpoint({
          origin: ledger.origin,
          treeSize: 11,
          rootHash: Buffer.from(cp11.root, 'base64'),
          timestamp: 1_714_000_000,
        }),
        ledger.origin,
        priv,
      );
    const oldKey = ledgerSigningKey(await w.keyring.secret(LEDGER_SIGNING_SECRET));
    const beyond = check(fs.readFileSync(files('cp6.txt'), 'utf8'), signedBy(oldKey.privateKey));
    expect(beyond).toMatchObject({ ok: false });
    expect(beyond.message).toMatch(
      /the checkpoint does not verify with the log's keys \(first key and 1 handover\): checkpoint of size 11 is signed by key generation 1, which signs sizes 0\.\.6/,
    );
    const stranger = check(
      fs.readFileSync(files('cp6.txt'), 'utf8'),
      signedBy(generateKeyPairSync('ed25519').privateKey),
    );
    expect(stranger.message).toMatch(/signed by no key of the log's chain/);
  }, 240_000);
});

describe('offline verifier from a handovers file (verify-proof --handovers)', () => {
  const ORIGIN = 'medvault/test';
  const first = generateKeyPairSync('ed25519');
  const second = generateKeyPairSync('ed25519');
  const mallory = generateKeyPairSync('ed25519');
  const FIRST = verifierKeyString(ORIGIN, first.publicKey);
  const MALLORY = verifierKeyString(ORIGIN, mallory.publicKey);
  const statement = (oldKey = first.privateKey, newKey = second.privateKey) =>
    signHandover({ origin: ORIGIN, generation: 2, treeSize: 5, timestamp: 1 }, oldKey, newKey);
  const appError = (fn: () => unknown): AppError => {
    try {
      fn();
    } catch (err) {
      if (err instanceof AppError) return err;
      throw err;
    }
    throw new Error('no error');
  };

  it('reads what `keys handovers` prints, with CRLF or trailing lines, and refuses anything else naming the problem', () => {
    const text = formatHandoverFile({ firstKey: FIRST, statements: [statement()] });
    expect(parseHandoverFile(text)).toEqual({ firstKey: FIRST, statements: [statement()] });
    expect(parseHandoverFile(`${text.replace(/\n/g, '\r\n')}\r\n\r\n`).statements).toEqual([statement()]);
    expect(parseHandoverFile(`first key: ${FIRST}\n`).statements).toEqual([]);
    for (const [bad, problem] of [
      [`${FIRST}\n`, /first line must be "first key: <verifier key>"/],
      [`${text}garbage\n`, /after statement 1 comes something/],
      [
        text.replace('generation 2', 'generation two'),
        /after the first key comes|statement 1 is not a handover statement/,
      ],
      [text.replace('\nsize 5\n', '\nsize five\n'), /not a handover statement|comes something/],
    ] as const) {
      const err = appError(() => parseHandoverFile(bad));
      expect(err.code).toBe('invalid_handover_file');
      expect(err.message).toMatch(problem);
    }
  });

  it('rejects a forged chain (signed by a key not in it, or by the new key only) and a file from another first key', () => {
    for (const forged of [statement(mallory.privateKey), statement(mallory.privateKey, mallory.privateKey)]) {
      const v = offlineVerifier({ key: FIRST, handovers: { firstKey: FIRST, statements: [forged] } });
      expect(v).toMatchObject({ ok: false });
      if (!v.ok) expect(v.message).toMatch(/the key handovers do not form a chain from the first key/);
    }
    const lines = statement().split('\n');
    const newOnly = [...lines.slice(0, -3), lines.at(-2), ''].join('\n');
    expect(offlineVerifier({ handovers: { firstKey: FIRST, statements: [newOnly] } }).ok).toBe(false);
    const swapped = appError(() =>
      offlineVerifier({ key: FIRST, handovers: { firstKey: MALLORY, statements: [] } }),
    );
    expect(swapped.code).toBe('invalid_handover_file');
    expect(swapped.message).toMatch(/starts from the key .*, not from --key/);
    expect(appError(() => offlineVerifier({})).code).toBe('invalid_input');
    expect(appError(() => offlineVerifier({ key: 'nonsense' })).code).toBe('invalid_verifier_key');
  });
});
