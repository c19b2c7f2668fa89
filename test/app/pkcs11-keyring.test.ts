import fs from 'node:fs';
import path from 'node:path';
import pkcs11js from 'pkcs11js';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Pkcs11Config } from '../../src/config/config.js';
import type { EnvelopeContext } from '../../src/crypto/envelope.js';
import { IntegrityError } from '../../src/crypto/errors.js';
import { DataKeys } from '../../src/app/data-keys.js';
import { Keyring } from '../../src/app/keyring.js';
import { rotateKeys } from '../../src/app/key-rotation.js';
import { openPkcs11Root } from '../../src/app/key-root/open-pkcs11-root.js';
import type { KeyRoot } from '../../src/app/key-root/key-root.js';
import { StartupError } from '../../src/app/startup-error.js';
import { withTransaction } from '../../src/store/database.js';
import { createTestStore, DIALECTS, tempDir, type TestStore } from '../support/stores.js';
import { SOFTHSM_MODULE, softhsmStore, USER_PIN } from '../support/softhsm.js';

const ctx = (i: number): EnvelopeContext => ({
  table: 'records',
  rowId: `rec-${i}`,
  patientId: 'p',
  field: 'body',
});
let hsm: ReturnType<typeof softhsmStore>;
let tokens = 0;
const freshToken = (): ReturnType<typeof hsm.initToken> => hsm.initToken(`T${++tokens}`);

beforeAll(() => {
  hsm = softhsmStore();
});

/** Every secret key on the token, as the module describes it to a logged-in user. */
function inspectToken(
  label: string,
): Array<{ label: string; value: number | 'refused'; extractable: boolean }> {
  const p11 = new pkcs11js.PKCS11();
  p11.load(SOFTHSM_MODULE);
  p11.C_Initialize();
  try {
    const slot = p11.C_GetSlotList(true).find((s) => p11.C_GetTokenInfo(s).label.trim() === label);
    if (slot === undefined) throw new Error('no token');
    const session = p11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
    p11.C_Login(session, pkcs11js.CKU_USER, USER_PIN);
    p11.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY }]);
    const keys = p11.C_FindObjects(session, 100);
    p11.C_FindObjectsFinal(session);
    return keys.map((key) => {
      const [name, extractable] = p11.C_GetAttributeValue(session, key, [
        { type: pkcs11js.CKA_LABEL },
        { type: pkcs11js.CKA_EXTRACTABLE },
      ]);
      let value: number | 'refused' = 'refused';
      try {
        value = (p11.C_GetAttributeValue(session, key, [{ type: pkcs11js.CKA_VALUE }])[0]?.value as Buffer)
          .length;
      } catch (err) {
        expect((err as pkcs11js.Pkcs11Error).code).toBe(pkcs11js.CKR_ATTRIBUTE_SENSITIVE);
      }
      return {
        label: String(name?.value),
        value,
        extractable: (extractable?.value as Buffer)[0] === 1,
      };
    });
  } finally {
    p11.C_Finalize();
    p11.close();
  }
}

