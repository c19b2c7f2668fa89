import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  daysSupply,
  dosesPerDay,
  refillDueAt,
  unitsPerDose,
} from '../../src/app/prescriptions/refill-timing.js';
import { signPrescriptionDraft } from '../../src/app/prescriptions/offline-signing.js';
import type { PrescriptionPayload } from '../../src/app/prescriptions/payload.js';
import { loadConfig } from '../../src/config/config.js';
import { TestClock } from '../support/clock.js';
import { tokenFor } from '../support/people.js';
import { DIALECTS } from '../support/stores.js';
import { text } from '../support/json-answer.js';
import { dispense, draft, ledgerCount, rxWorld, type RxWorld } from './world.js';

const DAY = 86_400_000;

describe('refill timing rule', () => {
  it('reads units per dose and the most doses per day', () => {
    expect(unitsPerDose('1 capsule')).toBe(1);
    expect(unitsPerDose('2 puffs')).toBe(2);
    expect(unitsPerDose('1/2 tablet')).toBe(0.5);
    expect(unitsPerDose('two tablets')).toBe(2);
    expect(unitsPerDose('as directed')).toBeUndefined();
    expect(dosesPerDay('three times daily for 5 days')).toBe(3);
    expect(dosesPerDay('as needed for wheeze, up to four times daily')).toBe(4);
    expect(dosesPerDay('twice a day')).toBe(2);
    expect(dosesPerDay('once daily')).toBe(1);
    expect(dosesPerDay('at bedtime')).toBe(1);
    expect(dosesPerDay('every 4-6 hours')).toBe(6);
    expect(dosesPerDay('once weekly')).toBeCloseTo(1 / 7);
    expect(dosesPerDay('as directed')).toBeUndefined();
  });

  it('estimates a fill’s supply, falling back to the configured days', () => {
    const p = { dose: '1 capsule', frequency: 'three times daily', quantity: 21 } as PrescriptionPayload;
    expect(daysSupply(p, 7)).toBe(7);
    expect(daysSupply({ ...p, frequency: 'as directed' }, 9)).toBe(9);
    expect(refillDueAt(p, 1_000, { duePercent: 75, fallbackDays: 7 })).toBe(1_000 + 5.25 * DAY);
  });

  it('is configurable: 75 % and 7 days by default, validated', () => {
    const defaults = loadConfig({});
    expect([defaults.refillDuePercent, defaults.refillFallbackDays]).toEqual([75, 7]);
    const set = loadConfig({ MEDVAULT_REFILL_DUE_PERCENT: '80', MEDVAULT_REFILL_FALLBACK_DAYS: '30' });
    expect([set.refillDuePercent, set.refillFallbackDays]).toEqual([80, 30]);
    expect(() => loadConfig({ MEDVAULT_REFILL_DUE_PERCENT: '101' })).toThrow(/MEDVAULT_REFILL_DUE_PERCENT/);
    expect(() => loadConfig({ MEDVAULT_REFILL_FALLBACK_DAYS: '0' })).toThrow(/MEDVAULT_REFILL_FALLBACK_DAYS/);
  });
});

/** Finding 9 of the penetration test: every refill handed out in the same second. */
describe.each(DIALECTS)('refills cannot be dispensed early, on %s', (dialect) => {
  const clock = new TestClock('system');
  let w: RxWorld;
  beforeAll(async () => {
    w = await rxWorld({ db: dialect, clock });
  });
  afterAll(async () => {
    await w?.close();
  });

  /** A pharmacist's fresh session (the clock moves by days, past any session's end). */
  const pharmacistToken = (): Promise<string> => tokenFor(w.app, w.pharmacist.actor);

  /** Signed and submitted by the doctor as of the test clock, from a fresh session. */
  const prescribeNow = async (over: Record<string, unknown>): Promise<string> => {
    const body = signPrescriptionDraft(
      w.doctorEd.privateKeyPem,
      draft(w.doctorEd, w.patient.id, over),
      clock.now,
    );
    const res = await w.call('POST', '/api/v1/prescriptions', {
      token: await tokenFor(w.app, w.doctorEd.actor),
      body,
    });
    expect(res.status).toBe(201);
    return text(res.body.id);
  };

  const fillsOf = async (id: string): Promise<{ fillsRemaining: unknown; dispenses: number }> => {
    const view = await w.call('GET', `/api/v1/prescriptions/${id}`, { token: await pharmacistToken() });
    expect(view.status).toBe(200);
    const dispenses = view.body.dispenses;
    return {
      fillsRemaining: view.body.fillsRemaining,
      dispenses: Array.isArray(dispenses) ? dispenses.length : -1,
    };
  };

  it('refuses a refill until 75 % of the previous fill’s supply has elapsed, then dispenses it', async () => {
    // 21 capsules, one three times daily: a 7-day supply; the refill is due 5.25 days after fill 1.
    const id = await prescribeNow({ refills: 2 });
    const first = await dispense(w, id, await pharmacistToken());
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ fillNumber: 1, fillsRemaining: 2 });
    const dueAt = Number(first.body.dispensedAt) + 5.25 * DAY;

    const early = await dispense(w, id, await pharmacistToken());
    expect(early.status).toBe(409);
    expect(early.body.error).toMatchObject({ code: 'refill_not_due' });
    expect(text(early.body.error?.message)).toContain(new Date(dueAt).toISOString());
    expect(Number(early.headers.get('retry-after'))).toBeGreaterThan(5 * 86_400);
    expect(await fillsOf(id)).toEqual({ fillsRemaining: 2, dispenses: 1 });
    expect(await ledgerCount(w, 'prescription.dispense', id)).toBe(1);
    const refusals = await w.app.audit.ledger.entries(
      w.app.store.db,
      { action: 'prescription.refused', targetId: id },
      { limit: 10 },
    );
    expect(refusals.entries).toHaveLength(1);
    expect(JSON.stringify(refusals.entries[0])).toContain('refill_not_due');

    // A moment before it is due: still refused.
    clock.advance(dueAt - clock.now - 60_000);
    expect((await dispense(w, id, await pharmacistToken())).status).toBe(409);
    expect(await fillsOf(id)).toEqual({ fillsRemaining: 2, dispenses: 1 });

    // Past the due time: fill 2 is dispensed, and fill 3 is due again a share of a supply later.
    clock.advance(120_000);
    const second = await dispense(w, id, await pharmacistToken());
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ fillNumber: 2, fillsRemaining: 1 });
    const third = await dispense(w, id, await pharmacistToken());
    expect(third.status).toBe(409);
    expect(third.body.error).toMatchObject({ code: 'refill_not_due' });
  });

  it('never delays a first fill', async () => {
    const id = await prescribeNow({ refills: 5 });
    expect((await dispense(w, id, await pharmacistToken())).status).toBe(200);
  });

  it('lets exactly one of many concurrent refill attempts through once it is due', async () => {
    const id = await prescribeNow({ refills: 2 });
    expect((await dispense(w, id, await pharmacistToken())).status).toBe(200);
    clock.advance(6 * DAY);
    const token = await pharmacistToken();
    const statuses = await Promise.all(
      Array.from({ length: 10 }, () => dispense(w, id, token).then((a) => a.status)),
    );
    expect(statuses.sort((a, b) => a - b)).toEqual([200, ...Array<number>(9).fill(409)]);
    expect(await fillsOf(id)).toEqual({ fillsRemaining: 1, dispenses: 2 });
  });
});
