import { createPrivateKey, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signPrescriptionDraft, verifyEvidence } from '../../../app/prescriptions/index.js';
import { canonicalJson, type JsonValue } from '../../../contract/canonical-json.js';
import { createClient } from '../../../contract/client/index.js';
import { LOGIN_CHALLENGE_TYPE } from '../../../contract/signing/index.js';
import { signLoginChallenge, staffLoginBody } from '../../staff-signer.js';
import { describeSeen, seen } from '../answers.js';
import { verdictOf, type Attack, type AttackResult } from '../scenario.js';
import { PRESCRIPTION_ROUTES, prescribe, prescriptionDraft } from '../steps/prescription.js';
import type { DemoWorld } from '../world.js';

/** A fake MedVault that answers every request with `answer()`: the compromised server. */
async function maliciousServer(answer: () => unknown): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** How a signing attempt ended: "signed", or the refusal's class and message. */
async function outcome(run: () => Promise<unknown>): Promise<{ signed: boolean; said: string }> {
  try {
    await run();
    return { signed: true, said: 'signed' };
  } catch (err) {
    const e = err as Error;
    return { signed: false, said: `${e.name}: ${e.message.split('\n')[0]!.slice(0, 110)}` };
  }
}

/**
 * The login challenge as a prescription-signing oracle (issue 15, finding 1): a compromised
 * server sends the doctor's CLI a prescription's canonical JSON as the login "challenge", then a
 * well-formed login challenge stuffed with the prescription. The first is refused before anything
 * is signed; the second is signed only as a login message, which neither the server nor
 * `rx verify` accepts as a prescription. The signature the oracle yielded before the fix (over
 * the bare JSON) is refused too, as legacy.
 */
export const signingOracle: Attack = {
  id: 'signing-oracle',
  title: "Use the doctor's login as a prescription-signing oracle (a compromised server's challenge)",
  requires: PRESCRIPTION_ROUTES,
  async run(world: DemoWorld): Promise<AttackResult> {
    const doctor = world.member('doctor');
    const p = world.needPatient();
    const asDoctor = world.as(doctor.token);
    // The prescription the attacker wants: 90 capsules, fully formed, naming the doctor's key.
    const wanted = signPrescriptionDraft(doctor.privateKeyPem, {
      ...(await prescriptionDraft(world, p.id)),
      quantity: 90,
    }).payload;
    const canonical = canonicalJson(wanted as unknown as JsonValue);

    let challenge: unknown = canonical;
    const evil = await maliciousServer(() => ({
      challengeId: 'harvest',
      challenge,
      expiresAt: Date.now() + 60_000,
    }));
    const evilApi = createClient({ baseUrl: evil.url });
    const login = () => staffLoginBody(evilApi, doctor.username, doctor.password, doctor.privateKeyPem);
    let asText;
    let asObject;
    let direct;
    let stuffed;
    try {
      asText = await outcome(login);
      world.say(`challenge = the prescription's canonical JSON → CLI: ${asText.said}`);
      challenge = JSON.parse(canonical) as unknown;
      asObject = await outcome(login);
      world.say(`challenge = the prescription as a JSON object → CLI: ${asObject.said}`);
      // Past the client's schema check, the signer checks again on its own.
      direct = await outcome(async () =>
        signLoginChallenge(doctor.privateKeyPem, canonical, { origin: evil.url, username: doctor.username }),
      );
      world.say(`the same JSON handed to the CLI signer directly → ${direct.said}`);
      // A real login challenge for the evil server itself, the prescription packed into a field.
      challenge = {
        type: LOGIN_CHALLENGE_TYPE,
        v: 1,
        origin: new URL(evil.url).origin,
        username: doctor.username,
        nonce: 'A'.repeat(43),
        expiresAt: Date.now() + 60_000,
      };
      stuffed = signLoginChallenge(doctor.privateKeyPem, challenge, {
        origin: new URL(evil.url).origin,
        username: doctor.username,
      });
      world.say('a well-formed login challenge for the evil server → CLI signs its login message');
    } finally {
      await evil.close();
    }

    // The harvested login signature, presented as the prescription's signature.
    const asRx = seen(
      await asDoctor.answer('submitPrescription', {
        body: { payload: wanted, signature: stuffed, keyId: doctor.keyId },
      }),
    );
    world.say(`login signature submitted as the prescription's signature → ${describeSeen(asRx)}`);
    const id = await prescribe(world, p.id);
    const evidence = await asDoctor.call('prescriptionEvidence', { params: { id } });
    const offline = verifyEvidence({ ...evidence, signature: stuffed });
    world.say(
      `rx verify with the login signature swapped into real evidence → ${offline.valid ? 'VALID' : `INVALID (${offline.reason})`}`,
    );
    // What the oracle yielded before domain separation: a signature over the bare JSON.
    const key = createPrivateKey(doctor.privateKeyPem);
    const bare = sign(key.asymmetricKeyType === 'ed25519' ? null : 'sha256', Buffer.from(canonical), key);
    const legacy = seen(
      await asDoctor.answer('submitPrescription', {
        body: { payload: wanted, signature: bare.toString('base64'), keyId: doctor.keyId },
      }),
    );
    world.say(`a bare-JSON signature (the old oracle's yield) submitted → ${describeSeen(legacy)}`);
    return verdictOf([
      [
        !asText.signed && !asObject.signed && !direct.signed,
        'the CLI refused to sign a prescription sent as a challenge',
      ],
      [asRx.status === 422, `a login signature is no prescription signature (${describeSeen(asRx)})`],
      [!offline.valid, 'rx verify refuses it too'],
      [
        legacy.status === 422 && legacy.code === 'legacy_signature',
        'a bare-JSON signature is refused as legacy',
      ],
    ]);
  },
};
