import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BREAK_GLASS_TTL_MS } from '../../src/app/sharing/break-glass.js';
import { openTestWorld, type StaffedWorld } from '../support/world.js';
import { rejectsWith, rowText } from '../support/assertions.js';
import { registration } from '../support/people.js';
import { DIALECTS } from '../support/stores.js';

const REASON = 'Arrived unconscious after a fall; need allergy history before sedation';

describe.each(DIALECTS)('break-glass (%s)', (dialect) => {
  let w: StaffedWorld;
  let patientId: string;
  beforeEach(async () => {
    w = await openTestWorld({ db: dialect, staff: true });
    patientId = (await w.identity.patients.register(w.staff.registrar, registration())).patientId;
  });
  afterEach(async () => {
    await w.dispose();
  });

  const access = () => w.staff.doctor.patient(w.db, patientId, 'read');

  it('opens access for one hour, then closes by itself', async () => {
    await rejectsWith(access(), 'not_found');
    const opened = await w.sharing.breakGlass.open(w.staff.doctor, patientId, REASON);
    expect(opened.expiresAt).toBe(w.clock.now + BREAK_GLASS_TTL_MS);
    const a = await access();
    expect(a).toMatchObject({
      relation: 'break_glass',
      recordTypes: 'all',
      breakGlassId: opened.breakGlassId,
    });
    w.clock.advance(BREAK_GLASS_TTL_MS - 1);
    await access();
    w.clock.advance(1);
    await rejectsWith(access(), 'not_found');
  });

  it('stores the reason encrypted only, and flags the ledger without it', async () => {
    const opened = await w.sharing.breakGlass.open(w.staff.doctor, patientId, REASON);
    const rows = await w.db.selectFrom('break_glass').selectAll().execute();
    const keys = await w.db.selectFrom('data_keys').selectAll().execute();
    const text = rowText([...rows, ...keys]);
    for (const word of ['unconscious', 'allergy', 'sedation', REASON]) expect(text).not.toContain(word);
    expect(keys.map((k) => [k.owner_table, k.owner_id, k.patient_id, k.field])).toContainEqual([
      'break_glass',
      opened.breakGlassId,
      patientId,
      'reason',
    ]);
    const entry = w.recorder.entries.find((e) => e.action === 'break_glass');
    expect(entry).toMatchObject({
      actor: w.staff.doctor,
      patientId,
      target: { type: 'patient', id: patientId },
      outcome: 'success',
      details: { breakGlassId: opened.breakGlassId, expiresAt: opened.expiresAt },
      inTransaction: true,
    });
    expect(JSON.stringify(w.recorder.entries)).not.toMatch(/unconscious|allergy/);
  });

  it('is for doctors only (403), on patients that exist (404), with a 10–1000 character reason (400)', async () => {
    for (const actor of [
      w.staff.registrar,
      w.staff.admin,
      w.staff.pharmacist,
      { userId: patientId, role: 'patient' as const },
    ]) {
      await rejectsWith(w.sharing.breakGlass.open(w.as(actor), patientId, REASON), 'forbidden');
    }
    await rejectsWith(w.sharing.breakGlass.open(w.staff.doctor, 'no-such-patient', REASON), 'not_found');
    for (const reason of ['too short', '          x         ', 'x'.repeat(1001)]) {
      await rejectsWith(w.sharing.breakGlass.open(w.staff.doctor, patientId, reason), 'invalid_input');
    }
    expect(await w.db.selectFrom('break_glass').selectAll().execute()).toHaveLength(0);
  });
});
