import fs from 'node:fs';
import path from 'node:path';
import { staffLogin, staffLoginBody } from '../../src/cli/staff-signer.js';
import { createClient, routePath } from '../../src/contract/client/index.js';
import { DEMO_KEYS_DIR } from '../../src/synthetic/demo-key-files.js';
import { DEMO_PATIENTS, DEMO_STAFF } from '../../src/synthetic/demo-hospital.js';
import type { LoadSpec } from './load-spec.js';

/** One route of the benchmark: how to build its load spec against a running demo hospital. */
export interface RouteLoad {
  readonly name: string;
  spec(connections: number, seconds: number): Promise<LoadSpec>;
}

const NOTE = JSON.stringify({
  type: 'clinical_note',
  title: 'Follow-up visit',
  body: { text: 'Feels better; cough resolved. Chest clear on auscultation. No further follow-up needed.' },
  keywords: ['pneumonia'],
});

function member(username: string): (typeof DEMO_STAFF)[number] {
  const s = DEMO_STAFF.find((x) => x.username === username);
  if (s === undefined) throw new Error(`no demo staff ${username}`);
  return s;
}

/**
 * The routes measured, against a server seeded with the demo hospital: a doctor's session (Dr
 * Omkar, logged in through the API with his key file), one of his patients and one of that
 * patient's records, found through the API as the web client finds them.
 */
export async function routeLoads(url: string, dataDir: string): Promise<RouteLoad[]> {
  const api = createClient({ baseUrl: url });
  const keyOf = (username: string): string =>
    fs.readFileSync(path.join(dataDir, DEMO_KEYS_DIR, `${username}.pem`), 'utf8');
  const omkar = member('omkar@doctor.kmc.edu');
  const { token } = await staffLogin(api, omkar.username, omkar.password, keyOf(omkar.username));
  const asDoctor = api.withToken(token);
  const { patients } = await asDoctor.call('listPatients', { query: {} });
  const patient = patients[0];
  if (patient === undefined) throw new Error('the demo doctor reaches no patient');
  const { records } = await asDoctor.call('listRecords', { params: { id: patient.id }, query: {} });
  // A prescription is listed too, but opens through its own route (issue 20, finding 4).
  const record = records.find((r) => r.type !== 'prescription');
  if (record === undefined) throw new Error('the demo patient has no record');
  const auth = { authorization: `Bearer ${token}` };
  const json = { 'content-type': 'application/json' };
  const base = { url, headers: auth, bodies: [] as string[] };
  const get = (name: string, p: string): RouteLoad => ({
    name,
    spec: async (connections, seconds) => ({ ...base, method: 'GET', path: p, connections, seconds }),
  });
  return [
    {
      name: 'GET /healthz',
      spec: async (c, s) => ({
        ...base,
        headers: {},
        method: 'GET',
        path: '/healthz',
        connections: c,
        seconds: s,
      }),
    },
    get('doctor GET /records/:id', routePath('getRecord', { id: record.id })),
    get('doctor GET /patients/:id/records', routePath('listRecords', { id: patient.id })),
    get('doctor GET /search?keyword=', `${routePath('search', {})}?keyword=pneumonia`),
    {
      name: 'doctor POST /patients/:id/records',
      spec: async (c, s) => ({
        ...base,
        headers: { ...auth, ...json },
        method: 'POST',
        path: routePath('createRecord', { id: patient.id }),
        bodies: [NOTE],
        connections: c,
        seconds: s,
      }),
    },
    {
      name: 'patient login (argon2id)',
      // As many connections as demo patients, each body naming the next patient: an account
      // takes at most one attempt at a time, as real patients do (an account with five attempts
      // in flight locks itself, by design: attempts are counted before they are checked).
      spec: async (_c, s) => ({
        url,
        headers: json,
        method: 'POST',
        path: routePath('patientLogin', {}),
        bodies: DEMO_PATIENTS.map((p) => JSON.stringify({ ssn: p.ssn, pin: p.pin, password: p.password })),
        connections: DEMO_PATIENTS.length,
        seconds: s,
      }),
    },
    {
      name: 'staff login (argon2id + signature)',
      // Challenges are single use: sign enough fresh ones for the run (argon2id bounds the rate
      // to a few dozen a second on this machine) just before it starts.
      // Every demo staff member in turn, one connection each (see patient login).
      spec: async (_c, s) => {
        const bodies: string[] = [];
        for (let i = 0; i < Math.max(60, s * 40); i++) {
          const who = DEMO_STAFF[i % DEMO_STAFF.length] ?? omkar;
          bodies.push(
            JSON.stringify(await staffLoginBody(api, who.username, who.password, keyOf(who.username))),
          );
        }
        return {
          url,
          headers: json,
          method: 'POST',
          path: routePath('staffLogin', {}),
          bodies,
          connections: DEMO_STAFF.length,
          seconds: s,
        };
      },
    },
  ];
}
