import type { Db } from '../../store/database.js';
import type { DataKeys } from '../data-keys.js';
import type { Keyring } from '../keyring.js';
import { BreakGlass } from '../sharing/break-glass.js';
import { CareTeams } from '../sharing/care-teams.js';
import { Grants } from '../sharing/grants.js';
import type { Argon2Params } from '../../crypto/password-hash.js';
import { CredentialHasher } from './credential-hasher.js';
import type { Lockout } from './lockout.js';
import type { LedgerAppend } from '../audit/ledger-append.js';
import type { PatientServiceDeps } from './patient-deps.js';
import { PatientDirectory } from './patient-directory.js';
import { PatientLogin } from './patient-login.js';
import { PatientSecrets } from './patient-secrets.js';
import { Patients } from './patients.js';
import { PinRecovery } from './pin-recovery.js';
import type { Sessions } from './sessions.js';

/** The patient-identity and sharing services a running process holds (fields of AppContext). */
export interface PatientServices {
  readonly patients: Patients;
  readonly patientDirectory: PatientDirectory;
  readonly patientLogin: PatientLogin;
  readonly pinRecovery: PinRecovery;
  readonly careTeams: CareTeams;
  readonly grants: Grants;
  readonly breakGlass: BreakGlass;
}

/** Builds them over one store, keyring, data-key service, session store, lockout and ledger. */
export function createPatientServices(deps: {
  db: Db;
  keyring: Keyring;
  dataKeys: DataKeys;
  sessions: Sessions;
  lockout: Lockout;
  audit: LedgerAppend;
  /** argon2id cost; production keeps the defaults (tests and benchmarks may lower them). */
  argon2?: Argon2Params;
  clock?: () => number;
}): PatientServices {
  const secrets = new PatientSecrets(deps.keyring, new CredentialHasher(deps.keyring, deps.argon2));
  const shared: PatientServiceDeps = {
    db: deps.db,
    dataKeys: deps.dataKeys,
    secrets,
    sessions: deps.sessions,
    lockout: deps.lockout,
    audit: deps.audit,
    ...(deps.clock === undefined ? {} : { clock: deps.clock }),
  };
  return {
    patients: new Patients(shared),
    patientDirectory: new PatientDirectory(shared),
    patientLogin: new PatientLogin(shared),
    pinRecovery: new PinRecovery(shared),
    careTeams: new CareTeams(shared),
    grants: new Grants(shared),
    breakGlass: new BreakGlass(shared),
  };
}
