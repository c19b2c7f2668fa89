/**
 * The identity context's public entry: its compose function and the types and values code
 * outside the context (HTTP, CLI, the synthetic hospital) may use. Anything not exported here is
 * the context's own business.
 */
export {
  composeIdentity,
  type ComposedIdentity,
  type IdentityDeps,
  type IdentityServices,
} from './compose.js';
export type { PatientServiceDeps } from './patient-deps.js';
export type { SessionPolicy } from './sessions.js';
export type { SessionUser } from './current-session.js';
export type {
  KeySource,
  StaffKeyView,
  StaffUserView,
  NewStaffUser,
  CreatedStaffUser,
} from './staff-accounts.js';
export type { StaffChallenge, StaffLoginInput, LoggedIn } from './staff-login.js';
export type { PatientLoginInput, PatientLoginResult } from './patient-login.js';
export type { SelfServiceRecovery, TokenReset } from './pin-recovery.js';
export type { EnrolmentInput } from './enrolment.js';
export { DEFAULT_ENROLMENT_CODE_TTL_MS, type IssuedEnrolmentCode } from './enrolment-codes.js';
export type { PasswordChange, PinChange, CredentialProof } from './self-service.js';
export type { SessionView } from './sessions.js';
export type { PatientListItem, PatientPage } from './patient-directory.js';
export {
  SMOKING_STATUSES,
  MAX_NAME_LENGTH,
  type SmokingStatus,
  type PatientRegistration,
  type PatientRegistered,
  type PatientDemographics,
} from './patients.js';
export { CHALLENGE_TTL_MS } from './staff-login.js';
export { RESET_TOKEN_TTL_MS } from './pin-recovery.js';
export {
  MAX_FAILURES,
  BASE_LOCK_MS,
  MAX_LOCK_MS,
  MAX_SOURCE_FAILURES,
  SOURCE_LOCK_MS,
  DEFAULT_PATIENT_MAX_LOCK_MS,
} from './lockout.js';
export type { HashPool, HashPoolLimits, HashPoolStats } from './hash-pool.js';
