import type { Role } from './roles.js';

/**
 * Second factors (issue 14). Per role the hospital chooses: `off` (none asked, none may be
 * added), `optional` (asked of those who added one) or `required` (asked of everyone; a user
 * without one adds one at their next sign-in before anything else).
 */
export const SECOND_FACTOR_POLICIES = ['off', 'optional', 'required'] as const;
export type SecondFactorPolicy = (typeof SECOND_FACTOR_POLICIES)[number];
export type SecondFactorPolicies = Readonly<Record<Role, SecondFactorPolicy>>;

/** The kinds of second factor: an authenticator app's time-based code, or a passkey (WebAuthn). */
export const SECOND_FACTOR_KINDS = ['totp', 'passkey'] as const;
export type SecondFactorKind = (typeof SECOND_FACTOR_KINDS)[number];
