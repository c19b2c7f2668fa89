import fs from 'node:fs';
import type { LoginAnswer, SecondFactorNeeded } from '../../contract/api/auth.js';
import { needsSecondFactor, SecondFactorRequired, type MedVaultClient } from '../../contract/client/index.js';
import { staffSignIn } from '../staff-signer.js';
import type { ConsoleSession } from './session.js';
import { ask, choose, secret } from './ui.js';

const SSN = /^\d{3}-\d{2}-\d{4}$/;

/**
 * Logs in over the API as any role: a patient with SSN + PIN + password; staff with username,
 * password and their private key file, which signs the challenge here and is never sent.
 * @throws ApiError when the server refuses the login.
 */
export async function login(api: MedVaultClient): Promise<ConsoleSession> {
  const kind = await choose('Log in as', [
    { name: 'Patient (SSN + PIN + password)', value: 'patient' as const },
    { name: 'Staff: doctor, pharmacist, registrar or admin (password + key file)', value: 'staff' as const },
  ]);
  if (kind === 'patient') {
    const ssn = await ask('SSN (###-##-####):', {
      validate: (v) => SSN.test(v.trim()) || 'format ###-##-####',
    });
    const pin = await secret('PIN:');
    const password = await secret('Password:');
    const s = await secondStep(
      api,
      await api.call('patientLogin', { body: { ssn: ssn.trim(), pin, password } }),
    );
    return { api: api.withToken(s.token), token: s.token, user: s.user };
  }
  const username = await ask('Username:', { validate: (v) => v.trim().length > 0 || 'required' });
  const password = await secret('Password:');
  const keyFile = await ask('Private key file (PEM):', {
    validate: (v) => fs.existsSync(v.trim()) || 'no such file',
  });
  const s = await secondStep(
    api,
    await staffSignIn(api, username.trim(), password, fs.readFileSync(keyFile.trim(), 'utf8')),
  );
  return { api: api.withToken(s.token), token: s.token, user: s.user };
}

/**
 * The session of a login's answer; when a second factor follows, asks for the authenticator
 * app's code (passkeys and enrolment need the web UI).
 * @throws SecondFactorRequired when the account has no TOTP factor to answer with here.
 */
async function secondStep(
  api: MedVaultClient,
  answer: LoginAnswer | SecondFactorNeeded,
): Promise<LoginAnswer> {
  if (!needsSecondFactor(answer)) return answer;
  const pending = answer.secondFactor;
  if (pending.stage !== 'verify' || !pending.methods.includes('totp'))
    throw new SecondFactorRequired(pending);
  const code = await ask('Code from your authenticator app:', {
    validate: (v) => /^\d{6}$/.test(v.trim()) || '6 digits',
  });
  return api.call('secondFactorTotp', { body: { pendingToken: pending.pendingToken, code: code.trim() } });
}
