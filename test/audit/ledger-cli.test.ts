import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { appendMany, openLedger, raw, type LedgerFixture } from './ledger-helpers.js';
import { TEST_MASTER_KEY_B64 } from '../support/master-key.js';
import { DIALECTS, tempDir } from '../support/stores.js';
import { runCli } from '../support/cli.js';

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at /);

describe('medvault audit: help', () => {
  it.each([
    [['audit']],
    [['audit', 'verify']],
    [['audit', 'checkpoint']],
    [['audit', 'public-key']],
    [['audit', 'proof']],
    [['audit', 'proof', 'inclusion']],
    [['audit', 'proof', 'consistency']],
    [['audit', 'verify-proof']],
  ])('prints help for %j', async (args) => {
    const r = await runCli([...args, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: medvault audit/);
  });
});

describe.each(DIALECTS)('medvault audit on %s', (dialect) => {
  let f: LedgerFixture;
  afterEach(async () => f?.t.dispose());

  /** The CLI on the fixture's data: --data-dir always, --database-url on PostgreSQL. */
  const cli = (args: string[]) =>
    runCli(
      [
        ...args,
        '--data-dir',
        f.t.dataDir,
        ...(f.t.databaseUrl === undefined ? [] : ['--database-url', f.t.databaseUrl]),
      ],
      { MEDVAULT_MASTER_KEY: TEST_MASTER_KEY_B64 },
    );

  it('verify exits 0 on a clean log and 1 naming the seq of a changed entry', async () => {
    f = await openLedger(dialect);
    await appendMany(f.ledger, f.db, 25);
    const ok = await cli(['audit', 'verify']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/Audit ledger OK: 25 entries verified/);

    await raw(f.db, sql`update ledger_entries set details = '{"n":0}' where seq = 11`);
    const bad = await cli(['audit', 'verify', '--batch-size', '4']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/FAILED at seq 11 \(content_changed\): entry 11 was altered/);
    expect(bad.stdout).toMatch(/Entries 0\.\.10 verify/);
    noStack(bad.stderr);
  }, 120_000);

  it('keys rotate writes a keys.rotate entry that verify accepts', async () => {
    f = await openLedger(dialect);
    const r = await cli(['keys', 'rotate']);
    expect(r.code, r.stderr).toBe(0);
    const [entry] = (await f.ledger.entries(f.db)).entries;
    expect(entry).toMatchObject({
      seq: 0,
      action: 'keys.rotate',
      actor: null,
      target: { type: 'kek', id: '2' },
      outcome: 'success',
      details: { version: 2, rewrapped: 0, resumed: false },
    });
    expect((await cli(['audit', 'verify'])).code).toBe(0);
  }, 120_000);
});

describe('medvault audit: checkpoints and offline proofs', () => {
  let f: LedgerFixture;
  afterEach(async () => f?.t.dispose());
  const cli = (args: string[]) =>
    runCli([...args, '--data-dir', f.t.dataDir], { MEDVAULT_MASTER_KEY: TEST_MASTER_KEY_B64 });

  it('checks inclusion and consistency proofs made by the CLI, offline, and rejects altered ones', async () => {
    f = await openLedger('sqlite');
    const files = tempDir('medvault-proofs-');
    const file = (name: string) => path.join(files, name);
    await appendMany(f.ledger, f.db, 6);
    expect((await cli(['audit', 'checkpoint', '--out', file('cp6.txt')])).code).toBe(0);
    await appendMany(f.ledger, f.db, 7, 6);
    const printed = await cli(['audit', 'checkpoint']);
    expect(printed.stdout).toMatch(/^medvault\/[0-9a-f]{8}\n13\n/);
    fs.writeFileSync(file('cp13.txt'), printed.stdout);
    const key = (await cli(['audit', 'public-key', '--verifier-key'])).stdout.trim();
    expect(key).toMatch(/^medvault\/[0-9a-f]{8}\+[0-9a-f]{8}\+/);
    const pem = await cli(['audit', 'public-key', '--pem']);
    expect(pem.stdout).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const all = (await cli(['audit', 'public-key'])).stdout;
    expect(all).toContain(
      `verifier key: ${key}\nhandovers: none (the first key signs)\n-----BEGIN PUBLIC KEY-----`,
    );

    expect((await cli(['audit', 'proof', 'inclusion', '--index', '4', '--out', file('inc.json')])).code).toBe(
      0,
    );
    const inc = JSON.parse(fs.readFileSync(file('inc.json'), 'utf8')) as Record<string, unknown>;
    expect(inc).toMatchObject({
      format: 'medvault-audit-proof/v1',
      type: 'inclusion',
      index: 4,
      treeSize: 13,
    });
    expect(inc.entry).toMatch(/^\{"action":/);
    const proofC = await cli(['audit', 'proof', 'consistency', '--from', '6', '--out', file('con.json')]);
    expect(proofC.code, proofC.stderr).toBe(0);

    // Offline: no --data-dir, and a data folder that does not exist stays absent.
    const nowhere = path.join(files, 'no-data-here');
    const offline = (args: string[]) => runCli(args, { MEDVAULT_DATA_DIR: nowhere });
    const okInc = await offline([
      'audit',
      'verify-proof',
      '--checkpoint',
      file('cp13.txt'),
      '--key',
      key,
      '--proof',
      file('inc.json'),
    ]);
    expect(okInc.code, okInc.stderr).toBe(0);
    expect(okInc.stdout).toMatch(
      /OK: entry 4 is in log medvault\/[0-9a-f]{8} as of its checkpoint of 13 entries/,
    );
    fs.writeFileSync(file('key.txt'), `${key}\n`);
    const okCon = await offline([
      'audit',
      'verify-proof',
      '--old-checkpoint',
      file('cp6.txt'),
      '--checkpoint',
      file('cp13.txt'),
      '--key',
      `@${file('key.txt')}`,
      '--proof',
      file('con.json'),
    ]);
    expect(okCon.code, okCon.stderr).toBe(0);
    expect(okCon.stdout).toMatch(/OK: the log .* of 13 entries .* extends the one of 6 entries/);
    expect(fs.existsSync(nowhere)).toBe(false);

    // An altered entry, a proof against the wrong checkpoint, swapped checkpoints: all rejected.
    const tampered = { ...inc, entry: (inc.entry as string).replace('"seq":4', '"seq":5') };
    fs.writeFileSync(file('bad.json'), JSON.stringify(tampered));
    const badEntry = await offline([
      'audit',
      'verify-proof',
      '--checkpoint',
      file('cp13.txt'),
      '--key',
      key,
      '--proof',
      file('bad.json'),
    ]);
    expect(badEntry.code).toBe(1);
    expect(badEntry.stderr).toMatch(/REJECTED: the entry does not hash to leafHash/);
    const wrongCp = await offline([
      'audit',
      'verify-proof',
      '--checkpoint',
      file('cp6.txt'),
      '--key',
      key,
      '--proof',
      file('inc.json'),
    ]);
    expect(wrongCp.code).toBe(1);
    expect(wrongCp.stderr).toMatch(/REJECTED: the proof is for a tree of 13 entries, the checkpoint is of 6/);
    const swapped = await offline([
      'audit',
      'verify-proof',
      '--old-checkpoint',
      file('cp13.txt'),
      '--checkpoint',
      file('cp6.txt'),
      '--key',
      key,
      '--proof',
      file('con.json'),
    ]);
    expect(swapped.code).toBe(1);
    const forged = fs.readFileSync(file('cp13.txt'), 'utf8').replace('\n13\n', '\n12\n');
    fs.writeFileSync(file('forged.txt'), forged);
    const forgedCp = await offline([
      'audit',
      'verify-proof',
      '--checkpoint',
      file('forged.txt'),
      '--key',
      key,
      '--proof',
      file('inc.json'),
    ]);
    expect(forgedCp.code).toBe(1);
    expect(forgedCp.stderr).toMatch(/REJECTED: the checkpoint does not verify with this key/);
    const notAProof = await offline([
      'audit',
      'verify-proof',
      '--checkpoint',
      file('cp13.txt'),
      '--key',
      key,
      '--proof',
      file('cp6.txt'),
    ]);
    expect(notAProof.code).toBe(1);
    expect(notAProof.stderr).toMatch(/not a MedVault proof file/);
    noStack(notAProof.stderr);
  }, 300_000);

  it('verify --checkpoint holds the database to a checkpoint file kept outside it', async () => {
    f = await openLedger('sqlite');
    const files = tempDir('medvault-proofs-');
    await appendMany(f.ledger, f.db, 9);
    expect((await cli(['audit', 'checkpoint', '--out', path.join(files, 'cp.txt')])).code).toBe(0);
    await raw(f.db, sql`delete from ledger_checkpoints`);
    await raw(f.db, sql`delete from ledger_entries where seq >= 5`);
    await raw(f.db, sql`update ledger_head set size = 5`);
    await raw(
      f.db,
      sql`update ledger_head set last_hash = (select leaf_hash from ledger_entries where seq = 4)`,
    );
    expect((await cli(['audit', 'verify'])).code).toBe(0);
    const r = await cli(['audit', 'verify', '--checkpoint', path.join(files, 'cp.txt')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/FAILED at seq 5 \(truncated\)/);
  }, 120_000);

  it('refuses bad numbers and unreadable files as usage errors (exit 2)', async () => {
    f = await openLedger('sqlite');
    expect((await cli(['audit', 'proof', 'inclusion', '--index', 'x', '--tree-size', '1'])).code).toBe(2);
    expect((await cli(['audit', 'verify', '--batch-size', '0'])).code).toBe(2);
    const missing = await runCli([
      'audit',
      'verify-proof',
      '--checkpoint',
      '/nonexistent',
      '--key',
      'k',
      '--proof',
      '/nope',
    ]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read the key|cannot read the proof file/);
    const none = await cli(['audit', 'proof', 'inclusion', '--index', '0']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no checkpoint yet/);
  }, 120_000);
});
