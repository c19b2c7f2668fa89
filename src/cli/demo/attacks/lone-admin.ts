import { generateSigningKeyPairAsync } from '../../../crypto/signature.js';
import { enrolWithInvite, ownKeyBody } from '../../staff-enrol.js';
import { staffLogin } from '../../staff-signer.js';
import { describeSeen, seen, settle, type Seen } from '../answers.js';
import { verdictOf, type Attack, type AttackResult } from '../scenario.js';
import { demoPassword } from '../steps/staff.js';
import type { DemoWorld } from '../world.js';

/**
 * A lone admin tries to act as a doctor (issue 14, the two-person rule). Before, an admin typed
 * a new doctor's password and could generate or upload its key, so one admin could mint a doctor
 * and sign in as it. Now an admin makes an account with no password and no key, only an invite
 * code, and a SECOND admin must approve it. Alone, the admin: mints a sock-puppet doctor and
 * enrols it with the invite code it was shown, tries to sign in as it, approves its own
 * request, asks to re-enrol the real doctor and approves that too, tries to add its own key to
 * the doctor's account, and reads the doctor's patient's records with its own session. The
 * second admin then refuses both requests, so the system is as it was.
 */
export const loneAdmin: Attack = {
  id: 'lone-admin',
  title: 'A lone admin tries to act as a doctor',
  requires: ['POST /api/v1/auth/staff/enrol', 'POST /api/v1/approvals/:id/approve'],
  async run(world: DemoWorld): Promise<AttackResult> {
    const admin = world.member('admin');
    const second = world.as(world.member('admin2').token);
    const doctor = world.member('doctor');
    const patient = world.needPatient();
    const as = world.as(admin.token);
    const answers: Seen[] = [];
    const keep = (s: Seen): Seen => {
      answers.push(s);
      return s;
    };

    const username = `dr.sock.${Date.now().toString(36)}`;
    const made = await as.call('createStaffUser', {
      body: { role: 'doctor', username, displayName: 'Dr Sock Puppet' },
    });
    const password = demoPassword();
    const enrolled = await enrolWithInvite(world.api, made.invite.code, password);
    world.say(
      `mint doctor ${username} and enrol it with the invite code the admin was shown → active: ${String(enrolled.active)}`,
    );
    const puppetLogin = await settle(() => staffLogin(world.api, username, password, enrolled.privateKeyPem));
    world.say(`sign in as the sock puppet → ${describeSeen(puppetLogin)}`);
    const ownApproval = keep(seen(await as.answer('approveRequest', { params: { id: made.approvalId } })));
    world.say(`approve its own request → ${describeSeen(ownApproval)}`);

    const reenrol = keep(seen(await as.answer('requestStaffReenrol', { params: { id: doctor.id } })));
    const reenrolId = (reenrol.body as { approvalId?: string } | undefined)?.approvalId ?? '';
    world.say(`ask to re-enrol the real doctor ${doctor.username} → ${describeSeen(reenrol)}`);
    const ownReenrol = keep(seen(await as.answer('approveRequest', { params: { id: reenrolId } })));
    world.say(`approve that itself, for a fresh invite code → ${describeSeen(ownReenrol)}`);

    const foreign = await generateSigningKeyPairAsync('ed25519');
    const keyAdd = keep(
      seen(
        await as.answer('addOwnKey', {
          body: ownKeyBody(doctor.username, foreign.publicKeyPem, {
            keyId: doctor.keyId,
            privateKeyPem: foreign.privateKeyPem,
          }),
        }),
      ),
    );
    world.say(`add its own key, "signed" as the doctor's key → ${describeSeen(keyAdd)}`);
    const records = keep(seen(await as.answer('listRecords', { params: { id: patient.id } })));
    world.say(`read the doctor's patient's records with the admin session → ${describeSeen(records)}`);
    const listed = keep(seen(await as.answer('listStaffUsers', {})));
    const pending = keep(seen(await as.answer('listApprovals', {})));

    const text = JSON.stringify(answers.map((s) => s.body ?? null));
    const leaked = [password, doctor.password].some((secret) => text.includes(secret));
    const verifier = /argon2|mv1\$|PRIVATE KEY/.test(text);

    // The second admin refuses both requests: the puppet never becomes active, the doctor keeps their key.
    const refusals = [made.approvalId, reenrolId].filter((id) => id !== '');
    for (const id of refusals) await second.call('refuseRequest', { params: { id } });
    const stillOut = await settle(() => staffLogin(world.api, username, password, enrolled.privateKeyPem));
    const real = await settle(() =>
      staffLogin(world.api, doctor.username, doctor.password, doctor.privateKeyPem),
    );
    world.say(
      `the second admin refuses both; the puppet → ${describeSeen(stillOut)}, the real doctor → ${describeSeen(real)}`,
    );
    return verdictOf([
      [
        !enrolled.active && puppetLogin.status === 401,
        'the self-enrolled puppet is pending and cannot sign in',
      ],
      [
        ownApproval.status === 403 && ownApproval.code === 'approval_own_request',
        'approving its own account refused (403)',
      ],
      [
        reenrol.status === 201 && ownReenrol.code === 'approval_own_request' && ownReenrol.body === undefined,
        "the doctor's re-enrolment is only a request; approving it alone refused, no invite code",
      ],
      [keyAdd.status === 403 && keyAdd.code === 'key_proof_invalid', "no key added to the doctor's account"],
      [records.status === 403, 'the records refused to the admin (403)'],
      [listed.status === 200 && pending.status === 200, 'the admin still does its job (users, approvals)'],
      [!leaked && !verifier, 'no password, verifier or private key in any answer to the admin'],
      [
        stillOut.status === 401 && real.status === 200,
        'after refusal: the puppet stays out, the doctor signs in',
      ],
    ]);
  },
};
