import { randomBytes } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EnvelopeContext } from '../../src/crypto/envelope.js';
import { AuditLedger } from '../../src/app/audit/ledger.js';
import { loadCustody, splitMasterKey } from '../../src/app/custody/index.js';
import { DataKeys } from '../../src/app/data-keys.js';
import { Keyring } from '../../src/app/keyring.js';
import { resealKeyring } from '../../src/app/key-reseal.js';
import { MasterKeyRoot } from '../../src/app/key-root/master-key-root.js';
import { openPkcs11Root } from '../../src/app/key-root/open-pkcs11-root.js';
import { StartupError } from '../../src/app/startup-error.js';
import { withTransaction } from '../../src/store/database.js';
import { softhsmStore } from '../support/softhsm.js';
import { createTestStore, DIALECTS, type TestStore } from '../support/stores.js';

const ctx = (i: number): EnvelopeContext => ({
  table: 'records',
  rowId: `r${i}`,
  patientId: 'p',
  field: 'body',
});
let hsm: ReturnType<typeof softhsmStore>;
let tokens = 0;
beforeAll(() => {
  hsm = softhsmStore();
});

async function filled(t: TestStore, master: Buffer) {
  const keyring = await Keyring.open(t.store.db, master, 'test');
  const dataKeys = new DataKeys(keyring);
  const payloads = await withTransaction(t.store.db, async (tx) => {
    const out: Buffer[] = [];
    for (let i = 0; i < 25; i++) out.push(await dataKeys.seal(tx, ctx(i), Buffer.from(`body ${i}`)));
    return out;
  });
  await keyring.addKekVersion(); // DEKs on two versions before the re-seal
  await withTransaction(t.store.db, async (tx) =>
    payloads.push(await dataKeys.seal(tx, ctx(25), Buffer.from('body 25'))),
  );
  const pepper = await keyring.secret('pepper');
  const ledger = await AuditLedger.open(keyring);
  return { keyring, payloads, pepper, ledger };
}

async function readsAll(t: TestStore, keyring: Keyring, payloads: Buffer[]): Promise<void> {
  const dataKeys = new DataKeys(keyring);
  for (let i = 0; i < payloads.length; i++)
    expect((await dataKeys.open(t.store.db, ctx(i), payloads[i] as Buffer)).toString()).toBe(`body ${i}`);
}

describe.each(DIALECTS)('re-sealing the keyring under a new root on %s', (dialect) => {
  let t: TestStore;
  afterEach(async () => t?.dispose());

  it('file key → new file key: every record still reads, the old key opens nothing', async () => {
    t = await createTestStore(dialect);
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const { keyring, payloads, pepper, ledger } = await filled(t, oldKey);
    const progress: number[] = [];
    const result = await resealKeyring(t.store.db, keyring, new MasterKeyRoot(newKey), {
      batchSize: 10,
      onStart: (n) => progress.push(-n),
      onProgress: (n) => progress.push(n),
      audit: { ledger, actor: null },
    });
    expect(result).toEqual({ version: 3, rewrapped: 26, dropped: 2 });
    expect(progress).toEqual([-26, 10, 20, 26]);
    await expect(Keyring.open(t.store.db, oldKey, 'test')).rejects.toBeInstanceOf(StartupError);
    const reopened = await Keyring.open(t.store.db, newKey, 'test');
    expect(reopened.versions()).toEqual([3]);
    expect((await reopened.secret('pepper')).equals(pepper)).toBe(true);
    await readsAll(t, reopened, payloads);
    await readsAll(t, keyring, payloads); // the process that re-sealed carries on under the new root
    const { entries } = await ledger.entries(t.store.db, { action: 'keys.reseal' });
    expect(entries[0]?.details).toMatchObject({ from: 'master key', version: 3, rewrapped: 26, dropped: 2 });
  });

  it('file key → PKCS#11 token: the records read through the module, the file key opens nothing', async () => {
    t = await createTestStore(dialect);
    const oldKey = randomBytes(32);
    const { keyring, payloads, pepper, ledger } = await filled(t, oldKey);
    const config = hsm.initToken(`R${++tokens}`);
    const root = openPkcs11Root(config, false);
    try {
      await resealKeyring(t.store.db, keyring, root, { audit: { ledger, actor: null } });
      await readsAll(t, keyring, payloads);
    } finally {
      root.close();
    }
    await expect(Keyring.open(t.store.db, oldKey, 'test')).rejects.toThrow(/does not open the keyring/);
    const again = openPkcs11Root(config, true);
    try {
      const reopened = await Keyring.open(t.store.db, again, 'test');
      expect((await reopened.secret('pepper')).equals(pepper)).toBe(true);
      await readsAll(t, reopened, payloads);
    } finally {
      again.close();
    }
  });

  it('split → new split: the old split is forgotten and the new one recorded in the same transaction', async () => {
    t = await createTestStore(dialect);
    const oldKey = randomBytes(32);
    const { keyring, payloads, ledger } = await filled(t, oldKey);
    await splitMasterKey(t.store.db, oldKey, 3, 2);
    const oldSet = (await loadCustody(t.store.db))?.setId;
    const newKey = randomBytes(32);
    let shares: readonly string[] = [];
    await resealKeyring(t.store.db, keyring, new MasterKeyRoot(newKey), {
      audit: { ledger, actor: null },
      inTransaction: async (tx) => {
        shares = (await splitMasterKey(tx, newKey, 5, 3)).shares;
      },
    });
    const custody = await loadCustody(t.store.db);
    expect(custody).toMatchObject({ threshold: 3, shares: 5 });
    expect(custody?.setId).not.toBe(oldSet);
    expect(shares).toHaveLength(5);
    await readsAll(t, await Keyring.open(t.store.db, newKey, 'test'), payloads);
  });
});
