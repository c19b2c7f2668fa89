import { createPublicKey, verify } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSignedCheckpoint, verifySignedCheckpoint } from '../../src/crypto/checkpoint.js';
import { leafHash, rootFromLeafHashes, verifyConsistency, verifyInclusion } from '../../src/crypto/merkle.js';
import { consistencyProofFromLeaves, inclusionProofFromLeaves } from '../../src/crypto/merkle-reference.js';
import { canonicalJson } from '../../src/contract/canonical-json.js';
import { entryObject, ZERO_HASH_HEX } from '../../src/app/audit/entry.js';
import { AppError } from '../../src/app/errors.js';
import { appendMany, event, openLedger, QueryCounter, rows, type LedgerFixture } from './ledger-helpers.js';
import { DIALECTS } from '../support/stores.js';

const b = (s: string): Buffer => Buffer.from(s, 'base64');

/** Leaf hashes computed independently: RFC 8785 via the generic serialiser, hashed by merkle.ts. */
async function referenceLeaves(f: LedgerFixture): Promise<Buffer[]> {
  return (await rows(f.db)).map((r) =>
    leafHash(Buffer.from(canonicalJson(entryObject(r, r.prev_hash)), 'utf8')),
  );
}

async function expectAppError(p: Promise<unknown>, kind: string): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).kind).toBe(kind);
}

