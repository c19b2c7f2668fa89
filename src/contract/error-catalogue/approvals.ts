import { entry } from '../error-kinds.js';

/**
 * The two-person rule and staff enrolment. Part of the one catalogue, src/contract/errors.ts
 * (listed under identity).
 */
export const APPROVAL_ERRORS = {
  approval_own_request: entry(
    'forbidden',
    'identity',
    'A second person must approve this request; you made it.',
    'the requester of a two-person request approves or refuses it themself',
  ),
  approval_wrong_role: entry(
    'forbidden',
    'identity',
    'Your role may not decide this kind of request.',
    'a two-person request decided by someone whose role is not the one its kind asks for',
  ),
  approval_decided: entry(
    'conflict',
    'identity',
    'This request has already been decided.',
    'a second approval or refusal of a request (also by the same person twice)',
  ),
  approval_expired: entry(
    'conflict',
    'identity',
    'This request has expired; ask again.',
    'an approval or refusal after the request expired (three days)',
  ),
  approval_pending: entry(
    'conflict',
    'identity',
    'The same request is already waiting for approval.',
    'a second request of the same kind for the same subject while one is pending',
  ),
  reenrol_not_enrolled: entry(
    'conflict',
    'identity',
    'This patient has not enrolled yet: issue a new enrolment code instead of re-enrolling.',
    'a re-enrolment asked for (or approved) for a patient who never chose a PIN and password',
  ),
  invite_invalid: entry(
    'unauthenticated',
    'identity',
    'That invite code is not valid.',
    'enrolment with an invite code that was never issued (or was replaced); rate-limited per address',
  ),
  invite_used: entry(
    'conflict',
    'identity',
    'That invite code has already been used.',
    'enrolment with an invite code that enrolled someone already (single use)',
  ),
  invite_expired: entry(
    'conflict',
    'identity',
    'That invite code has expired. Ask an administrator for a new one.',
    'enrolment with an invite code after its expiry (three days)',
  ),
  key_proof_invalid: entry(
    'forbidden',
    'identity',
    'The new key must be signed by one of your current keys.',
    "adding a key to one's own account without a valid signature, by a current key, over the new key",
  ),
} as const;
