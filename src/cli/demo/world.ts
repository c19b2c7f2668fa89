import type { AppContext } from '../../app/context.js';
import type { MedVaultClient } from '../../contract/client/index.js';
import type { Narrator } from './narrator.js';

/** A staff member the demo created: their login factors and a live session. */
export interface StaffMember {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly password: string;
  /** PKCS#8 PEM, returned once by the admin API; used by the demo as the person's own key. */
  readonly privateKeyPem: string;
  readonly keyId: string;
  token: string;
}

/** A synthetic patient: every value is made up by the demo and safe to print. */
export interface DemoPatient {
  readonly id: string;
  readonly ssn: string;
  readonly fullName: string;
  readonly dateOfBirth: string;
  readonly password: string;
  pin: string;
  /** The enrolment code the registrar printed (spent by the patient's activation). */
  readonly enrolmentCode: string;
  recoveryCode: string;
  token: string;
}

/** The records the care-team doctor wrote in step 2, and the X-ray image. */
export interface DemoRecords {
  readonly labId: string;
  readonly diagnosisId: string;
  readonly imagingId: string;
  readonly attachmentId: string;
  readonly image: Buffer;
  /** Clinical text the demo looks for in stolen bytes (must never be found). */
  readonly diagnosisText: string;
  readonly icd10: string;
}

/** A precondition made by an earlier step is missing (that step failed or was skipped). */
export class MissingPrecondition extends Error {
  override readonly name = 'MissingPrecondition';
}

/**
 * What the demo has built so far, passed from step to step and to the attacks. `app` is the
 * running server's own context: attacks use its store as a thief or insider with database
 * access would (raw SQL), never its services to decide an outcome.
 */
export class DemoWorld {
  staff: Partial<
    Record<'admin' | 'admin2' | 'registrar' | 'doctor' | 'doctor2' | 'pharmacist', StaffMember>
  > = {};
  patient: DemoPatient | undefined;
  /** A second patient of the same doctor (the swap and IDOR attacks need one). */
  patientB: (DemoPatient & { recordId: string }) | undefined;
  records: DemoRecords | undefined;
  /** Vitals values written for the statistics step (distinctive decimals to look for). */
  readonly vitalsNeedles: string[] = [];

  constructor(
    /** The contract's client, with no session (public routes); {@link as} adds one. */
    readonly api: MedVaultClient,
    readonly app: AppContext,
    readonly narrator: Narrator,
    /** "METHOD /path" routes the server documents (OpenAPI), read at start. */
    readonly routes: ReadonlySet<string>,
    /** The data folder of the demo's server (SQLite file, attachments, master key file). */
    readonly dataDir: string,
  ) {}

  /** The client acting with a session token (Authorization: Bearer). */
  as(token: string): MedVaultClient {
    return this.api.withToken(token);
  }

  say(line: string): void {
    this.narrator.say(line);
  }

  member(role: keyof DemoWorld['staff']): StaffMember {
    return need(this.staff[role], `the ${role} account (setup)`);
  }

  needPatient(): DemoPatient {
    return need(this.patient, 'the registered patient (step 1)');
  }

  needPatientB(): DemoPatient & { recordId: string } {
    return need(this.patientB, 'the second patient (step 2)');
  }

  needRecords(): DemoRecords {
    return need(this.records, 'the records of step 2');
  }
}

/** @throws MissingPrecondition when `value` is undefined. */
export function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new MissingPrecondition(`needs ${what}, which is missing`);
  return value;
}
