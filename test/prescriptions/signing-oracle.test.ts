import { generateKeyPairSync } from 'node:crypto';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyEvidence } from '../../src/app/prescriptions/evidence-verify.js';
import { signLoginChallenge, staffLogin, staffLoginBody } from '../../src/cli/staff-signer.js';
import { canonicalJson, type JsonValue } from '../../src/contract/canonical-json.js';
import { ContractMismatch, createClient } from '../../src/contract/client/index.js';
import {
  ChallengeRefused,
  LOGIN_CHALLENGE_TYPE,
  prescriptionMessage,
  type LoginChallenge,
} from '../../src/contract/signing/index.js';
import { signMessage } from '../../src/crypto/signature.js';
import { runCli } from '../support/cli.js';
import { GOOD_PASSWORD } from '../support/people.js';
import { startTestServer } from '../support/server.js';
import { tempDir } from '../support/stores.js';
import { dispense, ledgerCount, prescribe, rxWorld, signed, type RxWorld, type Signer } from './world.js';

/**
 * Issue 15, finding 1, from the attacker's side: a malicious or compromised server tries to use
 * the staff login as a prescription-signing oracle. It sends a prescription's canonical JSON as
 * the "challenge" (refused by the signer), or a crafted login challenge (signed, but only as a
 * login message, which no prescription check accepts). A signature over the bare payload — what
 * the oracle yielded before domain separation — is refused everywhere as legacy.
 */
