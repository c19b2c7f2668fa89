import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyEvidence } from '../../src/app/prescriptions/evidence-verify.js';
import { signPrescriptionDraft } from '../../src/app/prescriptions/offline-signing.js';
import { KeyFormatError } from '../../src/crypto/signature.js';
import { draft, prescribe, rxWorld, type RxWorld } from './world.js';
import { tempDir } from '../support/stores.js';
import { runCli } from '../support/cli.js';

/**
 * Acceptance: evidence from one install verifies offline with nothing but the CLI and that
 * JSON (the CLI runs with no data folder, no database and no configuration), and any change to
 * it fails. Also `medvault rx sign` produces a request the server accepts.
 */
describe('prescription evidence and the rx CLI', () => {
  let w: RxWorld;
  const dir = tempDir('medvault-rx-');
  beforeAll(async () => {
    w = await rxWorld();
  });
  afterAll(async () => {
    await w?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const evidenceOf = async (id: string, token: string) =>
    w.call('GET', `/api/v1/prescriptions/${id}/evidence`, { token });
  // An empty environment and an empty working folder: the CLI must not need the install.
  const isolated = { MEDVAULT_DATA_DIR: path.join(dir, 'nonexistent') };

  it('serves evidence to the patient, prescriber and pharmacist; not to admins or others', async () => {
    const id = await prescribe(w, w.doctor);
    for (const token of [w.patient.token, w.doctor.token, w.pharmacist.token, w.other.token])
      expect((await evidenceOf(id, token)).status).toBe(200);
    expect((await evidenceOf(id, w.admin.token)).status).toBe(403);
    expect((await evidenceOf(id, w.patientB.token)).status).toBe(404);
    expect((await evidenceOf(id, w.stranger.token)).status).toBe(404);
  });

  it('verifies offline with `medvault rx verify` (RSA and Ed25519); any change fails', async () => {
    // The verifier `rx verify` runs, in process, on both algorithms and every forgery…
    const files: Record<string, string> = {};
    for (const signer of [w.doctor, w.doctorEd]) {
      const id = await prescribe(w, signer);
      const evidence = (await evidenceOf(id, w.patient.token)).body as Record<string, unknown>;
      expect(verifyEvidence(evidence).valid).toBe(true);
      const payload = JSON.parse(evidence.payload as string) as Record<string, unknown>;
      const forged: Array<[string, Record<string, unknown>]> = [
        [
          'quantity',
          { ...evidence, payload: (evidence.payload as string).replace('"quantity":21', '"quantity":99') },
        ],
        ['signer', { ...evidence, signer: { id: w.other.actor.userId, displayName: 'Dr Other' } }],
        [
          'key',
          { ...evidence, publicKeyPem: w.other.publicKeyPem, keyId: w.other.keyId, algorithm: 'ed25519' },
        ],
        ['keyId', { ...evidence, keyId: w.other.keyId }],
        ['not canonical', { ...evidence, payload: JSON.stringify(payload, null, 1) }],
      ];
      for (const [what, bad] of forged) expect(verifyEvidence(bad).valid, what).toBe(false);
      files[`${signer.algorithm}-valid`] = JSON.stringify(evidence);
      files[`${signer.algorithm}-forged`] = JSON.stringify(forged[0]![1]);
    }
    files.junk = '{nope';
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, `${name}.json`), text);
    // …and the CLI itself, in a process with no install at all (the processes run side by side).
    const verify = (name: string) => runCli(['rx', 'verify', path.join(dir, `${name}.json`)], isolated);
    const [rsa, ed, forgedRsa, junk] = await Promise.all([
      verify('rsa-pkcs1-sha256-valid'),
      verify('ed25519-valid'),
      verify('rsa-pkcs1-sha256-forged'),
      verify('junk'),
    ]);
    for (const [ok, signer] of [
      [rsa, w.doctor],
      [ed, w.doctorEd],
    ] as const) {
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain('signature VALID');
      expect(ok.stdout).toContain(signer.keyId);
    }
    expect([forgedRsa.code, junk.code]).toEqual([1, 2]);
    expect(forgedRsa.stderr).toContain('INVALID');
    expect(fs.existsSync(isolated.MEDVAULT_DATA_DIR)).toBe(false);
  }, 60_000);

  it('`medvault rx sign` signs a draft the server accepts and dispenses', async () => {
    const keyFile = path.join(dir, 'doctor.pem');
    const draftFile = path.join(dir, 'draft.json');
    fs.writeFileSync(keyFile, w.doctorEd.privateKeyPem, { mode: 0o600 });
    fs.writeFileSync(draftFile, JSON.stringify(draft(w.doctorEd, w.patient.id)));
    // --submit posts it with a session token; the request body is printed too.
    const sub = await runCli(
      [
        'rx',
        'sign',
        '--key',
        keyFile,
        '--payload',
        draftFile,
        '--submit',
        w.server.url,
        '--token',
        w.doctorEd.token,
      ],
      isolated,
    );
    expect(sub.code).toBe(0);
    const request = JSON.parse(sub.stdout) as { keyId: string; payload: { keyId: string } };
    expect(request.keyId).toBe(w.doctorEd.keyId);
    const submitted = JSON.parse(/Submitted: (.*)/.exec(sub.stderr)![1]!) as { id: string };
    const dispensed = await w.call('POST', `/api/v1/prescriptions/${submitted.id}/dispense`, {
      token: w.pharmacist.token,
    });
    expect(dispensed.status).toBe(200);
    // The same request again is a replay.
    const again = await w.call('POST', '/api/v1/prescriptions', { token: w.doctorEd.token, body: request });
    expect(again.status).toBe(409);
    // A public key is not a signing key.
    expect(() => signPrescriptionDraft(w.doctorEd.publicKeyPem, draft(w.doctorEd, w.patient.id))).toThrow(
      KeyFormatError,
    );
  }, 60_000);
});
