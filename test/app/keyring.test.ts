import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { EnvelopeContext, Kek } from '../../src/crypto/envelope.js';
import { IntegrityError } from '../../src/crypto/errors.js';
import { DataKeys } from '../../src/app/data-keys.js';
import { Keyring } from '../../src/app/keyring.js';
import { keyStatus, rotateKeys } from '../../src/app/key-rotation.js';
import { resolveMasterKey } from '../../src/app/master-key.js';
import { StartupError } from '../../src/app/startup-error.js';
import { withTransaction } from '../../src/store/database.js';
import { createTestStore, DIALECTS, tempDir, type TestStore } from '../support/stores.js';

const master = Buffer.alloc(32, 1);
const ctx = (i: number): EnvelopeContext => ({
  table: 'records',
  rowId: `rec-${i}`,
  patientId: `pat-${i % 7}`,
  field: 'body',
});

async function sealMany(t: TestStore, dataKeys: DataKeys, n: number): Promise<Buffer[]> {
  const payloads: Buffer[] = [];
  await withTransaction(t.store.db, async (tx) => {
    for (let i = 0; i < n; i++)
      payloads.push(await dataKeys.seal(tx, ctx(i), Buffer.from(`record ${i} body`)));
  });
  return payloads;
}

describe.each(DIALECTS)('keyring and rotation on %s', (dialect) => {
  let t: TestStore;
  afterEach(async () => t?.dispose());

  it('creates KEK version 1 on first open and reopens it with the same master key', async () => {
    t = await createTestStore(dialect);
    const k1 = await Keyring.open(t.store.db, master, 'test');
    expect(k1.currentKek().version).toBe(1);
    const k2 = await Keyring.open(t.store.db, master, 'test');
    expect((k2.currentKek() as Kek).key.equals((k1.currentKek() as Kek).key)).toBe(true);
  });

  it('refuses a wrong master key with a message that says what to do', async () => {
    t = await createTestStore(dialect);
    await Keyring.open(t.store.db, master, 'test');
    const wrong = Keyring.open(t.store.db, Buffer.alloc(32, 2), 'test-db');
    await expect(wrong).rejects.toBeInstanceOf(StartupError);
    await expect(Keyring.open(t.store.db, Buffer.alloc(32, 2), 'test-db')).rejects.toThrow(
      /master key does not open the keyring in test-db/,
    );
  });

  it('stores no key in clear: the sealed rows do not contain the KEK bytes', async () => {
    t = await createTestStore(dialect);
    const k = await Keyring.open(t.store.db, master, 'test');
    const rows = await t.store.db.selectFrom('keyring_keys').selectAll().execute();
    for (const row of rows) expect(row.sealed.includes((k.currentKek() as Kek).key)).toBe(false);
  });

  it('hands out a named secret once and the same one to a second process', async () => {
    t = await createTestStore(dialect);
    const a = await Keyring.open(t.store.db, master, 'test');
    const b = await Keyring.open(t.store.db, master, 'test');
    const [sa, sb] = await Promise.all([a.secret('pepper'), b.secret('pepper')]);
    expect(sa.equals(sb)).toBe(true);
    expect(sa.equals(await a.secret('search'))).toBe(false);
  });

  it('seals objects that open only in their own place', async () => {
    t = await createTestStore(dialect);
    const dataKeys = new DataKeys(await Keyring.open(t.store.db, master, 'test'));
    const [p0, p1] = await sealMany(t, dataKeys, 2);
    expect((await dataKeys.open(t.store.db, ctx(0), p0!)).toString()).toBe('record 0 body');
    // p1 read as if it were row 0 (a ciphertext moved between rows) fails.
    await expect(dataKeys.open(t.store.db, ctx(0), p1!)).rejects.toBeInstanceOf(IntegrityError);
    // A row without a data key fails as an integrity error too.
    await expect(dataKeys.open(t.store.db, ctx(99), p0!)).rejects.toBeInstanceOf(IntegrityError);
  });

  it('reads many DEKs in one go: each as dekFor would, a missing or misplaced one as its IntegrityError', async () => {
    t = await createTestStore(dialect);
    const dataKeys = new DataKeys(await Keyring.open(t.store.db, master, 'test'));
    const payloads = await sealMany(t, dataKeys, 600); // more than one lookup chunk
    const contexts = [...payloads.keys()].map(ctx);
    // Row 5 asked for under another patient (its DEK is bound to pat-5) and a row without a key.
    contexts.push({ ...ctx(5), patientId: 'pat-other' }, ctx(9999));
    const deks = await dataKeys.deksFor(t.store.db, contexts);
    expect(deks).toHaveLength(602);
    for (const i of [0, 499, 500, 599]) expect(deks[i]).toEqual(await dataKeys.dekFor(t.store.db, ctx(i)));
    expect(deks[600]).toBeInstanceOf(IntegrityError);
    expect(deks[601]).toBeInstanceOf(IntegrityError);
    expect(await dataKeys.deksFor(t.store.db, [])).toEqual([]);
    await expect(dataKeys.deksFor(t.store.db, [ctx(0), { ...ctx(1), field: 'title' }])).rejects.toThrow(
      TypeError,
    );
  });

  it('rotates: every object still opens, no payload byte changes, all DEKs on the new version', async () => {
    t = await createTestStore(dialect);
    const keyring = await Keyring.open(t.store.db, master, 'test');
    const dataKeys = new DataKeys(keyring);
    const payloads = await sealMany(t, dataKeys, 250);
    const before = payloads.map((p) => Buffer.from(p));
    const wrapsBefore = await t.store.db
      .selectFrom('data_keys')
      .select(['id', 'wrapped'])
      .orderBy('id')
      .execute();

    const result = await rotateKeys(t.store.db, keyring, { batchSize: 40 });
    expect(result).toMatchObject({ version: 2, resumed: false, pending: 250, rewrapped: 250 });
    expect(await keyStatus(t.store.db, keyring)).toEqual([
      { version: 1, deks: 0, current: false },
      { version: 2, deks: 250, current: true },
    ]);
    const wrapsAfter = await t.store.db
      .selectFrom('data_keys')
      .select(['id', 'wrapped'])
      .orderBy('id')
      .execute();
    wrapsAfter.forEach((row, i) => expect(row.wrapped.equals(wrapsBefore[i]!.wrapped)).toBe(false));
    for (let i = 0; i < payloads.length; i++) {
      expect(payloads[i]!.equals(before[i]!)).toBe(true);
      expect((await dataKeys.open(t.store.db, ctx(i), payloads[i]!)).toString()).toBe(`record ${i} body`);
    }
    // A fresh process (new keyring instance) reads them too.
    const fresh = new DataKeys(await Keyring.open(t.store.db, master, 'test'));
    expect((await fresh.open(t.store.db, ctx(3), payloads[3]!)).toString()).toBe('record 3 body');
  });

  it('resumes a rotation killed midway without adding a version or losing a key', async () => {
    t = await createTestStore(dialect);
    const keyring = await Keyring.open(t.store.db, master, 'test');
    const dataKeys = new DataKeys(keyring);
    const payloads = await sealMany(t, dataKeys, 100);
    // The "kill": the process dies right after its third batch committed.
    let batches = 0;
    await expect(
      rotateKeys(t.store.db, keyring, {
        batchSize: 10,
        onBatch: () => {
          if (++batches === 3) throw new Error('killed');
        },
      }),
    ).rejects.toThrow('killed');
    expect(await keyStatus(t.store.db, keyring)).toEqual([
      { version: 1, deks: 70, current: false },
      { version: 2, deks: 30, current: true },
    ]);
    // A new process runs rotate again: it finishes version 2 rather than starting version 3.
    const again = await Keyring.open(t.store.db, master, 'test');
    const result = await rotateKeys(t.store.db, again, { batchSize: 10 });
    expect(result).toMatchObject({ version: 2, resumed: true, pending: 70, rewrapped: 70 });
    const reader = new DataKeys(again);
    for (let i = 0; i < payloads.length; i++) {
      expect((await reader.open(t.store.db, ctx(i), payloads[i]!)).toString()).toBe(`record ${i} body`);
    }
  });

  it('makes a second process wrap new DEKs with the rotated KEK', async () => {
    t = await createTestStore(dialect);
    const server = await Keyring.open(t.store.db, master, 'test');
    const cli = await Keyring.open(t.store.db, master, 'test');
    await rotateKeys(t.store.db, cli);
    const dataKeys = new DataKeys(server);
    await sealMany(t, dataKeys, 1);
    const status = await keyStatus(t.store.db, cli);
    expect(status.find((s) => s.version === 2)?.deks).toBe(1);
  });
});

