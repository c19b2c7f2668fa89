import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccessScope, isActiveCaregiver } from '../../src/app/access/index.js';
import { BREAK_GLASS_TTL_MS } from '../../src/app/sharing/break-glass.js';
import { insertPrescription } from '../../src/store/prescription-repository.js';
import { rejectsWith } from '../support/assertions.js';
import { insertStaff, registration } from '../support/people.js';
import { DIALECTS } from '../support/stores.js';
import { openTestWorld, type StaffedWorld } from '../support/world.js';

const REASON = 'Unconscious in the emergency room, no history available';

/** The access scope against a real store (both dialects): each reach, as of the scope's time. */
describe.each(DIALECTS)('the access scope (%s)', (dialect) => {
  let w: StaffedWorld;
  let p: string;
  let q: string;
  const patientScope = (id: string): AccessScope => w.as({ userId: id, role: 'patient' });

  beforeEach(async () => {
    w = await openTestWorld({ db: dialect, staff: true });
    p = (await w.identity.patients.register(w.staff.registrar, registration())).patientId;
    q = (await w.identity.patients.register(w.staff.registrar, registration())).patientId;
  });
  afterEach(async () => {
    await w.dispose();
  });

  const insertRecord = async (patientId: string, type: string): Promise<string> => {
    const id = randomUUID();
    await w.db
      .insertInto('records')
      .values({
        id,
        patient_id: patientId,
        type,
        author_id: w.staff.doctor.userId,
        created_at: w.clock.now,
        title_ct: randomBytes(16),
        body_ct: randomBytes(16),
      })
      .execute();
    return id;
  };

  const insertRx = async (patientId: string, prescriberId: string): Promise<string> => {
    const id = randomUUID();
    await insertPrescription(w.db, {
      id,
      patientId,
      prescriberId,
      keyId: 'k',
      algorithm: 'ed25519',
      payloadCt: randomBytes(16),
      payloadSha256: randomBytes(32).toString('hex'),
      signature: 'c2ln',
      status: 'active',
      fillsRemaining: 1,
      issuedAt: w.clock.now,
      expiresAt: w.clock.now + 86_400_000,
      createdAt: w.clock.now,
    });
    return id;
  };

  it('refuses roles that never read or write records with 403, before looking anything up', async () => {
    for (const staff of [w.staff.registrar, w.staff.admin, w.staff.pharmacist]) {
      await rejectsWith(staff.patient(w.db, 'no-such-patient', 'read'), 'forbidden');
      await rejectsWith(staff.record(w.db, 'no-such-record', 'read'), 'forbidden');
    }
    await rejectsWith(patientScope(p).patient(w.db, p, 'write'), 'forbidden');
    expect((await patientScope(p).patient(w.db, p, 'read')).relation).toBe('self');
    await rejectsWith(patientScope(p).patient(w.db, q, 'read'), 'not_found');
  });

  it('a read grant: reads (404 for types it does not cover), writing is 403 read_only_access', async () => {
    await w.sharing.grants.create(patientScope(p), p, {
      doctorId: w.staff.doctor.userId,
      recordTypes: ['lab_result'],
    });
    const lab = await insertRecord(p, 'lab_result');
    const diagnosis = await insertRecord(p, 'diagnosis');
    const reach = await w.staff.doctor.patient(w.db, p, 'read');
    expect(reach).toMatchObject({
      relation: 'grant',
      grants: [{ scope: 'read', recordTypes: ['lab_result'] }],
    });
    expect((await w.staff.doctor.record(w.db, lab, 'read')).patient.relation).toBe('grant');
    await rejectsWith(w.staff.doctor.record(w.db, diagnosis, 'read'), 'not_found');
    await rejectsWith(w.staff.doctor.record(w.db, lab, 'write'), 'forbidden', 'read_only_access');
    await rejectsWith(w.staff.doctor.record(w.db, diagnosis, 'write'), 'not_found');
    await rejectsWith(w.staff.doctor.patient(w.db, p, 'write'), 'forbidden', 'read_only_access');
    await rejectsWith(w.staff.doctor.patient(w.db, p, 'write', 'prescription'), 'not_found');
    await rejectsWith(w.staff.doctor.patient(w.db, q, 'write'), 'not_found');
  });

  it('a read_write grant writes until it expires or is revoked; then the patient is 404 again', async () => {
    const expiresAt = new Date(w.clock.now + 60_000).toISOString();
    const g = await w.sharing.grants.create(patientScope(p), p, {
      doctorId: w.staff.doctor.userId,
      scope: 'read_write',
      expiresAt,
    });
    expect(g.scope).toBe('read_write');
    expect(await w.staff.doctor.patient(w.db, p, 'write')).toMatchObject({
      relation: 'grant',
      need: 'write',
      grants: [{ id: g.id, scope: 'read_write' }],
    });
    w.clock.advance(60_000);
    await rejectsWith(w.staff.doctor.patient(w.db, p, 'write'), 'not_found');
    await rejectsWith(w.staff.doctor.patient(w.db, p, 'read'), 'not_found');

    const again = await w.sharing.grants.create(patientScope(p), p, {
      doctorId: w.staff.doctor.userId,
      scope: 'read_write',
    });
    await w.staff.doctor.patient(w.db, p, 'write');
    await w.sharing.grants.revoke(patientScope(p), p, again.id);
    await rejectsWith(w.staff.doctor.patient(w.db, p, 'write'), 'not_found');
  });

  it('an expired writing grant beside a live read grant leaves the doctor read-only', async () => {
    await w.sharing.grants.create(patientScope(p), p, { doctorId: w.staff.doctor.userId });
    await w.sharing.grants.create(patientScope(p), p, {
      doctorId: w.staff.doctor.userId,
      scope: 'read_write',
      expiresAt: new Date(w.clock.now + 1000).toISOString(),
    });
    await w.staff.doctor.patient(w.db, p, 'write');
    w.clock.advance(1000);
    await rejectsWith(w.staff.doctor.patient(w.db, p, 'write'), 'forbidden', 'read_only_access');
    expect((await w.staff.doctor.patient(w.db, p, 'read')).relation).toBe('grant');
  });

  it('break-glass reads and writes for an hour, then not at all', async () => {
    const opened = await w.sharing.breakGlass.open(w.staff.doctor, p, REASON);
    w.clock.advance(BREAK_GLASS_TTL_MS - 1);
    expect(await w.staff.doctor.patient(w.db, p, 'write')).toMatchObject({
      relation: 'break_glass',
      breakGlassId: opened.breakGlassId,
    });
    w.clock.advance(1);
    await rejectsWith(w.staff.doctor.patient(w.db, p, 'write'), 'not_found');
    await rejectsWith(w.staff.doctor.patient(w.db, p, 'read'), 'not_found');
  });

  it('a scope decides as of its request time, not as of a later clock', async () => {
    await w.sharing.breakGlass.open(w.staff.doctor, p, REASON);
    const request = AccessScope.at(w.staff.doctor.actor, w.clock.now + BREAK_GLASS_TTL_MS - 1);
    const later = AccessScope.at(w.staff.doctor.actor, w.clock.now + BREAK_GLASS_TTL_MS);
    w.clock.advance(2 * BREAK_GLASS_TTL_MS);
    expect((await request.patient(w.db, p, 'read')).relation).toBe('break_glass');
    await rejectsWith(later.patient(w.db, p, 'read'), 'not_found');
    expect(request.now).toBe(later.now - 1);
  });

  it('keeps its own fields to the caller (it reads like an Actor), the time private', () => {
    const scope = AccessScope.at({ userId: 'u1', role: 'doctor' }, 5);
    expect(Object.keys(scope).sort()).toEqual(['role', 'userId']);
    expect(scope.actor).toEqual({ userId: 'u1', role: 'doctor' });
    expect(JSON.stringify(scope)).toBe('{"userId":"u1","role":"doctor"}');
  });

  it('prescriptions: pharmacists dispense any, the prescriber and those reaching the patient read; others refused', async () => {
    const other = w.as(await insertStaff(w.db, 'doctor', 'Dr Other'));
    const rx = await insertRx(p, w.staff.doctor.userId);
    expect((await w.staff.pharmacist.prescription(w.db, rx, 'dispense')).relation).toBe('dispensing');
    expect((await w.staff.pharmacist.prescription(w.db, rx, 'read')).relation).toBe('dispensing');
    expect((await w.staff.doctor.prescription(w.db, rx, 'read')).relation).toBe('prescriber');
    expect((await patientScope(p).prescription(w.db, rx, 'read')).relation).toBe('self');
    await rejectsWith(patientScope(q).prescription(w.db, rx, 'read'), 'not_found');
    await rejectsWith(other.prescription(w.db, rx, 'read'), 'not_found');
    await rejectsWith(w.staff.doctor.prescription(w.db, rx, 'dispense'), 'forbidden');
    for (const staff of [w.staff.admin, w.staff.registrar])
      await rejectsWith(staff.prescription(w.db, rx, 'read'), 'forbidden');
    await rejectsWith(w.staff.pharmacist.prescription(w.db, 'no-such-rx', 'dispense'), 'not_found');
    // A grant that does not cover prescriptions does not reach them; one that does, does.
    await w.sharing.grants.create(patientScope(p), p, {
      doctorId: other.userId,
      recordTypes: ['lab_result'],
    });
    await rejectsWith(other.prescription(w.db, rx, 'read'), 'not_found');
    await w.sharing.grants.create(patientScope(p), p, {
      doctorId: other.userId,
      recordTypes: ['prescription'],
    });
    expect((await other.prescription(w.db, rx, 'read')).relation).toBe('grant');
  });

  it('access logs: the patient their own, admins any existing patient, nobody else', async () => {
    expect((await patientScope(p).accessLog(w.db, p)).relation).toBe('self');
    await rejectsWith(patientScope(q).accessLog(w.db, p), 'not_found');
    expect((await w.staff.admin.accessLog(w.db, p)).relation).toBe('duty');
    await rejectsWith(w.staff.admin.accessLog(w.db, 'no-such-patient'), 'not_found');
    for (const staff of [w.staff.doctor, w.staff.registrar, w.staff.pharmacist])
      await rejectsWith(staff.accessLog(w.db, p), 'forbidden');
  });

  it('ledger entries to prove: admins any, a patient entries about themself, others 403', async () => {
    const ledger = w.db;
    // P's registration is a real ledger entry about P (the world's ledger is the real one).
    const { seq } = await w.db
      .selectFrom('ledger_entries')
      .select('seq')
      .where('patient_id', '=', p)
      .orderBy('seq')
      .executeTakeFirstOrThrow();
    await w.staff.admin.ledgerEntry(ledger, seq);
    await w.staff.admin.ledgerEntry(ledger, 99_999);
    await patientScope(p).ledgerEntry(ledger, seq);
    await rejectsWith(patientScope(q).ledgerEntry(ledger, seq), 'not_found');
    await rejectsWith(patientScope(p).ledgerEntry(ledger, 99_999), 'not_found');
    await rejectsWith(patientScope(p).ledgerEntry(ledger, -1), 'not_found');
    for (const staff of [w.staff.doctor, w.staff.registrar, w.staff.pharmacist])
      await rejectsWith(staff.ledgerEntry(ledger, seq), 'forbidden');
  });

  it('duties: registrars on any existing patient (403 for other roles, 404 for no patient)', async () => {
    expect(await w.staff.registrar.duty(w.db, p, 'careteam.assign')).toEqual({
      relation: 'duty',
      patientId: p,
      duty: 'careteam.assign',
    });
    await rejectsWith(w.staff.registrar.duty(w.db, 'no-such-patient', 'pin.reset'), 'not_found');
    await rejectsWith(w.staff.doctor.duty(w.db, p, 'pin.reset'), 'forbidden');
    expect((await w.staff.doctor.duty(w.db, p, 'break_glass')).duty).toBe('break_glass');
    await rejectsWith(w.staff.registrar.duty(w.db, p, 'break_glass'), 'forbidden');
  });

  it('directories: registrars everyone, doctors their candidates, patients themself, others 403', async () => {
    expect(await w.staff.registrar.directory(w.db)).toEqual({ everyone: true });
    expect(await w.staff.doctor.directory(w.db)).toEqual({ everyone: false, candidates: [] });
    await w.sharing.careTeams.assign(w.staff.registrar, q, w.staff.doctor.userId);
    expect(await w.staff.doctor.directory(w.db)).toEqual({ everyone: false, candidates: [q] });
    expect(await patientScope(p).directory(w.db)).toEqual({ everyone: false, candidates: [p] });
    for (const staff of [w.staff.admin, w.staff.pharmacist])
      await rejectsWith(staff.directory(w.db), 'forbidden');
  });

  it('only an active doctor may be given access; an operator acts only as an active account', async () => {
    const disabled = await insertStaff(w.db, 'doctor');
    await w.db.updateTable('users').set({ status: 'disabled' }).where('id', '=', disabled.userId).execute();
    expect(await isActiveCaregiver(w.db, w.staff.doctor.userId)).toBe(true);
    for (const id of [disabled.userId, w.staff.pharmacist.userId, w.staff.registrar.userId, p, 'nobody'])
      expect(await isActiveCaregiver(w.db, id), id).toBe(false);

    const named = await w.db
      .selectFrom('users')
      .select('username')
      .where('id', '=', w.staff.admin.userId)
      .executeTakeFirstOrThrow();
    const scope = await AccessScope.ofAccount(w.db, named.username!, 42);
    expect(scope?.actor).toEqual(w.staff.admin.actor);
    expect(scope?.now).toBe(42);
    expect(await AccessScope.ofAccount(w.db, 'nobody', 42)).toBeNull();
    await w.db
      .updateTable('users')
      .set({ status: 'disabled' })
      .where('id', '=', w.staff.admin.userId)
      .execute();
    expect(await AccessScope.ofAccount(w.db, named.username!, 42)).toBeNull();
  });
});
