import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { plaintextLeaves, recordsWorld, SAMPLE_RECORDS, type RecordsWorld } from './records-world.js';
import { DIALECTS } from '../support/stores.js';
import { items, num, text, type JsonAnswer } from '../support/json-answer.js';

type Answer = { status: number; body: JsonAnswer };

/** The value as a string or null (an entry's record id). @throws TypeError unless it is one. */
function textOrNull(value: JsonAnswer | undefined): string | null {
  return value === null ? null : text(value);
}

describe.each(DIALECTS)('records over HTTP (%s)', (dialect) => {
  let w: RecordsWorld;
  const created = new Map<string, string>();

  beforeAll(async () => {
    w = await recordsWorld(dialect);
  });
  afterAll(async () => {
    await w.dispose();
  });

  const write = (patientId: string, record: unknown, token = w.tokens.doctor): Promise<Answer> =>
    w.call('POST', `/api/v1/patients/${patientId}/records`, { token, body: record });

  it('every record type: create, read back equal, list; no body field in clear in the stored row', async () => {
    for (const [type, sample] of Object.entries(SAMPLE_RECORDS)) {
      const res = await write(w.a, { type, ...sample, keywords: ['follow-up Quetzal'] });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ patientId: w.a, type, authorId: w.doctor.userId });
      created.set(type, text(res.body.id));
      for (const token of [w.tokens.doctor, w.tokens.patientA]) {
        const read = await w.call('GET', `/api/v1/records/${res.body.id}`, { token });
        expect(read.status).toBe(200);
        expect(read.body).toMatchObject({
          id: res.body.id,
          type,
          title: sample.title,
          authorName: 'Dr Okafor',
        });
        expect(read.body.body).toEqual(sample.body);
        expect(read.body.keywords).toEqual(['follow-up Quetzal']);
      }
    }
    const list = await w.call('GET', `/api/v1/patients/${w.a}/records`, { token: w.tokens.patientA });
    expect(list.status).toBe(200);
    expect(new Set(items(list.body.records).map((r) => r.type))).toEqual(
      new Set(Object.keys(SAMPLE_RECORDS)),
    );
    expect(items(list.body.records).map((r) => r.title)).toContain(SAMPLE_RECORDS.diagnosis.title);

    const rows = await w.server.app.store.db.selectFrom('records').selectAll().execute();
    const stored = Buffer.concat(rows.flatMap((r) => [Buffer.from(r.title_ct), Buffer.from(r.body_ct)]));
    const index = await w.server.app.store.db.selectFrom('search_index').selectAll().execute();
    const all = Buffer.concat([stored, ...index.map((r) => Buffer.from(r.token))]);
    for (const sample of Object.values(SAMPLE_RECORDS)) {
      // Originals and the normalised forms the index is built from.
      for (const leaf of [
        ...plaintextLeaves(sample.body),
        sample.title,
        'Quetzal',
        'quetzal',
        'pneumonia',
        'penicillin',
        'J189',
      ]) {
        expect(all.includes(Buffer.from(leaf, 'utf8')), `"${leaf}" found in stored bytes`).toBe(false);
      }
    }
  });

  it('pages a list with a cursor and filters by type', async () => {
    const first = await w.call('GET', `/api/v1/patients/${w.a}/records?limit=3`, { token: w.tokens.doctor });
    expect(first.body.records).toHaveLength(3);
    const second = await w.call(
      'GET',
      `/api/v1/patients/${w.a}/records?limit=100&cursor=${first.body.nextCursor}`,
      {
        token: w.tokens.doctor,
      },
    );
    const ids = [...items(first.body.records), ...items(second.body.records)].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(7);
    const labs = await w.call('GET', `/api/v1/patients/${w.a}/records?type=lab_result`, {
      token: w.tokens.doctor,
    });
    expect(items(labs.body.records).every((r) => text(r.type) === 'lab_result')).toBe(true);
    expect(
      (await w.call('GET', `/api/v1/patients/${w.a}/records?type=horoscope`, { token: w.tokens.doctor }))
        .status,
    ).toBe(400);
    expect(
      (await w.call('GET', `/api/v1/patients/${w.a}/records?cursor=bm9wZQ`, { token: w.tokens.doctor }))
        .status,
    ).toBe(400);
  });

  it('refuses unknown types and invalid bodies with 400 naming the field, and writes nothing', async () => {
    const before = await countRecords(w);
    const cases: Array<[unknown, RegExp]> = [
      [{ type: 'horoscope', title: 'x', body: {} }, /^type: unknown record type/],
      [{ type: 'prescription', title: 'x', body: {} }, /POST \/api\/v1\/prescriptions/],
      [
        {
          type: 'lab_result',
          title: 'x',
          body: { panel: 'CBC', analytes: [{ name: 'Hb', value: 'high', unit: 'g/dL' }] },
        },
        /^body\.analytes\[0\]\.value/,
      ],
      [{ type: 'diagnosis', title: 'x', body: { icd10: 'pneumonia', text: 'x' } }, /^body\.icd10/],
      [{ type: 'vitals', title: 'x', body: { heartRate: 400 } }, /^body\.heartRate/],
      [{ type: 'vitals', title: 'x', body: { weight: 72.45 } }, /^body\.weight/],
      [{ type: 'vitals', title: 'x', body: {} }, /^body: give at least one/],
      [{ type: 'allergy', title: 'x', body: { substance: 'Latex', severity: 'mild', extra: 1 } }, /^body/],
      [{ type: 'clinical_note', title: '   ', body: { text: 'x' } }, /^title/],
    ];
    for (const [record, message] of cases) {
      const res = await write(w.a, record);
      expect(res.status, JSON.stringify(record)).toBe(400);
      expect(res.body.error?.message).toMatch(message);
    }
    expect(
      (await w.call('POST', `/api/v1/patients/${w.a}/records`, { token: w.tokens.doctor, raw: '{"type":' }))
        .status,
    ).toBe(400);
    expect(await countRecords(w)).toBe(before);
  });

  it('lets only doctors with access write, and only reachable callers read', async () => {
    const note = { type: 'clinical_note', title: 'n', body: { text: 'x' } };
    expect((await write(w.a, note, w.tokens.stranger)).status).toBe(404);
    expect((await write(w.a, note, w.tokens.patientA)).status).toBe(403);
    expect((await write(w.a, note, w.tokens.pharmacist)).status).toBe(403);
    expect((await write(w.a, note, w.tokens.admin)).status).toBe(403);
    const id = created.get('diagnosis') as string;
    expect((await w.call('GET', `/api/v1/records/${id}`, { token: w.tokens.patientB })).status).toBe(404);
    expect((await w.call('GET', `/api/v1/records/${id}`, { token: w.tokens.stranger })).status).toBe(404);
    expect((await w.call('GET', `/api/v1/records/${id}`, { token: w.tokens.pharmacist })).status).toBe(403);
    expect((await w.call('GET', `/api/v1/records/${id}`, { token: w.tokens.admin })).status).toBe(403);
    expect(
      (await w.call('GET', `/api/v1/patients/${w.a}/records`, { token: w.tokens.patientB })).status,
    ).toBe(404);
    expect((await w.call('GET', `/api/v1/records/no-such-record`, { token: w.tokens.doctor })).status).toBe(
      404,
    );
  });

  it("moving a record's ciphertext to another record or patient fails with 422 and a ledger entry", async () => {
    const db = w.server.app.store.db;
    const lab = created.get('lab_result') as string;
    const note = created.get('clinical_note') as string;
    // Swap the note's body for the lab result's (same patient, another record).
    const labRow = await db
      .selectFrom('records')
      .select(['body_ct'])
      .where('id', '=', lab)
      .executeTakeFirstOrThrow();
    await db.updateTable('records').set({ body_ct: labRow.body_ct }).where('id', '=', note).execute();
    const swapped = await w.call('GET', `/api/v1/records/${note}`, { token: w.tokens.patientA });
    expect(swapped.status).toBe(422);
    expect(swapped.body.error?.code).toBe('integrity_failure');
    expect(JSON.stringify(swapped.body)).not.toContain('Haemoglobin');

    // Move a whole record to patient B (SQL): B may now "own" it, but it opens for nobody.
    const vacc = created.get('vaccination') as string;
    await db.updateTable('records').set({ patient_id: w.b }).where('id', '=', vacc).execute();
    const moved = await w.call('GET', `/api/v1/records/${vacc}`, { token: w.tokens.patientB });
    expect(moved.status).toBe(422);
    expect(JSON.stringify(moved.body)).not.toContain('Gecko');
    // B's list reads every title's key in one query: the moved record's key is bound to A, so the
    // list refuses as a whole (422) rather than showing a title that does not belong to it.
    const list = await w.call('GET', `/api/v1/patients/${w.b}/records`, { token: w.tokens.patientB });
    expect(list.status).toBe(422);
    expect(list.body.error?.code).toBe('integrity_failure');

    const failures = await db
      .selectFrom('ledger_entries')
      .select(['target_id', 'patient_id', 'outcome'])
      .where('action', '=', 'record.integrity_failure')
      .execute();
    expect(failures).toEqual(
      expect.arrayContaining([
        { target_id: note, patient_id: w.a, outcome: 'failure' },
        { target_id: vacc, patient_id: w.b, outcome: 'failure' },
      ]),
    );
    // Put them back so later tests see a consistent store.
    await db.updateTable('records').set({ patient_id: w.a }).where('id', '=', vacc).execute();
  });

  it('search finds a diagnosis by keyword, case, accents, surrounding space and ICD-10 code', async () => {
    const id = created.get('diagnosis') as string;
    for (const keyword of ['pneumonia', 'PNEUMONÍA', '  Pneumonia  ', 'J18.9', 'j189', 'J18', 'organism']) {
      const res = await w.call('GET', `/api/v1/search?keyword=${encodeURIComponent(keyword)}`, {
        token: w.tokens.doctor,
      });
      expect(res.status, keyword).toBe(200);
      expect(
        items(res.body.hits).map((h) => h.recordId),
        keyword,
      ).toContain(id);
    }
    const allergy = await w.call('GET', '/api/v1/search?keyword=penicillin', { token: w.tokens.doctor });
    expect(items(allergy.body.hits).map((h) => h.recordId)).toContain(created.get('allergy'));
    const own = await w.call('GET', '/api/v1/search?keyword=quetzal', { token: w.tokens.doctor });
    expect(items(own.body.hits).length).toBeGreaterThanOrEqual(7);
    const none = await w.call('GET', '/api/v1/search?keyword=appendicitis', { token: w.tokens.doctor });
    expect(none.body.hits).toEqual([]);
    expect((await w.call('GET', '/api/v1/search?keyword=%20%20', { token: w.tokens.doctor })).status).toBe(
      400,
    );
    expect(
      (await w.call('GET', '/api/v1/search?keyword=pneumonia', { token: w.tokens.patientA })).status,
    ).toBe(403);
  });

  it('search covers the clinical words of every record type and their prefixes of three letters or more', async () => {
    const hits = async (keyword: string): Promise<string[]> => {
      const res = await w.call('GET', `/api/v1/search?keyword=${encodeURIComponent(keyword)}`, {
        token: w.tokens.doctor,
      });
      expect(res.status, keyword).toBe(200);
      return items(res.body.hits).map((h) => text(h.recordId));
    };
    const expected: Array<[string, string]> = [
      ['tapir', 'imaging'], // an X-ray impression
      ['lemur', 'imaging'], // a prefix of a finding
      ['capybara', 'clinical_note'], // a note's title
      ['okapi', 'clinical_note'], // a note's text
      ['wombat', 'lab_result'], // a prefix of an analyte's name
      ['zebrafinch', 'lab_result'], // the panel
      ['narwhal', 'lab_result'], // the notes
      ['marmo', 'diagnosis'], // a diagnosis's notes, by prefix
      ['flamingo', 'allergy'], // a reaction
      ['gec', 'vaccination'], // three letters are enough
      ['koala', 'vaccination'], // the site
      ['PNEUM', 'imaging'], // case folded, and the diagnosis too (below)
    ];
    for (const [keyword, type] of expected) expect(await hits(keyword), keyword).toContain(created.get(type));
    expect(await hits('PNEUM')).toContain(created.get('diagnosis'));
    // Two letters are not a prefix anyone can search by, and a prefix must start the word.
    expect(await hits('ta')).toEqual([]);
    expect(await hits('apir')).toEqual([]);
    // Numbers, units and lot numbers are not clinical words.
    expect(await hits('qx7781')).toEqual([]);
  });

  it('a doctor never gets a hit for a patient they may not read', async () => {
    const search = (token: string) => w.call('GET', '/api/v1/search?keyword=pneumonia', { token });
    expect((await search(w.tokens.stranger)).body.hits).toEqual([]);
    // A grant limited to lab results does not reveal the diagnosis…
    const grant = await w.call('POST', `/api/v1/patients/${w.a}/grants`, {
      token: w.tokens.patientA,
      body: { doctorId: w.stranger.userId, recordTypes: ['lab_result'] },
    });
    expect(grant.status).toBe(201);
    expect((await search(w.tokens.stranger)).body.hits).toEqual([]);
    const labHits = await w.call('GET', '/api/v1/search?keyword=quetzal', { token: w.tokens.stranger });
    expect(items(labHits.body.hits).map((h) => h.type)).toEqual(['lab_result']);
    // …and once revoked, nothing at all.
    await w.call('DELETE', `/api/v1/patients/${w.a}/grants/${text(grant.body.grant?.id)}`, {
      token: w.tokens.patientA,
    });
    expect(
      (await w.call('GET', '/api/v1/search?keyword=quetzal', { token: w.tokens.stranger })).body.hits,
    ).toEqual([]);
  });

  it('the access log shows the patient every access, with break-glass reasons; never another patient’s', async () => {
    const reason = 'Unconscious in the emergency department, allergy check needed';
    const glass = await w.call('POST', `/api/v1/patients/${w.a}/break-glass`, {
      token: w.tokens.stranger,
      body: { reason },
    });
    expect(glass.status).toBe(201);
    const allergy = created.get('allergy') as string;
    expect((await w.call('GET', `/api/v1/records/${allergy}`, { token: w.tokens.stranger })).status).toBe(
      200,
    );

    const log = await w.call('GET', `/api/v1/patients/${w.a}/access-log?limit=100`, {
      token: w.tokens.patientA,
    });
    expect(log.status).toBe(200);
    const entries = items(log.body.entries);
    expect(entries[0]).toMatchObject({
      action: 'record.read',
      actorId: w.stranger.userId,
      actorName: 'Dr Lindqvist',
      actorRole: 'doctor',
      recordId: allergy,
      relation: 'break_glass',
      breakGlassReason: reason,
    });
    expect(entries).toContainEqual(
      expect.objectContaining({ action: 'break_glass', breakGlassReason: reason }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ action: 'search.hit', actorId: w.doctor.userId }),
    );
    expect(entries).toContainEqual(
      expect.objectContaining({ action: 'record.read', actorId: w.doctor.userId, relation: 'care_team' }),
    );
    const seqs = entries.map((e) => num(e.seq));
    expect([...seqs].sort((x, y) => y - x)).toEqual(seqs);

    expect(
      (await w.call('GET', `/api/v1/patients/${w.a}/access-log`, { token: w.tokens.patientB })).status,
    ).toBe(404);
    expect(
      (await w.call('GET', `/api/v1/patients/${w.a}/access-log`, { token: w.tokens.doctor })).status,
    ).toBe(403);
    expect(
      (await w.call('GET', `/api/v1/patients/${w.a}/access-log`, { token: w.tokens.admin })).status,
    ).toBe(200);
    const bLog = await w.call('GET', `/api/v1/patients/${w.b}/access-log?limit=100`, {
      token: w.tokens.patientB,
    });
    expect(items(bLog.body.entries).every((e) => textOrNull(e.recordId) !== allergy)).toBe(true);
  });
});

async function countRecords(w: RecordsWorld): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`select count(*) as n from records`.execute(
    w.server.app.store.db,
  );
  return Number(rows[0]?.n);
}