describe('master key file', () => {
  it('is created with mode 0600 on first start and read back after', () => {
    const dir = tempDir();
    const first = resolveMasterKey({ fromEnv: undefined, dataDir: dir, keyringExists: false });
    expect(first.created).toBe(true);
    expect(fs.statSync(path.join(dir, 'master.key')).mode & 0o777).toBe(0o600);
    const second = resolveMasterKey({ fromEnv: undefined, dataDir: dir, keyringExists: true });
    expect(second.created).toBe(false);
    expect(second.key.equals(first.key)).toBe(true);
  });

  it('is refused when group or others may read it', () => {
    const dir = tempDir();
    resolveMasterKey({ fromEnv: undefined, dataDir: dir, keyringExists: false });
    fs.chmodSync(path.join(dir, 'master.key'), 0o644);
    expect(() => resolveMasterKey({ fromEnv: undefined, dataDir: dir, keyringExists: true })).toThrow(
      /readable or writable by others \(mode 644\): run chmod 600/,
    );
  });

  it('is refused when missing while the database holds a keyring', () => {
    expect(() => resolveMasterKey({ fromEnv: undefined, dataDir: tempDir(), keyringExists: true })).toThrow(
      /is missing but the database holds a keyring/,
    );
  });

  it('prefers MEDVAULT_MASTER_KEY and writes no file then', () => {
    const dir = tempDir();
    const r = resolveMasterKey({ fromEnv: master, dataDir: dir, keyringExists: false });
    expect(r.key.equals(master)).toBe(true);
    expect(fs.existsSync(path.join(dir, 'master.key'))).toBe(false);
  });
});
