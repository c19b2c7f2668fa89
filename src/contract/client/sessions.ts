import type { LoginAnswer, SecondFactorNeeded } from '../api/auth.js';

/** A login answered 202: the caller must prove (or enrol) a second factor before any session. */
export class SecondFactorRequired extends Error {
  override readonly name = 'SecondFactorRequired';
  constructor(readonly pending: SecondFactorNeeded['secondFactor']) {
    super(`this sign-in needs a second factor (${pending.methods.join(' or ')})`);
  }
}

/** Whether a login's answer is the pending second step rather than a session. */
export const needsSecondFactor = (answer: LoginAnswer | SecondFactorNeeded): answer is SecondFactorNeeded =>
  'secondFactor' in answer;

/** The session of a login's answer. @throws SecondFactorRequired when a second factor follows. */
export function sessionOf(answer: LoginAnswer | SecondFactorNeeded): LoginAnswer {
  if (needsSecondFactor(answer)) throw new SecondFactorRequired(answer.secondFactor);
  return answer;
}
