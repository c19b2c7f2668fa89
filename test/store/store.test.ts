import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { withTransaction } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import {
  countDataKeysByVersion,
  dataKeysNotOnVersion,
  findDataKey,
  insertDataKey,
  replaceWrappedDataKeys,
} from '../../src/store/data-key-repository.js';
import {
  insertKeyringKey,
  latestKeyringVersion,
  listKeyringKeys,
} from '../../src/store/keyring-repository.js';
import { createTestStore, DIALECTS, type TestStore } from '../support/stores.js';

const owner = (n: number) => ({ table: 'records', rowId: `r${n}`, patientId: `p${n % 3}`, field: 'body' });

describe.each(DIALECTS)('store on %s', (dialect) => {
  let t: TestStore;
  afterEach(async () => t?.dispose());

  it('applies migrations once and is idempotent on restart', async () => {
    t = await createTestStore(dialect, { migrate: false });
    const applied = await migrateToLatest(t.store);
    expect(applied[0]).toBe('001-keyring');
    expect(applied).toEqual([...applied].sort());
    expect(await migrateToLatest(t.store)).toEqual([]);
  });

  it('answers ping', async () => {
    t = await createTestStore(dialect);
    await expect(t.store.ping()).resolves.toBeUndefined();
  });

  it('round-trips binary columns and epoch milliseconds as numbers', async () => {
    t = await createTestStore(dialect);
    const bytes = Buffer.from([0, 1, 2, 255, 0]);
    const now = 1_790_000_000_123;
    await insertKeyringKey(t.store.db, {
      id: 'kek:1',
      purpose: 'kek',
      version: 1,
      sealed: bytes,
      created_at: now,
    });
    const [row] = await listKeyringKeys(t.store.db);
    expect(Buffer.compare(row!.sealed, bytes)).toBe(0);
    expect(row!.created_at).toBe(now);
    expect(typeof row!.created_at).toBe('number');
    expect(await latestKeyringVersion(t.store.db, 'kek')).toBe(1);
    expect(await latestKeyringVersion(t.store.db, 'nothing')).toBe(0);
  });

  it('refuses a second keyring key with the same id', async () => {
    t = await createTestStore(dialect);
    const row = { id: 'kek:1', purpose: 'kek', version: 1, sealed: Buffer.alloc(1), created_at: 1 };
    await insertKeyringKey(t.store.db, row);
    await expect(insertKeyringKey(t.store.db, row)).rejects.toThrow();
  });

  it('commits a transaction that resolves and rolls back one that throws', async () => {
    t = await createTestStore(dialect);
    await withTransaction(t.store.db, (tx) => insertDataKey(tx, owner(1), 1, Buffer.from('a'), 1));
    await expect(
      withTransaction(t.store.db, async (tx) => {
        await insertDataKey(tx, owner(2), 1, Buffer.from('b'), 1);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect(await findDataKey(t.store.db, owner(1))).toBeDefined();
    expect(await findDataKey(t.store.db, owner(2))).toBeUndefined();
  });

  it('keeps one data key per owner field', async () => {
    t = await createTestStore(dialect);
    await insertDataKey(t.store.db, owner(1), 1, Buffer.from('a'), 1);
    await expect(insertDataKey(t.store.db, owner(1), 1, Buffer.from('b'), 1)).rejects.toThrow();
  });

  it('pages data keys by version and replaces a wrap only from the expected version', async () => {
    t = await createTestStore(dialect);
    for (let i = 1; i <= 5; i++)
      await insertDataKey(t.store.db, owner(i), i <= 3 ? 1 : 2, Buffer.from([i]), i);
    expect(Object.fromEntries(await countDataKeysByVersion(t.store.db))).toEqual({ 1: 3, 2: 2 });
    const page1 = await dataKeysNotOnVersion(t.store.db, 2, 0, 2);
    expect(page1.map((r) => r.rowId)).toEqual(['r1', 'r2']);
    const page2 = await dataKeysNotOnVersion(t.store.db, 2, page1[1]!.id, 2);
    expect(page2.map((r) => r.rowId)).toEqual(['r3']);
    expect(page2[0]).toMatchObject({ table: 'records', patientId: 'p0', field: 'body', kekVersion: 1 });
    const batch = [...page1, ...page2].map((r) => ({ id: r.id, wrapped: Buffer.from(`new ${r.rowId}`) }));
    expect(await replaceWrappedDataKeys(t.store.db, 2, batch)).toBe(3);
    // A second replacement to the same version is a no-op: a re-run never overwrites a newer wrap.
    expect(
      await replaceWrappedDataKeys(t.store.db, 2, [{ id: page2[0]!.id, wrapped: Buffer.from('old') }]),
    ).toBe(0);
    expect((await findDataKey(t.store.db, owner(3)))!.wrapped.toString()).toBe('new r3');
    expect((await findDataKey(t.store.db, owner(4)))!.kekVersion).toBe(2);
    expect(Object.fromEntries(await countDataKeysByVersion(t.store.db))).toEqual({ 2: 5 });
    expect(await replaceWrappedDataKeys(t.store.db, 2, [])).toBe(0);
  });

  it('runs raw SQL through the same connection', async () => {
    t = await createTestStore(dialect);
    const r = await sql<{ one: number }>`select 1 as one`.execute(t.store.db);
    expect(Number(r.rows[0]!.one)).toBe(1);
  });
});
