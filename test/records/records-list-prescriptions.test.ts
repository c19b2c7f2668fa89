import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prescribe, rxWorld, type RxWorld } from '../prescriptions/world.js';
import { items, text, type JsonAnswer } from '../support/json-answer.js';

/** Prescriptions are their own issue but list among a patient's records, by time, one cursor. */
describe("a patient's record list includes their signed prescriptions", () => {
  let w: RxWorld;
  beforeAll(async () => {
    w = await rxWorld();
  });
  afterAll(async () => {
    await w?.close();
  });

  it('merges records and prescriptions newest first across pages, and filters by type', async () => {
    const write = (title: string) =>
      w.call('POST', `/api/v1/patients/${w.patient.id}/records`, {
        token: w.doctor.token,
        body: { type: 'clinical_note', title, body: { text: 'Seen.' } },
      });
    expect((await write('First note')).status).toBe(201);
    const rx = await prescribe(w, w.doctor);
    expect((await write('Second note')).status).toBe(201);

    const all: JsonAnswer[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: JsonAnswer } = await w.call(
        'GET',
        `/api/v1/patients/${w.patient.id}/records?limit=1${cursor === null ? '' : `&cursor=${cursor}`}`,
        { token: w.patient.token },
      );
      expect(page.status).toBe(200);
      all.push(...items(page.body.records));
      const next = page.body.nextCursor;
      cursor = next === null ? null : text(next);
    } while (cursor !== null);
    expect(all.map((r) => r.title)).toEqual(['Second note', 'Prescription', 'First note']);
    expect(all[1]).toMatchObject({ id: rx, type: 'prescription' });

    const only = await w.call('GET', `/api/v1/patients/${w.patient.id}/records?type=prescription`, {
      token: w.doctor.token,
    });
    expect(items(only.body.records).map((r) => r.id)).toEqual([rx]);
    const notes = await w.call('GET', `/api/v1/patients/${w.patient.id}/records?type=clinical_note`, {
      token: w.doctor.token,
    });
    expect(items(notes.body.records).every((r) => text(r.type) === 'clinical_note')).toBe(true);
  });
});