describe.each(DIALECTS)('a keyring rooted in a PKCS#11 token (SoftHSM2) on %s', (dialect) => {
  let t: TestStore;
  let roots: KeyRoot[] = [];
  const open = (config: Pkcs11Config, exists: boolean): KeyRoot => {
    const root = openPkcs11Root(config, exists);
    roots.push(root);
    return root;
  };
  afterEach(async () => {
    for (const root of roots) root.close();
    roots = [];
    await t?.dispose();
  });

  it('writes, reads and rotates through the module; the keys never leave it', async () => {
    t = await createTestStore(dialect);
    const config = freshToken();
    const keyring = await Keyring.open(t.store.db, open(config, false), 'test');
    const dataKeys = new DataKeys(keyring);
    const payloads = await withTransaction(t.store.db, async (tx) => {
      const out: Buffer[] = [];
      for (let i = 0; i < 20; i++) out.push(await dataKeys.seal(tx, ctx(i), Buffer.from(`body ${i}`)));
      return out;
    });
    const rotation = await rotateKeys(t.store.db, keyring, { batchSize: 7 });
    expect(rotation).toMatchObject({ version: 2, rewrapped: 20, resumed: false });
    const pepper = await keyring.secret('pepper');

    // A second process (another root on the same token) reads everything after the rotation.
    const again = await Keyring.open(t.store.db, open(config, true), 'test');
    expect((await again.secret('pepper')).equals(pepper)).toBe(true);
    const reader = new DataKeys(again);
    for (let i = 0; i < 20; i++)
      expect((await reader.open(t.store.db, ctx(i), payloads[i] as Buffer)).toString()).toBe(`body ${i}`);
    expect(again.versions()).toEqual([1, 2]);

    for (const root of roots) root.close();
    roots = [];
    const keys = inspectToken(config.token.label);
    expect(keys.map((k) => k.label).sort()).toEqual(['medvault-kek-1', 'medvault-kek-2', 'medvault-root']);
    for (const key of keys) expect(key).toMatchObject({ value: 'refused', extractable: false });
  });

  it('answers a tampered wrapped DEK with an integrity error from the module', async () => {
    t = await createTestStore(dialect);
    const keyring = await Keyring.open(t.store.db, open(freshToken(), false), 'test');
    const dataKeys = new DataKeys(keyring);
    const payload = await withTransaction(t.store.db, (tx) => dataKeys.seal(tx, ctx(1), Buffer.from('x')));
    const row = await t.store.db.selectFrom('data_keys').select(['id', 'wrapped']).executeTakeFirstOrThrow();
    const tampered = Buffer.from(row.wrapped);
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 20) ^ 1, tampered.length - 20);
    await t.store.db.updateTable('data_keys').set({ wrapped: tampered }).where('id', '=', row.id).execute();
    await expect(dataKeys.open(t.store.db, ctx(1), payload)).rejects.toBeInstanceOf(IntegrityError);
    // The same wrapped DEK asked for in another row's name fails the same way.
    await t.store.db
      .updateTable('data_keys')
      .set({ wrapped: row.wrapped })
      .where('id', '=', row.id)
      .execute();
    await expect(dataKeys.open(t.store.db, ctx(1), payload)).resolves.toEqual(Buffer.from('x'));
  });

  it('refuses a keyring sealed by a master key, and a token that lacks the root key', async () => {
    t = await createTestStore(dialect);
    await Keyring.open(t.store.db, Buffer.alloc(32, 1), 'test-db');
    const config = freshToken();
    const empty = freshToken();
    await expect(Keyring.open(t.store.db, open(config, false), 'test-db')).rejects.toThrow(
      /PKCS#11 token "T\d+" does not open the keyring in test-db/,
    );
    expect(() => openPkcs11Root(empty, true)).toThrow(/holds no medvault-root key/);
  });
});

describe('opening the token', () => {
  it('refuses a wrong PIN with a one-line start-up error', () => {
    const config = freshToken();
    const wrong = { ...config, pin: { value: '9999' } };
    expect(() => openPkcs11Root(wrong, false)).toThrow(StartupError);
    expect(() => openPkcs11Root(wrong, false)).toThrow(
      /^PKCS#11 token "T\d+" refused the PIN \(CKR_PIN_INCORRECT\)$/,
    );
  });

  it('refuses a wrong PIN even while the same process is logged in with the right one', () => {
    const config = freshToken();
    const root = openPkcs11Root(config, false);
    try {
      expect(() => openPkcs11Root({ ...config, pin: { value: '0000' } }, true)).toThrow(/refused the PIN/);
      const second = openPkcs11Root(config, true);
      second.close();
    } finally {
      root.close();
    }
  });

  it('finds the token by slot id, and reads the PIN from a file only its owner can read', () => {
    const config = freshToken();
    const dir = tempDir();
    const pinFile = path.join(dir, 'pin');
    fs.writeFileSync(pinFile, `${USER_PIN}\n`, { mode: 0o600 });
    const p11 = new pkcs11js.PKCS11();
    p11.load(SOFTHSM_MODULE);
    p11.C_Initialize();
    const slot = p11
      .C_GetSlotList(true)
      .find((s) => p11.C_GetTokenInfo(s).label.trim() === config.token.label);
    const slotId = Number(Buffer.from(slot as Buffer).readBigUInt64LE(0));
    p11.C_Finalize();
    p11.close();
    const bySlot = openPkcs11Root({ ...config, token: { slot: slotId }, pin: { file: pinFile } }, false);
    expect(bySlot.origin).toBe(`PKCS#11 token "${config.token.label}"`);
    expect(bySlot.masterKey).toBeUndefined();
    bySlot.close();
    bySlot.close(); // twice is harmless

    fs.chmodSync(pinFile, 0o644);
    expect(() => openPkcs11Root({ ...config, pin: { file: pinFile } }, true)).toThrow(/chmod 600/);
    fs.writeFileSync(pinFile, '', { mode: 0o600 });
    fs.chmodSync(pinFile, 0o600);
    expect(() => openPkcs11Root({ ...config, pin: { file: pinFile } }, true)).toThrow(/is empty/);
    expect(() => openPkcs11Root({ ...config, pin: { file: path.join(dir, 'none') } }, true)).toThrow(
      /cannot be read/,
    );
    expect(() => openPkcs11Root({ ...config, token: { slot: 424242 } }, true)).toThrow(/has no slot 424242/);
    expect(() => openPkcs11Root({ ...config, token: { label: 'nope' } }, true)).toThrow(
      /has no token labelled "nope"/,
    );
    expect(() => openPkcs11Root({ ...config, module: '/nonexistent/lib.so' }, true)).toThrow(
      /cannot load the PKCS#11 module \/nonexistent\/lib.so/,
    );
  });
});
