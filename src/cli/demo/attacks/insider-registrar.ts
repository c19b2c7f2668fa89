import { describeSeen, seen, type Seen } from '../answers.js';
import { verdictOf, type Attack, type AttackResult } from '../scenario.js';
import type { DemoWorld } from '../world.js';

/**
 * An insider registrar tries to take over a patient (issue 14). Before, the registrar typed the
 * patient's PIN and password at registration, received the recovery code and could issue itself
 * a PIN-reset token. Now it registers identity only and hands over a one-time enrolment code;
 * the patient chooses the secrets. Using every route its role has, the registrar tries to get
 * in: the spent slip code, a new enrolment code, a PIN-reset token with a guessed password, a
 * login, a read of the records; and looks for a credential in every answer it got.
 */
export const insiderRegistrar: Attack = {
  id: 'insider-registrar',
  title: 'An insider registrar tries to take over a patient',
  requires: ['POST /api/v1/auth/patient/enrol', 'POST /api/v1/patients/:id/enrolment-code'],
  async run(world: DemoWorld): Promise<AttackResult> {
    const a = world.needPatient();
    const registrar = world.as(world.member('registrar').token);
    const answers: Seen[] = [];
    const keep = (s: Seen): Seen => {
      answers.push(s);
      return s;
    };
    const guess = 'registrar-guessed-passphrase-7';

    const reuse = keep(
      seen(
        await world.api.answer('enrolPatient', {
          body: { ssn: a.ssn, enrolmentCode: a.enrolmentCode, pin: '111111', password: guess },
        }),
      ),
    );
    world.say(
      `the slip's enrolment code again, with PIN and password of the registrar's → ${describeSeen(reuse)}`,
    );
    const reissue = keep(seen(await registrar.answer('issueEnrolmentCode', { params: { id: a.id } })));
    world.say(`a new enrolment code for the patient → ${describeSeen(reissue)}`);
    const demographics = keep(seen(await registrar.answer('getPatient', { params: { id: a.id } })));
    const issued = keep(seen(await registrar.answer('issuePinReset', { params: { id: a.id } })));
    const resetToken = (issued.body as { resetToken?: string } | undefined)?.resetToken ?? '';
    world.say(
      `an assisted PIN reset for the patient → ${describeSeen(issued)} (the registrar holds the token)`,
    );
    const reset = keep(
      seen(
        await world.api.answer('resetPin', {
          body: { ssn: a.ssn, password: guess, resetToken, newPin: '222333' },
        }),
      ),
    );
    world.say(`the token with a guessed password → ${describeSeen(reset)}`);
    const login = keep(
      seen(await world.api.answer('patientLogin', { body: { ssn: a.ssn, pin: '222333', password: guess } })),
    );
    world.say(`log in as the patient with what the registrar knows → ${describeSeen(login)}`);
    const records = keep(seen(await registrar.answer('listRecords', { params: { id: a.id } })));
    world.say(`read the patient's records → ${describeSeen(records)}`);

    const text = JSON.stringify(answers.map((s) => s.body ?? null));
    const leaked = [a.pin, a.password, a.recoveryCode].filter((secret) => text.includes(secret));
    // The patient still gets in with their own secrets (and that clears the attempts above).
    const own = seen(
      await world.api.answer('patientLogin', { body: { ssn: a.ssn, pin: a.pin, password: a.password } }),
    );
    if (own.status === 200) a.token = (own.body as { token: string }).token;
    world.say(`the patient with their own PIN and password → ${describeSeen(own)}`);
    return verdictOf([
      [
        reuse.status === 409 && reuse.code === 'enrolment_code_used',
        'the spent slip code opens nothing (409)',
      ],
      [
        reissue.status === 409 && reissue.code === 'already_enrolled',
        'no new enrolment code for an enrolled patient',
      ],
      [demographics.status === 200, 'the registrar still does its job (demographics)'],
      [
        reset.status === 401 && login.status === 401,
        'the reset token without the password, and a login, refused (401)',
      ],
      [records.status === 403, "the patient's records refused (403)"],
      [leaked.length === 0, 'no PIN, password or recovery code in any answer to the registrar'],
      [own.status === 200, 'the patient still signs in'],
    ]);
  },
};
