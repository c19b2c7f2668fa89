import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { readCheckpointNotes } from '../../src/app/audit/checkpoint-file.js';
import { appendMany, openLedger, raw, rows, type LedgerFixture } from './ledger-helpers.js';
import { TEST_MASTER_KEY_B64 } from '../support/master-key.js';
import { tempDir } from '../support/stores.js';
import { runCli, spawnCli, waitForExit, waitForOutput } from '../support/cli.js';

/**
 * End to end, with real processes: `medvault witness serve`, `medvault serve` signing and
 * publishing by itself, and `medvault audit verify` catching the last 125 entries deleted from
 * the database with the head row fixed (issue 15, finding 7).
 */
describe('automatic checkpoints, a witness process and audit verify (CLI)', () => {
  let f: LedgerFixture | undefined;
  const children: ChildProcess[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    await f?.t.dispose();
  });

  it('serve publishes to the file and the witness; verify then names the truncation and the witnessed size', async () => {
    f = await openLedger('sqlite');
    const files = tempDir('medvault-outside-');
    const keyFile = path.join(files, 'w1.key');
    const gen = await runCli(['witness', 'keygen', '--name', 'witness.test/w1', '--key', keyFile]);
    expect(gen.code, gen.stderr).toBe(0);
    const witnessKey = gen.stdout.trim();
    expect(witnessKey).toMatch(/^witness\.test\/w1\+[0-9a-f]{8}\+/);
    expect((fs.statSync(keyFile).mode & 0o777).toString(8)).toBe('600');

    const witness = spawnCli([
      'witness',
      'serve',
      ...['--name', 'witness.test/w1', '--key', keyFile, '--state', path.join(files, 'w1.json')],
      ...['--log', f.ledger.publicKey().verifierKey, '--port', '0'],
    ]);
    children.push(witness);
    const witnessUrl = /listening on (http:\/\/\S+)/.exec(
      await waitForOutput(witness, /listening on http:\/\/\S+\n/),
    )![1]!;

    await appendMany(f.ledger, f.db, 300);
    const file = path.join(files, 'checkpoints');
    const env = {
      MEDVAULT_MASTER_KEY: TEST_MASTER_KEY_B64,
      MEDVAULT_CHECKPOINT_FILE: file,
      MEDVAULT_WITNESSES: `${witnessUrl} ${witnessKey}`,
      LOG_LEVEL: 'silent',
    };
    const server = spawnCli(['serve', '--port', '0', '--data-dir', f.t.dataDir], env);
    children.push(server);
    const serverExit = waitForExit(server);
    await waitForOutput(server, /listening on/);
    // The server's own task: the log grew by ≥ 100 entries, so it signs within its one-second poll.
    for (let i = 0; i < 100 && readCheckpointNotes(file).length < 2; i++)
      await new Promise((r) => setTimeout(r, 200));
    server.kill('SIGTERM');
    expect((await serverExit).code).toBe(0);
    expect(readCheckpointNotes(file).map((n) => n.split('\n')[1])).toEqual(['300', '300']);

    const verify = () => runCli(['audit', 'verify', '--data-dir', f!.t.dataDir], env);
    const clean = await verify();
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toMatch(/Witnessed up to 300 entries\.\n {2}witness\.test\/w1 cosigned 300 entries/);

    await raw(f.db, sql`delete from ledger_entries where seq >= 175`);
    await raw(f.db, sql`delete from ledger_nodes where (idx + 1) * power(2, level) > 175`);
    await raw(f.db, sql`delete from ledger_checkpoints where tree_size > 175`);
    const last = (await rows(f.db)).at(-1)!;
    await raw(f.db, sql`update ledger_head set size = 175, last_hash = ${last.leaf_hash}`);
    const r = await verify();
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /FAILED at seq 175 \(truncated\): the log ends after 175 entries but .* covers 300/,
    );
    expect(r.stdout).toMatch(/checkpoint file .*: newest checkpoint covers 300 entries/);
    expect(r.stdout).toMatch(/witness witness\.test\/w1 .*: newest checkpoint covers 300 entries/);
    fs.rmSync(files, { recursive: true, force: true });
  }, 240_000);
});