describe('the staff login is no prescription-signing oracle', () => {
  let w: RxWorld;
  let origin: string;
  const dir = tempDir('medvault-oracle-');
  beforeAll(async () => {
    w = await rxWorld();
    origin = new URL(w.server.url).origin;
  });
  afterAll(async () => {
    await w?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A prescription the attacker wants signed, fully formed, by `signer`, for the patient. */
  const wanted = (signer: Signer) => signed(signer, w.patient.id, { quantity: 90 }).payload;
  /** What the oracle yielded before: the doctor's signature over the bare canonical JSON. */
  const bareSignature = (signer: Signer, payload: unknown): string =>
    signMessage(signer.algorithm, signer.privateKeyPem, canonicalJson(payload as JsonValue));
  const challengeFor = (username: string, over: Partial<LoginChallenge> = {}): LoginChallenge => ({
    type: LOGIN_CHALLENGE_TYPE,
    v: 1,
    origin,
    username,
    nonce: 'A'.repeat(43),
    expiresAt: Date.now() + 60_000,
    ...over,
  });

  it("the CLI signer refuses a prescription's canonical JSON sent as a login challenge", () => {
    const text = canonicalJson(wanted(w.doctorEd) as unknown as JsonValue);
    const expected = { origin, username: 'dr.ada' };
    for (const challenge of [text, JSON.parse(text) as unknown, { ...challengeFor('dr.ada'), payload: text }])
      expect(() => signLoginChallenge(w.doctorEd.privateKeyPem, challenge, expected)).toThrow(
        ChallengeRefused,
      );
    // A real login challenge, but for another server or another user: refused too.
    expect(() =>
      signLoginChallenge(
        w.doctorEd.privateKeyPem,
        challengeFor('dr.ada', { origin: 'https://evil.example' }),
        expected,
      ),
    ).toThrow(/is for https:\/\/evil\.example/);
    expect(() => signLoginChallenge(w.doctorEd.privateKeyPem, challengeFor('dr.eve'), expected)).toThrow(
      ChallengeRefused,
    );
  });

  it('a malicious server answering the challenge route gets nothing signed from the CLI', async () => {
    let answer: unknown;
    const evil: Server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer));
    });
    await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
    const evilUrl = `http://127.0.0.1:${(evil.address() as AddressInfo).port}`;
    try {
      const api = createClient({ baseUrl: evilUrl });
      const payload = canonicalJson(wanted(w.doctorEd) as unknown as JsonValue);
      const login = () => staffLoginBody(api, 'dr.ada', GOOD_PASSWORD, w.doctorEd.privateKeyPem);
      // The prescription as the challenge text: not even a login challenge's shape.
      answer = { challengeId: 'c1', challenge: payload, expiresAt: Date.now() + 60_000 };
      await expect(login()).rejects.toBeInstanceOf(ContractMismatch);
      // A well-formed challenge relayed from the real server (its origin, not this one's).
      answer = { challengeId: 'c2', challenge: challengeFor('dr.ada'), expiresAt: Date.now() + 60_000 };
      await expect(login()).rejects.toBeInstanceOf(ChallengeRefused);
    } finally {
      await new Promise((resolve) => evil.close(resolve));
    }
  });

  it('a login signature over a crafted challenge does not verify as a prescription (server and rx verify)', async () => {
    const payload = wanted(w.doctorEd);
    const text = canonicalJson(payload as unknown as JsonValue);
    // The most the attacker can get: the payload's text inside every field of a login challenge.
    const crafted = challengeFor(text.slice(0, 64).toLowerCase(), {
      origin: text.slice(0, 255).replace(/ /g, ''),
    });
    const loginSignature = signLoginChallenge(w.doctorEd.privateKeyPem, crafted, {
      origin: crafted.origin,
      username: crafted.username,
    });
    const submitted = await w.call('POST', '/api/v1/prescriptions', {
      token: w.doctorEd.token,
      body: { payload, signature: loginSignature, keyId: w.doctorEd.keyId },
    });
    expect([submitted.status, submitted.body.error?.code]).toEqual([422, 'invalid_signature']);
    // As evidence (the signature swapped into a genuine prescription's evidence file): invalid.
    const id = await prescribe(w, w.doctorEd);
    const evidence = (await w.call('GET', `/api/v1/prescriptions/${id}/evidence`, { token: w.patient.token }))
      .body as Record<string, unknown>;
    expect(verifyEvidence(evidence).valid).toBe(true);
    const swapped = verifyEvidence({ ...evidence, signature: loginSignature });
    expect(swapped).toMatchObject({
      valid: false,
      reason: expect.stringMatching(/does not verify/) as unknown,
    });
  });

  it('a bare-payload signature (what the oracle yielded) is refused at submission as legacy, and ledgered', async () => {
    for (const signer of [w.doctor, w.doctorEd]) {
      const payload = wanted(signer);
      const res = await w.call('POST', '/api/v1/prescriptions', {
        token: signer.token,
        body: { payload, signature: bareSignature(signer, payload), keyId: signer.keyId },
      });
      expect([res.status, res.body.error?.code]).toEqual([422, 'legacy_signature']);
    }
    const refused = await w.app.audit.ledger.entries(
      w.app.store.db,
      { action: 'prescription.sign' },
      { limit: 200 },
    );
    expect(refused.entries.filter((e) => e.details.reason === 'legacy_signature')).toHaveLength(2);
  });

  it('a stored bare-payload signature is not dispensed, and `rx verify` calls it legacy (exit 1)', async () => {
    const id = await prescribe(w, w.doctorEd);
    const evidence = (await w.call('GET', `/api/v1/prescriptions/${id}/evidence`, { token: w.patient.token }))
      .body as Record<string, unknown>;
    // The row as an old install (or the oracle) left it: the signature covers the bare payload.
    const legacy = bareSignature(w.doctorEd, JSON.parse(evidence.payload as string));
    await w.app.store.db
      .updateTable('prescriptions')
      .set({ signature: legacy })
      .where('id', '=', id)
      .execute();
    const res = await dispense(w, id);
    expect([res.status, res.body.error?.code]).toEqual([422, 'legacy_signature']);
    expect(await ledgerCount(w, 'prescription.dispense', id)).toBe(0);
    const view = await w.call('GET', `/api/v1/prescriptions/${id}`, { token: w.pharmacist.token });
    expect(view.body.verification?.valid).toBe(false);
    expect(view.body.verification?.failure).toBe('legacy_signature');

    const file = path.join(dir, 'legacy.json');
    fs.writeFileSync(file, JSON.stringify({ ...evidence, signature: legacy }));
    expect(verifyEvidence(JSON.parse(fs.readFileSync(file, 'utf8')))).toMatchObject({
      valid: false,
      legacy: true,
    });
    const cli = await runCli(['rx', 'verify', file], { MEDVAULT_DATA_DIR: path.join(dir, 'none') });
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('LEGACY');
    expect(cli.stdout).toBe('');
  }, 60_000);

  it('a prescription signature presented at login is refused (401); the login message logs in', async () => {
    const created = await w.app.identity.staffAccounts.createAsOperator({
      role: 'doctor',
      username: 'dr.oracle',
      displayName: 'Dr Oracle',
      password: GOOD_PASSWORD,
      key: { generate: 'ed25519' },
    });
    const pem = created.privateKeyPem!;
    const api = createClient({ baseUrl: w.server.url });
    const ch = await api.call('staffChallenge', { body: { username: 'dr.oracle' } });
    expect(ch.challenge.origin).toBe(origin);
    const asPrescription = signMessage('ed25519', pem, prescriptionMessage(canonicalJson(ch.challenge)));
    const replayed = await api.answer('staffLogin', {
      body: {
        username: 'dr.oracle',
        password: GOOD_PASSWORD,
        challengeId: ch.challengeId,
        signature: asPrescription,
      },
    });
    expect(replayed.ok ? 200 : replayed.error).toMatchObject({ status: 401, code: 'login_failed' });
    const ok = await staffLogin(api, 'dr.oracle', GOOD_PASSWORD, pem);
    expect(ok.user.username).toBe('dr.oracle');
  });
});

describe('login challenges name the public origin when it is configured', () => {
  it('names MEDVAULT_PUBLIC_ORIGIN, whatever Host the request carried; a client elsewhere refuses it', async () => {
    const server = await startTestServer({
      db: 'sqlite',
      settings: { MEDVAULT_PUBLIC_ORIGIN: 'https://medvault.hospital.example' },
    });
    try {
      const api = createClient({ baseUrl: server.url });
      const ch = await api.call('staffChallenge', { body: { username: 'dr.anyone' } });
      expect(ch.challenge.origin).toBe('https://medvault.hospital.example');
      // This client reached the server at its loopback address, not at the public origin.
      const key = generateKeyPairSync('ed25519')
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString();
      await expect(staffLoginBody(api, 'dr.anyone', GOOD_PASSWORD, key)).rejects.toThrow(
        /is for https:\/\/medvault\.hospital\.example, not for http:\/\/127\.0\.0\.1/,
      );
    } finally {
      await server.close();
    }
  });
});
