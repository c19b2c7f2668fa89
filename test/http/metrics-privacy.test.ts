import { createPrivateKey, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoHospital, type DemoHospital } from '../../src/synthetic/demo-hospital.js';
import { caller, httpLogin, type Caller } from '../identity/staff-http-client.js';
import { text } from '../support/json-answer.js';
import { parsePrometheusText } from '../support/prometheus-text.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { DIALECTS } from '../support/stores.js';

const TOKEN = `mt-${randomUUID()}-${randomUUID()}`;

/**
 * The demo hospital, then what its people do over HTTP: every staff member and patient logs in
 * (and fails once), patients read their records, the doctor lists patients, reads each and
 * searches by name. Then nothing of any person may be in /metrics: no patient id, SSN, name,
 * username, display name, password or session token, in a label or anywhere else.
 */
describe.each(DIALECTS)('/metrics after a demo-like run names nobody (%s)', (dialect) => {
  let server: TestServer;
  let hospital: DemoHospital;
  let call: Caller;
  const tokens: string[] = [];

  beforeAll(async () => {
    server = await startTestServer({ db: dialect, settings: { MEDVAULT_METRICS_TOKEN: TOKEN } });
    hospital = (await seedDemoHospital(server.app, { dataDir: server.dataDir })) as DemoHospital;
    call = caller(server.url);
    for (const s of hospital.staff) {
      const privateKeyPem = fs.readFileSync(s.keyFile, 'utf8');
      const algorithm =
        createPrivateKey(privateKeyPem).asymmetricKeyType === 'ed25519' ? 'ed25519' : 'rsa-pkcs1-sha256';
      const ok = await httpLogin(call, s.username, s.password, { algorithm, privateKeyPem });
      expect(ok.status, s.username).toBe(200);
      tokens.push(text(ok.body.token));
      expect((await httpLogin(call, s.username, `${s.password}x`, { algorithm, privateKeyPem })).status).toBe(
        401,
      );
    }
    const doctor = hospital.staff.find((s) => s.role === 'doctor');
    const doctorToken = tokens[hospital.staff.indexOf(doctor!)] as string;
    for (const p of hospital.patients) {
      const ok = await call('POST', '/api/v1/auth/patient/login', {
        body: { ssn: p.ssn, pin: p.pin, password: p.password },
      });
      expect(ok.status, p.label).toBe(200);
      const token = text(ok.body.token);
      tokens.push(token);
      expect((await call('GET', `/api/v1/patients/${p.patientId}/records`, { token })).status).toBe(200);
      expect(
        (
          await call('POST', '/api/v1/auth/patient/login', {
            body: { ssn: p.ssn, pin: '000000', password: p.password },
          })
        ).status,
      ).toBe(401);
      await call('GET', `/api/v1/patients/${p.patientId}`, { token: doctorToken });
      await call('GET', `/api/v1/patients/${p.patientId}/records`, { token: doctorToken });
      await call('GET', `/api/v1/patients?q=${encodeURIComponent(p.fullName)}`, { token: doctorToken });
      await call('GET', `/api/v1/search?keyword=${encodeURIComponent(p.fullName.split(' ')[0] as string)}`, {
        token: doctorToken,
      });
    }
  }, 240_000);
  afterAll(async () => {
    await server?.close();
  });

  it('parses, counted the run, and holds no patient id, SSN, name, username, password or token', async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    const body = await res.text();
    const samples = parsePrometheusText(body);
    const logins = samples
      .filter(
        (s) => s.name === 'medvault_http_requests_total' && s.labels.route === '/api/v1/auth/patient/login',
      )
      .reduce((n, s) => n + s.value, 0);
    expect(logins).toBe(2 * hospital.patients.length);

    const secrets: string[] = [TOKEN, ...tokens];
    for (const p of hospital.patients) {
      secrets.push(
        p.patientId,
        p.ssn,
        p.ssn.replace(/-/g, ''),
        p.fullName,
        p.label,
        p.password,
        p.recoveryCode,
      );
      secrets.push(...p.fullName.split(/\s+/).filter((part) => part.length >= 3));
    }
    for (const s of hospital.staff) secrets.push(s.userId, s.username, s.displayName, s.password);
    const lower = body.toLowerCase();
    const found = secrets.filter((secret) => lower.includes(secret.toLowerCase()));
    expect(found).toEqual([]);
    expect(tokens.length).toBe(hospital.staff.length + hospital.patients.length);
  });
});
