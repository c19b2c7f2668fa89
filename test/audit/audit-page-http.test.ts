/**
 * The admin's audit page over HTTP (issue 20, point 10): entries said in words without clinical
 * content or patient names, server-side filters by actor, patient, action and date range with
 * paging, and the CSV export (header, formula escaping, ledgered, admins only).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, Role } from '../../src/app/actor.js';
import { createTestStore, DIALECTS, type TestStore } from '../support/stores.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { jsonCaller } from '../support/http.js';
import { items, num, text } from '../support/json-answer.js';
import { insertUser, tokenFor } from '../support/people.js';

interface User {
  actor: Actor;
  token: string;
}

async function addUser(server: TestServer, role: Role, displayName: string | null): Promise<User> {
  const actor = await insertUser(server.app.store.db, role, displayName);
  return { actor, token: await tokenFor(server.app, actor) };
}

describe.each(DIALECTS)('the audit page over HTTP on %s', (dialect) => {
  let t: TestStore;
  let server: TestServer;
  let call: ReturnType<typeof jsonCaller>;
  let admin: User;
  let doctor: User;
  let registrar: User;
  let pharmacist: User;
  let patient: User;
  let other: User;
  let middle = 0;

  const read = (who: User, patientId: string, type: string) =>
    server.app.audit.ledger.append(server.app.store.db, {
      actor: who.actor,
      action: 'record.read',
      target: { type: 'record', id: randomUUID() },
      patientId,
      outcome: 'success',
      details: { type, relation: 'care_team' },
    });

  const csv = async (token: string | undefined, query = '') => {
    const res = await fetch(`${server.url}/api/v1/audit/entries.csv${query}`, {
      headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
    });
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text(), res };
  };

  beforeAll(async () => {
    t = await createTestStore(dialect, { migrate: false });
    server = await startTestServer(t.databaseUrl ? { databaseUrl: t.databaseUrl } : {});
    call = jsonCaller(server.url);
    admin = await addUser(server, 'admin', 'Mihir Joshi');
    doctor = await addUser(server, 'doctor', 'Dr Omkar Deshpande');
    // A display name a spreadsheet would run as a formula.
    registrar = await addUser(server, 'registrar', '=HYPERLINK("http://evil.test","x")');
    pharmacist = await addUser(server, 'pharmacist', 'Sushmita Rao');
    patient = await addUser(server, 'patient', null);
    other = await addUser(server, 'patient', null);
    await read(doctor, patient.actor.userId, 'lab_result');
    await read(doctor, other.actor.userId, 'vitals');
    await new Promise((r) => setTimeout(r, 5));
    middle = Date.now();
    await new Promise((r) => setTimeout(r, 5));
    await server.app.audit.ledger.append(server.app.store.db, {
      actor: registrar.actor,
      action: 'patient.register',
      target: { type: 'patient', id: patient.actor.userId },
      patientId: patient.actor.userId,
      outcome: 'success',
    });
    for (let i = 0; i < 5; i++) await read(doctor, patient.actor.userId, 'clinical_note');
  });
  afterAll(async () => {
    await server?.close();
    await t?.dispose();
  });

  const list = async (query: string) => {
    const res = await call('GET', `/api/v1/audit/entries${query}`, { token: admin.token });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return { entries: items(res.body.entries), nextBefore: res.body.nextBefore };
  };

  it('says who did what to whose chart in words, with a masked patient and no clinical content', async () => {
    const { entries } = await list(`?actorId=${doctor.actor.userId}&limit=200`);
    const masked = `patient ·${patient.actor.userId.slice(0, 8)}`;
    const sentences = entries.map((e) => text(e.sentence));
    expect(sentences).toContain(`Dr Omkar Deshpande read ${masked}'s lab result`);
    expect(sentences).toContain(`Dr Omkar Deshpande read ${masked}'s clinical note`);
    for (const e of entries) {
      expect(e.actorName).toBe('Dr Omkar Deshpande');
      expect(text(e.patientLabel)).toMatch(/^patient ·[0-9a-f]{8}$/);
    }
    const reg = await list(`?action=patient.register`);
    expect(text(reg.entries[0]!.sentence)).toBe(`=HYPERLINK("http://evil.test","x") registered ${masked}`);
  });

  it('filters on the server by actor, patient, action and date range, and pages', async () => {
    const byPatient = await list(`?patientId=${other.actor.userId}`);
    expect(byPatient.entries.map((e) => e.patientId)).toEqual([other.actor.userId]);
    const byAction = await list(`?action=patient.register`);
    expect(byAction.entries.map((e) => e.action)).toEqual(['patient.register']);
    const byActor = await list(`?actorId=${registrar.actor.userId}`);
    expect(byActor.entries).toHaveLength(1);
    const before = await list(`?actorId=${doctor.actor.userId}&to=${middle}`);
    expect(before.entries).toHaveLength(2);
    const after = await list(`?actorId=${doctor.actor.userId}&from=${middle}`);
    expect(after.entries).toHaveLength(5);
    // Combined: AND.
    const both = await list(
      `?actorId=${doctor.actor.userId}&patientId=${patient.actor.userId}&from=${middle}`,
    );
    expect(both.entries).toHaveLength(5);
    // Paging: 7 doctor entries in pages of 3, newest first, none repeated.
    const seen: number[] = [];
    let cursor = '';
    for (let page = 0; page < 5; page++) {
      const p = await list(`?actorId=${doctor.actor.userId}&limit=3${cursor}`);
      seen.push(...p.entries.map((e) => num(e.seq)));
      if (p.nextBefore === null) break;
      cursor = `&before=${num(p.nextBefore)}`;
    }
    expect(seen).toHaveLength(7);
    expect([...seen].sort((a, b) => b - a)).toEqual(seen);
    expect(new Set(seen).size).toBe(7);
  });

  it('refuses bad filters with 400 and other roles with 403', async () => {
    for (const q of ['?action=record.bogus', '?from=-1', '?limit=0', '?actorId=', '?extra=1', '?from=soon']) {
      const res = await call('GET', `/api/v1/audit/entries${q}`, { token: admin.token });
      expect(res.status, q).toBe(400);
    }
    for (const who of [doctor, registrar, pharmacist, patient]) {
      expect((await call('GET', '/api/v1/audit/entries', { token: who.token })).status).toBe(403);
    }
  });

  it('exports what is filtered as CSV: header, every entry, formulas escaped, itself ledgered', async () => {
    const size = await server.app.audit.ledger.size(server.app.store.db);
    const all = await csv(admin.token);
    expect(all.status).toBe(200);
    expect(all.type).toBe('text/csv; charset=utf-8');
    expect(all.res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="medvault-audit-.*\.csv"$/,
    );
    const lines = all.body.split('\r\n').filter((l) => l !== '');
    expect(lines[0]).toBe(
      '"seq","time (UTC)","actor","actor role","actor id","action","outcome","patient","patient id","target type","target id","sentence","leaf hash"',
    );
    expect(lines).toHaveLength(size + 1);
    // The registrar's name would be a formula: it starts with an apostrophe, quotes doubled.
    const reg = lines.find((l) => l.includes('"patient.register"'))!;
    expect(reg).toContain(`"'=HYPERLINK(""http://evil.test"",""x"")"`);
    expect(reg).not.toMatch(/(^|,)"=/);
    // The export is an entry of its own, with the filter.
    const exported = await list('?action=audit.export');
    expect(exported.entries[0]).toMatchObject({ actor: admin.actor, outcome: 'success' });
    expect(text(exported.entries[0]!.sentence)).toBe('Mihir Joshi exported ledger entries as CSV');

    const filtered = await csv(admin.token, `?patientId=${other.actor.userId}`);
    const rows = filtered.body.split('\r\n').filter((l) => l !== '');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain('vitals');
    const last = await list('?action=audit.export&limit=1');
    expect(last.entries[0]!.details).toMatchObject({ filter: { patientId: other.actor.userId } });
  });

  it('exports for admins only: 401 without a session, 403 for every other role, nothing ledgered', async () => {
    const exports = async () => (await list('?action=audit.export&limit=200')).entries.length;
    const count = await exports();
    expect((await csv(undefined)).status).toBe(401);
    for (const who of [doctor, registrar, pharmacist, patient]) {
      const res = await csv(who.token);
      expect(res.status).toBe(403);
      expect(res.body).not.toContain('"seq"');
    }
    expect((await csv(admin.token, '?action=nope')).status).toBe(400);
    expect(await exports()).toBe(count);
  });
});
