import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/app/actor.js';
import { formatMrn, luhnCheckDigit, mrnOf, normaliseMrn } from '../../src/contract/vocabulary/mrn.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { jsonCaller, type Answer } from '../support/http.js';
import { identityOf, insertStaff, registration, tokenFor } from '../support/people.js';
import { scopeOf } from '../support/scopes.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { createTestStore, DIALECTS } from '../support/stores.js';

/**
 * Issue 20, point 1, from the attacker's side: MRNs, finding patients within one's reach on
 * blind indexes, and the break-glass look-up (identity only, whole words plus date of birth,
 * ledgered with its count, rate-limited per doctor).
 */
describe('medical record numbers', () => {
  it('carry a Luhn check digit that catches every single wrong digit and neighbour swap (but 09↔90)', () => {
    const mrn = mrnOf('4821330');
    expect(mrn).toMatch(/^[1-9][0-9]{7}$/);
    expect(normaliseMrn(mrn)).toBe(mrn);
    expect(normaliseMrn(formatMrn(mrn))).toBe(mrn);
    expect(normaliseMrn(` ${mrn.slice(0, 4)}-${mrn.slice(4)} `.trim())).toBe(mrn);
    for (let i = 0; i < 8; i++) {
      for (let d = 0; d <= 9; d++) {
        const typo = `${mrn.slice(0, i)}${d}${mrn.slice(i + 1)}`;
        if (typo !== mrn) expect(normaliseMrn(typo), typo).toBeNull();
      }
      if (i < 7) {
        const swapped = `${mrn.slice(0, i)}${mrn[i + 1]}${mrn[i]}${mrn.slice(i + 2)}`;
        const pair = `${mrn[i]}${mrn[i + 1]}`;
        if (swapped !== mrn && pair !== '09' && pair !== '90')
          expect(normaliseMrn(swapped), swapped).toBeNull();
      }
    }
    expect(luhnCheckDigit('7992739871')).toBe(3); // the classic example
    for (const bad of ['', '1234567', '123456789', '0482133X', '04821330', 'abcdefgh', '1'.repeat(40)])
      expect(normaliseMrn(bad)).toBeNull();
  });
});

