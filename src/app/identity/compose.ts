import type { Argon2Params } from '../../crypto/password-hash.js';
import type { DataKeys } from '../data-keys.js';
import type { Keyring } from '../keyring.js';
import { CredentialHasher } from './credential-hasher.js';
import { CurrentSession } from './current-session.js';
import { HashPool, type HashPoolLimits } from './hash-pool.js';
import { Lockout, SOURCE_POLICY, patientPolicy } from './lockout.js';
import type { LedgeredServiceDeps } from '../audit/ledger-append.js';
import type { PatientServiceDeps } from './patient-deps.js';
import { PatientDirectory } from './patient-directory.js';
import { PatientFinder } from './patient-finder.js';
import { PatientTokens } from './patient-tokens.js';
import { PatientLogin } from './patient-login.js';
import { PatientSecrets } from './patient-secrets.js';
import { EnrolmentCodes } from './enrolment-codes.js';
import { PatientEnrolment } from './enrolment.js';
import { PatientAccount } from './self-service.js';
import { Patients } from './patients.js';
import { PinRecovery } from './pin-recovery.js';
import { Sessions, type SessionPolicy } from './sessions.js';
import type { Approvals } from '../approvals/index.js';
import { OwnKeys } from './own-keys.js';
import { StaffAccounts } from './staff-accounts.js';
import { registerStaffApprovals } from './staff-approvals.js';
import { StaffInvites } from './staff-invites.js';
import { StaffLogin } from './staff-login.js';
import { UsernameLabels } from './username-label.js';
import { FactorEnrolment } from './factor-enrolment.js';
import { SecondFactorLogin } from './second-factor-login.js';
import { SecondFactors } from './second-factors.js';
import { AccountNotices } from './account-notices.js';
import { FactorPolicy } from './factor-policy.js';
import { PatientReenrolment } from './patient-reenrolment.js';
import type { SecondFactorPolicies } from '../../contract/vocabulary/second-factors.js';
import { ROLES } from '../actor.js';

/** The identity context of a running process: who people are, how they log in, their sessions. */
export interface IdentityServices {
  readonly staffAccounts: StaffAccounts;
  /** Invite codes and enrolment with them (the holder chooses password and key). */
  readonly staffInvites: StaffInvites;
  /** The holder's own keys: add and rotate, vouched for by a current key. */
  readonly ownKeys: OwnKeys;
  readonly staffLogin: StaffLogin;
  readonly currentSession: CurrentSession;
  readonly patients: Patients;
  readonly patientDirectory: PatientDirectory;
  /** Finding a patient by MRN, name or date of birth; the break-glass look-up. */
  readonly patientFinder: PatientFinder;
  readonly patientLogin: PatientLogin;
  readonly pinRecovery: PinRecovery;
  /** The signed-in user's own second factors (issue 14). */
  readonly secondFactors: SecondFactors;
  /** The second step of a sign-in that needs one. */
  readonly secondFactorLogin: SecondFactorLogin;
  /** Activation with the registration's enrolment code; a registrar's new code for a pending patient. */
  readonly enrolment: PatientEnrolment;
  /** A signed-in patient's own credentials and sessions. */
  readonly patientAccount: PatientAccount;
  /** Re-enrolling a patient who lost everything (two registrars). */
  readonly patientReenrolment: PatientReenrolment;
  /** The second-factor policy per role: configured default, changed at run time by two admins. */
  readonly factorPolicy: FactorPolicy;
  /** What a person is told at their next sign-in (a re-enrolment), until dismissed. */
  readonly notices: AccountNotices;
  readonly sessions: Sessions;
  /** The staff accounts' lockout (patients have their own policy, in `PatientServiceDeps`). */
  readonly lockout: Lockout;
  /** The bounded argon2id pool every credential check and new verifier goes through. */
  readonly hashPool: HashPool;
}

