import { entry, type ErrorEntry } from '../error-kinds.js';

/** Second factors (issue 14). Part of the one catalogue, src/contract/errors.ts. */
export const SECOND_FACTOR_ERRORS = {
  second_factor_needed: entry(
    'unauthenticated',
    'identity',
    'This sign-in needs a second factor.',
    'a caller that cannot answer a second factor (a tool, the CLI) signed in to an account that needs one; the HTTP login answers 202 with a pending token instead',
  ),
  invalid_second_factor: entry(
    'invalid_input',
    'identity',
    'That code or passkey did not verify.',
    'adding a factor: the first TOTP code, or the passkey registration, did not verify (or its challenge was used or expired)',
  ),
  second_factors_off: entry(
    'forbidden',
    'identity',
    'Second factors are off for your role.',
    "the hospital's policy (MEDVAULT_SECOND_FACTOR_POLICY) does not use second factors for the caller's role",
  ),
  last_second_factor: entry(
    'conflict',
    'identity',
    'Your role requires a second factor: add another before removing this one.',
    "removing a user's only second factor while the policy requires one for their role",
  ),
} as const satisfies Readonly<Record<string, ErrorEntry>>;