describe.each(DIALECTS)('finding a patient (%s)', (dialect) => {
  let server: TestServer;
  let call: ReturnType<typeof jsonCaller>;
  let registrar: Actor;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const mrns: Record<string, string> = {};
  const DOB = '1961-04-17';

  const as = (who: string, path: string, body: unknown): Promise<Answer> =>
    call('POST', path, { token: tokens[who], body });
  const search = (who: string, body: unknown) => as(who, '/api/v1/patients/search', body);
  const lookup = (who: string, body: unknown) => as(who, '/api/v1/break-glass/lookup', body);
  const foundIds = (a: Answer): string[] =>
    (a.body.patients as unknown as Array<{ id: string }>).map((p) => p.id).sort();
  const staff = async (name: string, role: 'registrar' | 'doctor' | 'pharmacist' | 'admin') => {
    const actor = await insertStaff(server.app.store.db, role, name);
    tokens[name] = await tokenFor(server.app, actor);
    return actor;
  };
  const lookupsBy = async (doctor: Actor) =>
    (
      await server.app.store.db
        .selectFrom('ledger_entries')
        .select(['details', 'patient_id'])
        .where('action', '=', 'break_glass.lookup')
        .where('actor_id', '=', doctor.userId)
        .orderBy('seq')
        .execute()
    ).map((r) => ({ ...(JSON.parse(r.details) as Record<string, unknown>), patientId: r.patient_id }));

  beforeAll(async () => {
    server = await startTestServer({
      db: dialect,
      settings: { MEDVAULT_BREAK_GLASS_LOOKUP_RATE_LIMIT: '5' },
    });
    call = jsonCaller(server.url);
    registrar = await staff('registrar', 'registrar');
    const doctorA = await staff('doctorA', 'doctor');
    await staff('doctorB', 'doctor');
    await staff('pharmacist', 'pharmacist');
    await staff('admin', 'admin');
    const people = {
      jose: 'José Álvarez-Núñez',
      maria: 'María Álvarez',
      li: 'Li Wei',
    };
    for (const [key, fullName] of Object.entries(people)) {
      const res = await call('POST', '/api/v1/patients', {
        token: tokens.registrar,
        body: identityOf(registration({ fullName, dateOfBirth: key === 'li' ? '1990-02-03' : DOB })),
      });
      expect(res.status).toBe(201);
      ids[key] = String(res.body.patientId);
      mrns[key] = String(res.body.mrn);
      expect(normaliseMrn(mrns[key]!)).toBe(mrns[key]);
    }
    // Doctor A has José on the care team; doctor B reaches nobody.
    await server.app.sharing.careTeams.assign(scopeOf(registrar), ids.jose!, doctorA.userId);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('gives every patient a distinct MRN, shown with the demographics', async () => {
    expect(new Set(Object.values(mrns)).size).toBe(3);
    const shown = await call('GET', `/api/v1/patients/${ids.jose}`, { token: tokens.registrar });
    expect(shown.body.mrn).toBe(mrns.jose);
  });

  it('lets a registrar find anyone by name prefix (accents and case ignored), date of birth or MRN', async () => {
    expect(foundIds(await search('registrar', { name: 'alva' }))).toEqual([ids.jose, ids.maria].sort());
    expect(foundIds(await search('registrar', { name: 'ALVAREZ nun' }))).toEqual([ids.jose]);
    expect(foundIds(await search('registrar', { name: 'li' }))).toEqual([ids.li]);
    expect(foundIds(await search('registrar', { dateOfBirth: DOB }))).toEqual([ids.jose, ids.maria].sort());
    expect(foundIds(await search('registrar', { name: 'maria', dateOfBirth: DOB }))).toEqual([ids.maria]);
    const byMrn = await search('registrar', { mrn: formatMrn(mrns.li!) });
    expect(byMrn.body).toEqual({
      patients: [{ id: ids.li, mrn: mrns.li, fullName: 'Li Wei', dateOfBirth: '1990-02-03' }],
      more: false,
    });
    // An MRN with a mistyped digit is caught, not searched.
    const typo = `${mrns.li!.slice(0, 7)}${(Number(mrns.li![7]) + 1) % 10}`;
    const refused = await search('registrar', { mrn: typo });
    expect(refused.status).toBe(400);
    expect(refused.body.error?.code).toBe('invalid_mrn');
    const empty = await search('registrar', {});
    expect(empty.status).toBe(400);
    expect(empty.body.error?.code).toBe('search_criteria');
  });

  it('refuses pharmacists, admins, patients and the anonymous, and lets no doctor see past their reach', async () => {
    for (const who of ['pharmacist', 'admin'])
      expect((await search(who, { name: 'alvarez' })).status).toBe(403);
    expect((await call('POST', '/api/v1/patients/search', { body: { name: 'alvarez' } })).status).toBe(401);
    const patientToken = await tokenFor(server.app, { userId: ids.li!, role: 'patient' });
    expect(
      (await call('POST', '/api/v1/patients/search', { token: patientToken, body: { name: 'li' } })).status,
    ).toBe(403);
    // Doctor A: José (care team) only, however the search is put.
    const a = await search('doctorA', { name: 'alvarez' });
    expect(a.body.patients).toEqual([expect.objectContaining({ id: ids.jose, relation: 'care_team' })]);
    expect(foundIds(await search('doctorA', { mrn: mrns.maria }))).toEqual([]);
    expect(foundIds(await search('doctorA', { dateOfBirth: DOB }))).toEqual([ids.jose]);
    // Doctor B reaches nobody: nothing, even by exact MRN.
    for (const body of [{ name: 'alvarez' }, { mrn: mrns.jose }, { dateOfBirth: DOB }, { name: 'li wei' }])
      expect(foundIds(await search('doctorB', body))).toEqual([]);
  });

  it('break-glass look-up: identity only, by MRN or whole name plus date of birth; never a name alone', async () => {
    const doctor = await staff('doctorC', 'doctor');
    const nameOnly = await lookup('doctorC', { fullName: 'José Álvarez-Núñez' });
    expect(nameOnly.status).toBe(400);
    expect(nameOnly.body.error?.code).toBe('lookup_criteria');
    expect((await lookup('doctorC', { dateOfBirth: DOB })).status).toBe(400);
    // A prefix is not a name: "alva" + the date of birth finds nobody (and is ledgered as 0).
    expect((await lookup('doctorC', { fullName: 'alva', dateOfBirth: DOB })).body).toEqual({ patients: [] });
    const byName = await lookup('doctorC', { fullName: 'jose alvarez nunez', dateOfBirth: DOB });
    expect(byName.body).toEqual({
      patients: [{ id: ids.jose, mrn: mrns.jose, fullName: 'José Álvarez-Núñez', dateOfBirth: DOB }],
    });
    const byMrn = await lookup('doctorC', { mrn: mrns.maria });
    expect(byMrn.body.patients).toEqual([
      { id: ids.maria, mrn: mrns.maria, fullName: 'María Álvarez', dateOfBirth: DOB },
    ]);
    expect(JSON.stringify(byMrn.body)).not.toMatch(/ssn|\*\*\*/i);
    // Every look-up is in the ledger with its count (none about a patient: the count is the fact).
    expect(await lookupsBy(doctor)).toEqual([
      { by: 'name_dob', results: 0, more: false, patientId: null },
      { by: 'name_dob', results: 1, more: false, patientId: null },
      { by: 'mrn', results: 1, more: false, patientId: null },
    ]);
    // Each patient shown is in their own access history.
    const listed = await server.app.store.db
      .selectFrom('ledger_entries')
      .select('details')
      .where('action', '=', 'patient.listed')
      .where('actor_id', '=', doctor.userId)
      .where('patient_id', '=', ids.maria!)
      .execute();
    expect(listed.map((r) => JSON.parse(r.details).via)).toEqual(['break_glass_lookup']);
    // Then the glass is broken as before, and the doctor's own search now reaches María.
    const opened = await call('POST', `/api/v1/patients/${ids.maria}/break-glass`, {
      token: tokens.doctorC,
      body: { reason: 'Unconscious in the emergency room, no history available' },
    });
    expect(opened.status).toBe(201);
    expect((await search('doctorC', { name: 'maria' })).body.patients).toEqual([
      expect.objectContaining({ id: ids.maria, relation: 'break_glass' }),
    ]);
    for (const who of ['pharmacist', 'registrar', 'admin'])
      expect((await lookup(who, { mrn: mrns.maria })).status).toBe(403);
  });

  it('rate-limits look-ups per doctor (429), not per address', async () => {
    await staff('doctorD', 'doctor');
    await staff('doctorE', 'doctor');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await lookup('doctorD', { mrn: mrns.li })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    // Another doctor from the same address still may.
    expect((await lookup('doctorE', { mrn: mrns.li })).status).toBe(200);
  });

  it('stores names and dates of birth only as keyed tokens: no plain value, equal words give equal tokens', async () => {
    const rows = await server.app.store.db
      .selectFrom('patient_search_tokens')
      .select(['token', 'patient_id'])
      .execute();
    const plain = ['jose', 'alvarez', 'nunez', 'maria', 'li', 'wei', 'alv', DOB, '1990-02-03'];
    for (const r of rows) {
      expect(r.token.length).toBe(32);
      for (const p of plain) expect(Buffer.from(r.token).includes(Buffer.from(p))).toBe(false);
    }
    const of = (id: string) =>
      new Set(rows.filter((r) => r.patient_id === id).map((r) => r.token.toString('hex')));
    const [jose, maria, li] = [of(ids.jose!), of(ids.maria!), of(ids.li!)];
    // dob + words (jose, alvarez, nunez) + prefixes (jos,jose; alv..alvarez: 5; nun,nune,nunez) = 1+3+2+5+3
    expect(jose.size).toBe(14);
    // The leakage, as written down: José and María share "alvarez" (word, 5 prefixes) and a birth date.
    expect([...jose].filter((t) => maria.has(t)).length).toBe(7);
    expect([...li].filter((t) => jose.has(t)).length).toBe(0);
  });

  it('indexes at start-up the patients who have no tokens (registered before migration 021)', async () => {
    await server.app.store.db.deleteFrom('patient_search_tokens').where('patient_id', '=', ids.li!).execute();
    expect(foundIds(await search('registrar', { name: 'wei' }))).toEqual([]);
    expect(await server.app.identity.patientFinder.indexMissing()).toBe(1);
    expect(foundIds(await search('registrar', { name: 'wei' }))).toEqual([ids.li]);
    expect(await server.app.identity.patientFinder.indexMissing()).toBe(0);
  });
});

describe.each(DIALECTS)('migration 021 (%s)', (dialect) => {
  it('gives every existing patient a distinct, valid MRN', async () => {
    const t = await createTestStore(dialect, { migrate: false });
    try {
      await migrateToLatest(t.store, { upTo: '019-approvals-staff-enrolment' });
      const db = t.store.db;
      const now = Date.now();
      const before = Array.from({ length: 25 }, () => randomUUID());
      for (const id of before) {
        await db
          .insertInto('users')
          .values({
            id,
            role: 'patient',
            username: null,
            display_name: null,
            status: 'active',
            password_hash: null,
            created_at: now,
            updated_at: now,
          })
          .execute();
        // Written as the schema was before 021 (no mrn column yet).
        await db
          .insertInto('patients')
          .values({
            id,
            ssn_index: Buffer.from(randomUUID()),
            ssn_ct: Buffer.alloc(1),
            name_ct: Buffer.alloc(1),
            dob_ct: Buffer.alloc(1),
            pin_hash: '',
            password_hash: '',
            recovery_hash: '',
            reset_hash: null,
            reset_expires_at: null,
            smoking_status: 'never',
            created_by: id,
            created_at: now,
          } as never)
          .execute();
      }
      expect(await migrateToLatest(t.store)).toContain('021-patient-mrn');
      const rows = await db.selectFrom('patients').select(['id', 'mrn']).execute();
      expect(rows).toHaveLength(25);
      for (const r of rows) expect(normaliseMrn(r.mrn)).toBe(r.mrn);
      expect(new Set(rows.map((r) => r.mrn)).size).toBe(25);
    } finally {
      await t.dispose();
    }
  });
});