export interface IdentityDeps extends LedgeredServiceDeps {
  readonly keyring: Keyring;
  readonly dataKeys: DataKeys;
  /** The two-person rule: staff activation, admin creation and re-enrolment register here. */
  readonly approvals: Approvals;
  readonly sessionPolicy: SessionPolicy;
  /** argon2id cost of new PIN and password verifiers. */
  readonly argon2: Argon2Params;
  /** argon2id runs at once, and admitted to wait (beyond: 503 `credential_queue_full`). */
  readonly hashPool: HashPoolLimits;
  /** Cap of a patient account's lock back-off, in ms. */
  readonly patientMaxLockMs: number;
  /** Second factors per role (default: optional for every role). */
  readonly secondFactorPolicy?: SecondFactorPolicies;
  /** Life of a patient's enrolment code, in ms. */
  readonly enrolmentCodeTtlMs: number;
}

/** The identity services, and the dependencies the sharing context is built from. */
export interface ComposedIdentity {
  readonly services: IdentityServices;
  /** One session store, lockout and patient-secret hasher, shared with the sharing context. */
  readonly patientDeps: PatientServiceDeps;
}

const ALL_OPTIONAL: SecondFactorPolicies = Object.fromEntries(
  ROLES.map((r) => [r, 'optional']),
) as SecondFactorPolicies;

/** Builds the identity context: one credential hasher, session store and lockout for staff and patients. */
export function composeIdentity(deps: IdentityDeps): ComposedIdentity {
  const { db, audit, clock } = deps;
  const hashPool = new HashPool(deps.hashPool);
  const hasher = new CredentialHasher(deps.keyring, hashPool, deps.argon2);
  const sessions = new Sessions(deps.sessionPolicy, clock);
  const lockout = new Lockout(clock);
  const patientDeps: PatientServiceDeps = {
    db,
    dataKeys: deps.dataKeys,
    secrets: new PatientSecrets(deps.keyring, hasher),
    sessions,
    lockout: new Lockout(clock, patientPolicy(deps.patientMaxLockMs)),
    audit,
    clock,
  };
  const staffInvites = new StaffInvites({ db, hasher, audit, clock });
  const notices = new AccountNotices({ db, audit, clock });
  registerStaffApprovals(deps.approvals, { sessions, invites: staffInvites, notices, audit, clock });
  const factorPolicy = new FactorPolicy({
    db,
    audit,
    approvals: deps.approvals,
    defaults: deps.secondFactorPolicy ?? ALL_OPTIONAL,
    clock,
  });
  const factors = new FactorEnrolment({
    db,
    dataKeys: deps.dataKeys,
    audit,
    policy: factorPolicy,
    clock,
  });
  const secondFactorLogin = new SecondFactorLogin(factors, {
    sessions,
    lockouts: { staff: lockout, patient: patientDeps.lockout },
  });
  const codes = new EnrolmentCodes(patientDeps.secrets, audit, deps.enrolmentCodeTtlMs);
  const patientFinder = new PatientFinder(patientDeps, new PatientTokens(deps.keyring));
  return {
    services: {
      staffAccounts: new StaffAccounts({
        db,
        sessions,
        hasher,
        audit,
        approvals: deps.approvals,
        invites: staffInvites,
        clock,
      }),
      staffInvites,
      ownKeys: new OwnKeys({ db, audit, clock }),
      staffLogin: new StaffLogin({
        db,
        sessions,
        lockout,
        sourceLimit: new Lockout(clock, SOURCE_POLICY),
        usernames: new UsernameLabels(deps.keyring),
        hasher,
        audit,
        clock,
        secondFactors: secondFactorLogin,
      }),
      currentSession: new CurrentSession({ db, sessions, audit }),
      patients: new Patients(patientDeps, codes, patientFinder),
      patientDirectory: new PatientDirectory(patientDeps),
      patientFinder,
      patientLogin: new PatientLogin(patientDeps, secondFactorLogin),
      pinRecovery: new PinRecovery(patientDeps),
      secondFactors: new SecondFactors(factors),
      secondFactorLogin,
      enrolment: new PatientEnrolment(patientDeps, codes),
      patientAccount: new PatientAccount(patientDeps),
      patientReenrolment: new PatientReenrolment({
        db,
        approvals: deps.approvals,
        codes,
        sessions,
        notices,
        audit,
        clock,
      }),
      factorPolicy,
      notices,
      sessions,
      lockout,
      hashPool,
    },
    patientDeps,
  };
}
