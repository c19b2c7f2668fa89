import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { doctorPatientLinks } from '../../src/store/access-repository.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { findGrant, insertGrant } from '../../src/store/sharing-repository.js';
import { createTestStore, DIALECTS, type TestStore } from '../support/stores.js';

/**
 * Migration 007 adds the grant scope: grants made before it were made for reading, so they must
 * come out of it read-only — on both dialects.
 */
describe.each(DIALECTS)('migration 007-grant-scope on %s', (dialect) => {
  let t: TestStore;
  afterEach(async () => t?.dispose());

  /** A doctor and a patient, inserted with the columns every migration up to 006 knows. */
  async function people(): Promise<{ doctor: string; patient: string }> {
    const db = t.store.db;
    const user = (id: string, role: string) =>
      sql`insert into users (id, role, username, display_name, status, password_hash, created_at, updated_at)
          values (${id}, ${role}, ${id}, ${id}, 'active', null, 1, 1)`.execute(db);
    await user('doc-1', 'doctor');
    await user('pat-1', 'patient');
    const bytes = () => randomBytes(8);
    await sql`insert into patients (id, ssn_index, ssn_ct, name_ct, dob_ct, pin_hash, password_hash,
        recovery_hash, smoking_status, created_by, created_at)
      values ('pat-1', ${bytes()}, ${bytes()}, ${bytes()}, ${bytes()}, 'x', 'x', 'x', 'never', 'reg', 1)`.execute(
      db,
    );
    return { doctor: 'doc-1', patient: 'pat-1' };
  }

  it('keeps grants made before it read-only, and stores the scope of new ones', async () => {
    t = await createTestStore(dialect, { migrate: false });
    expect((await migrateToLatest(t.store, { upTo: '006-analytics' })).at(-1)).toBe('006-analytics');
    const { doctor, patient } = await people();
    await sql`insert into grants (id, patient_id, doctor_id, record_types, expires_at, created_at, revoked_at)
      values ('old-grant', ${patient}, ${doctor}, null, null, 1, null)`.execute(t.store.db);

    expect((await migrateToLatest(t.store))[0]).toBe('007-grant-scope');
    expect((await findGrant(t.store.db, patient, 'old-grant'))?.scope).toBe('read');
    const links = await doctorPatientLinks(t.store.db, doctor, patient, 2);
    expect(links.grants).toEqual([{ id: 'old-grant', scope: 'read', recordTypes: null }]);

    await insertGrant(t.store.db, {
      id: 'new-grant',
      patientId: patient,
      doctorId: doctor,
      recordTypes: ['lab_result'],
      scope: 'read_write',
      expiresAt: null,
      now: 3,
    });
    expect((await findGrant(t.store.db, patient, 'new-grant'))?.scope).toBe('read_write');
    // A row written without the column (an older server during a rolling upgrade) reads only.
    await sql`insert into grants (id, patient_id, doctor_id, record_types, expires_at, created_at, revoked_at)
      values ('rolling', ${patient}, ${doctor}, null, null, 4, null)`.execute(t.store.db);
    expect((await findGrant(t.store.db, patient, 'rolling'))?.scope).toBe('read');
    // Oldest first: the order the ledger's grant id is chosen in.
    expect((await doctorPatientLinks(t.store.db, doctor, patient, 5)).grants.map((g) => g.id)).toEqual([
      'old-grant',
      'new-grant',
      'rolling',
    ]);
  });

  it('refuses to migrate to a name it does not know', async () => {
    t = await createTestStore(dialect, { migrate: false });
    await expect(migrateToLatest(t.store, { upTo: '999-nothing' })).rejects.toThrow(/no migration named/);
  });
});