describe.each(DIALECTS)('audit ledger appends and proofs on %s', (dialect) => {
  let f: LedgerFixture;
  afterEach(async () => f?.t.dispose());

  it('appendMany writes the same chain and tree as one append per event, in one head update', async () => {
    f = await openLedger(dialect);
    await appendMany(f.ledger, f.db, 5);
    const batch = Array.from({ length: 37 }, (_, i) => event(100 + i));
    const results = await f.ledger.appendMany(f.db, batch);
    expect(results.map((r) => r.seq)).toEqual(Array.from({ length: 37 }, (_, i) => 5 + i));
    expect(await f.ledger.appendMany(f.db, [])).toEqual([]);
    const leaves = await referenceLeaves(f);
    expect(leaves.map((l) => l.toString('hex'))).toEqual((await rows(f.db)).map((r) => r.leaf_hash));
    const cp = await f.ledger.checkpoint(f.db);
    expect(b(cp.root).equals(rootFromLeafHashes(leaves))).toBe(true);
    expect((await f.ledger.verify(f.db)).ok).toBe(true);
  });

  it('appendMany costs a few statements whatever the batch size, and batches at any offset build the same tree', async () => {
    f = await openLedger(dialect);
    let size = 0;
    // Odd and even starts, batches crossing power-of-two boundaries, one over the 1,000-row insert chunk.
    for (const n of [1, 2, 3, 7, 100, 1, 130, 1500, 9]) {
      const counter = new QueryCounter();
      const batch = Array.from({ length: n }, (_, i) => event(size + i));
      const results = await f.ledger.appendMany(f.db.withPlugin(counter), batch);
      expect(results.map((r) => r.seq)).toEqual(batch.map((_, i) => size + i));
      // lock head, read older nodes (≤ 1), insert entries (per 1,000), insert nodes, set head
      // (plus the transaction's own statements on PostgreSQL).
      expect(counter.queries, `batch of ${n}`).toBeLessThanOrEqual(5 + Math.ceil(n / 1000) + 3);
      size += n;
    }
    const leaves = await referenceLeaves(f);
    expect(leaves).toHaveLength(size);
    const cp = await f.ledger.checkpoint(f.db);
    expect(b(cp.root).equals(rootFromLeafHashes(leaves))).toBe(true);
    expect((await f.ledger.verify(f.db)).ok).toBe(true);
  });

  it('appends entries 0, 1, 2… each chained to the one before and MACed', async () => {
    f = await openLedger(dialect);
    const first = await f.ledger.append(f.db, event(1));
    const second = await f.ledger.append(f.db, event(2));
    expect(first.seq).toBe(0);
    expect(second.seq).toBe(1);
    const [r0, r1] = await rows(f.db);
    expect(r0!.prev_hash).toBe(ZERO_HASH_HEX);
    expect(r1!.prev_hash).toBe(first.leafHash);
    expect(r0!.leaf_hash).toBe(first.leafHash);
    expect(r0!.mac).toMatch(/^[0-9a-f]{64}$/);
    expect(await f.ledger.size(f.db)).toBe(2);
  });

  it('logs of several sizes: every inclusion proof verifies against the signed checkpoint and the reference', async () => {
    f = await openLedger(dialect);
    const key = f.ledger.publicKey();
    const checkpoints: Array<{ size: number; root: Buffer }> = [];
    let size = 0;
    for (const target of [1, 2, 3, 5, 8, 13, 21, 33]) {
      await appendMany(f.ledger, f.db, target - size, size);
      size = target;
      const cp = await f.ledger.checkpoint(f.db);
      const signed = verifySignedCheckpoint(cp.note, key.verifierKey, { origin: key.origin });
      expect(signed.treeSize).toBe(size);
      checkpoints.push({ size, root: signed.rootHash });
    }
    const leaves = await referenceLeaves(f);
    for (const { size: n, root } of checkpoints) {
      expect(root.equals(rootFromLeafHashes(leaves.slice(0, n)))).toBe(true);
      for (let i = 0; i < n; i++) {
        const p = await f.ledger.inclusionProof(f.db, i, n);
        expect(b(p.leafHash).equals(leaves[i]!)).toBe(true);
        expect(p.proof.map(b)).toEqual(inclusionProofFromLeaves(leaves, i, n));
        expect(verifyInclusion(leaves[i]!, i, n, p.proof.map(b), root)).toBe(true);
        expect(b(p.root).equals(root)).toBe(true);
      }
    }
    for (const older of checkpoints) {
      for (const newer of checkpoints.filter((c) => c.size >= older.size)) {
        const p = await f.ledger.consistencyProof(f.db, older.size, newer.size);
        expect(p.proof.map(b)).toEqual(consistencyProofFromLeaves(leaves, older.size, newer.size));
        expect(verifyConsistency(older.size, newer.size, older.root, newer.root, p.proof.map(b))).toBe(true);
      }
    }
  });

  it('a proof for another entry, another index or another root fails', async () => {
    f = await openLedger(dialect);
    await appendMany(f.ledger, f.db, 12);
    const cp = verifySignedCheckpoint(
      (await f.ledger.checkpoint(f.db)).note,
      f.ledger.publicKey().verifierKey,
    );
    const leaves = await referenceLeaves(f);
    const p = (await f.ledger.inclusionProof(f.db, 5, 12)).proof.map(b);
    expect(verifyInclusion(leaves[5]!, 5, 12, p, cp.rootHash)).toBe(true);
    expect(verifyInclusion(leaves[6]!, 5, 12, p, cp.rootHash)).toBe(false);
    expect(verifyInclusion(leaves[5]!, 4, 12, p, cp.rootHash)).toBe(false);
    const otherRoot = rootFromLeafHashes(leaves.slice(0, 11));
    expect(verifyInclusion(leaves[5]!, 5, 12, p, otherRoot)).toBe(false);
    const c = (await f.ledger.consistencyProof(f.db, 7, 12)).proof.map(b);
    expect(verifyConsistency(7, 12, rootFromLeafHashes(leaves.slice(0, 7)), cp.rootHash, c)).toBe(true);
    expect(verifyConsistency(7, 12, rootFromLeafHashes(leaves.slice(0, 6)), cp.rootHash, c)).toBe(false);
  });

  it('stores exactly the complete subtrees, each the MTH of its leaves', async () => {
    f = await openLedger(dialect);
    await appendMany(f.ledger, f.db, 37);
    const leaves = await referenceLeaves(f);
    const nodes = await f.db.selectFrom('ledger_nodes').selectAll().execute();
    // Level ≥ 1 nodes complete: 18 + 9 + 4 + 2 + 1 for 37 leaves.
    expect(nodes).toHaveLength(34);
    for (const n of nodes) {
      const width = 2 ** n.level;
      const range = leaves.slice(Number(n.idx) * width, (Number(n.idx) + 1) * width);
      expect(n.hash).toBe(rootFromLeafHashes(range).toString('hex'));
    }
  });

  it('answers a proof with ONE query reading O(log n) nodes, whatever the log size', async () => {
    f = await openLedger(dialect);
    await appendMany(f.ledger, f.db, 300);
    for (const [index, size] of [
      [0, 300],
      [137, 300],
      [299, 300],
      [100, 257],
    ] as const) {
      const counter = new QueryCounter();
      const p = await f.ledger.inclusionProof(f.db.withPlugin(counter), index, size);
      expect(counter.queries).toBe(1); // the head and every node, in one statement
      expect(counter.rows).toBeLessThanOrEqual(1 + 1 + 2 * Math.ceil(Math.log2(size)));
      expect(p.proof.length).toBeLessThanOrEqual(Math.ceil(Math.log2(size)));
    }
    const counter = new QueryCounter();
    await f.ledger.consistencyProof(f.db.withPlugin(counter), 100, 300);
    expect(counter.queries).toBe(1);
    expect(counter.rows).toBeLessThanOrEqual(3 * Math.ceil(Math.log2(300)));
  });

  it('signs checkpoints with the Ed25519 key it publishes, under a stable origin', async () => {
    f = await openLedger(dialect);
    await appendMany(f.ledger, f.db, 3);
    const key = f.ledger.publicKey();
    expect(key.origin).toMatch(/^medvault\/[0-9a-f]{8}$/);
    expect(key.verifierKey.startsWith(`${key.origin}+`)).toBe(true);
    const cp = await f.ledger.checkpoint(f.db);
    const parsed = parseSignedCheckpoint(cp.note);
    expect(parsed.checkpoint.origin).toBe(key.origin);
    // The PEM is the same key: the signature checks with plain node:crypto too.
    const sig = parsed.signatures[0]!.signature;
    expect(verify(null, Buffer.from(parsed.body), createPublicKey(key.pem), sig)).toBe(true);
    expect(await f.ledger.latestCheckpoint(f.db)).toEqual(cp);
    // The same keyring gives the same key and origin to another ledger instance.
    const again = await (await import('../../src/app/audit/ledger.js')).AuditLedger.open(f.keyring);
    expect(again.publicKey()).toEqual(key);
  });

  it('checkpoints the empty log', async () => {
    f = await openLedger(dialect);
    expect(await f.ledger.latestCheckpoint(f.db)).toBeNull();
    const cp = await f.ledger.checkpoint(f.db);
    expect(cp.treeSize).toBe(0);
    expect(b(cp.root).equals(rootFromLeafHashes([]))).toBe(true);
  });

  it('refuses out-of-range proof requests with typed errors', async () => {
    f = await openLedger(dialect);
    await appendMany(f.ledger, f.db, 4);
    await expectAppError(f.ledger.inclusionProof(f.db, 4, 4), 'invalid_input');
    await expectAppError(f.ledger.inclusionProof(f.db, -1, 4), 'invalid_input');
    await expectAppError(f.ledger.inclusionProof(f.db, 0.5, 4), 'invalid_input');
    await expectAppError(f.ledger.inclusionProof(f.db, 0, 5), 'not_found');
    await expectAppError(f.ledger.consistencyProof(f.db, 3, 2), 'invalid_input');
    await expectAppError(f.ledger.consistencyProof(f.db, 2, 9), 'not_found');
    await expectAppError(f.ledger.entry(f.db, 4), 'not_found');
  });

  it('lists entries newest first, filtered and paged by a seq cursor', async () => {
    f = await openLedger(dialect);
    await appendMany(f.ledger, f.db, 30);
    const all = await f.ledger.entries(f.db, {}, { limit: 200 });
    expect(all.entries.map((e) => e.seq)).toEqual([...Array(30).keys()].reverse());
    expect(all.nextBefore).toBeNull();
    const page1 = await f.ledger.entries(f.db, { action: 'record.read' }, { limit: 2 });
    expect(page1.entries.map((e) => e.seq)).toEqual([25, 20]);
    const page2 = await f.ledger.entries(
      f.db,
      { action: 'record.read' },
      { limit: 2, before: page1.nextBefore },
    );
    expect(page2.entries.map((e) => e.seq)).toEqual([15, 10]);
    const byPatient = await f.ledger.entries(f.db, { patientId: 'p-1' });
    expect(byPatient.entries.every((e) => e.patientId === 'p-1')).toBe(true);
    expect(byPatient.entries.length).toBeGreaterThan(0);
    const byActor = await f.ledger.entries(f.db, { actorId: 'u-3' });
    expect(byActor.entries.every((e) => e.actor?.userId === 'u-3')).toBe(true);
    const byTarget = await f.ledger.entries(f.db, { targetType: 'record', targetId: 'r-8' });
    expect(byTarget.entries.map((e) => e.seq)).toEqual([8]);
    const t0 = all.entries.at(-1)!.time;
    const byTime = await f.ledger.entries(f.db, { from: t0 + 5, to: t0 + 8 });
    expect(byTime.entries.map((e) => e.seq)).toEqual([7, 6, 5]);
    const e8 = (await f.ledger.entry(f.db, 8)) as { details: unknown; target: unknown };
    expect(e8.details).toEqual(event(8).details);
    expect(e8.target).toEqual({ type: 'record', id: 'r-8' });
    await expectAppError(f.ledger.entries(f.db, {}, { limit: 201 }), 'invalid_input');
    await expectAppError(f.ledger.entries(f.db, {}, { limit: 0 }), 'invalid_input');
    await expectAppError(f.ledger.entries(f.db, { action: 'record.peek' }), 'invalid_input');
  });
});
