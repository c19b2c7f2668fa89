import { randomInt, randomUUID } from 'node:crypto';
import { mrnOf } from '../../contract/vocabulary/mrn.js';
import type { EnvelopeContext } from '../../crypto/envelope.js';
import { IntegrityError } from '../../crypto/errors.js';
import { normaliseSsn } from '../../crypto/blind-index.js';
import { withTransaction, type DbOrTx } from '../../store/database.js';
import {
  findPatientDemographics,
  insertPatient,
  ssnIndexTaken,
  type PatientDemographicsRow,
} from '../../store/patient-repository.js';
import { listCareTeam } from '../../store/sharing-repository.js';
import { isUniqueViolation } from '../../store/unique-violation.js';
import { covers, reachDetails, type AccessScope } from '../access/index.js';
import { readAllergies, type KnownAllergy } from '../records/allergy-list.js';
import { chartAccessOf, type ChartAccess } from './chart-access.js';
import type { DataKeys } from '../data-keys.js';
import { conflict, integrityFailure, invalidInput, notFound } from '../errors.js';
import { ledgerIdentityReads } from './identity-reads.js';
import type { PatientServiceDeps } from './patient-deps.js';
import type { EnrolmentCodes } from './enrolment-codes.js';
import { parseDateOfBirth } from './patient-secrets.js';
import { findPatientIdByMrn } from '../../store/patient-search-repository.js';

import { SMOKING_STATUSES, type SmokingStatus } from '../../contract/vocabulary/patients.js';

export { SMOKING_STATUSES, type SmokingStatus };
export const MAX_NAME_LENGTH = 200;
/** Draws of a fresh MRN when registrations race for the same one (9 million numbers: rare). */
const MRN_ATTEMPTS = 5;

/** What a registrar registers: identity only (the patient chooses PIN and password at enrolment). */
export interface PatientRegistration {
  readonly ssn: string;
  readonly fullName: string;
  /** YYYY-MM-DD. */
  readonly dateOfBirth: string;
  readonly smokingStatus: string;
}

/** A registration's answer: the patient's id and their one-time enrolment code, for the slip. */
export interface PatientRegistered {
  readonly patientId: string;
  /** The medical record number, for the slip (src/contract/vocabulary/mrn.ts). */
  readonly mrn: string;
  readonly enrolmentCode: string;
  /** Epoch ms after which the code no longer works. */
  readonly expiresAt: number;
}

/** What a registrar (or the patient, or a doctor with access) sees of a patient. */
export interface PatientDemographics {
  readonly id: string;
  /** The medical record number: an identifier, not a secret (docs/patient-search.md). */
  readonly mrn: string;
  readonly fullName: string;
  readonly dateOfBirth: string;
  /** `***-**-1234`: the full SSN is never shown again after registration. */
  readonly maskedSsn: string;
  readonly smokingStatus: string;
  readonly registeredAt: number;
  readonly careTeam: ReadonlyArray<{ doctorId: string; displayName: string | null; assignedAt: number }>;
  /** How the caller reached the chart (the patient banner; issue 20, point 2). */
  readonly access: ChartAccess;
  /**
   * With `withAllergies` (the patient banner): the allergy records' substance and severity, or
   * null when the caller's access does not cover them; without it, null.
   */
  readonly allergies: KnownAllergy[] | null;
}

/** Where a new patient's name and date-of-birth tokens are made and written (PatientFinder). */
export interface PatientIndexing {
  /** Computed before the transaction (the first use may write the secret to the keyring). */
  tokensOf(fullName: string, dateOfBirth: string): Promise<Buffer[]>;
  index(tx: DbOrTx, patientId: string, tokens: readonly Buffer[]): Promise<void>;
}

/** Envelope place of one identifier of a patient: its own row, bound to the patient. */
export const patientField = (patientId: string, field: 'ssn' | 'name' | 'dob'): EnvelopeContext => ({
  table: 'patients',
  rowId: patientId,
  patientId,
  field,
});

/** `***-**-` and the last four digits. */
export const maskSsn = (ssn: string): string => `***-**-${ssn.slice(-4)}`;

/**
 * Opens one envelope-encrypted text field.
 * @throws AppError integrity_failure when it does not open (tampered, moved or wrong key).
 */
export async function openText(
  dataKeys: DataKeys,
  db: DbOrTx,
  ctx: EnvelopeContext,
  ct: Buffer,
): Promise<string> {
  try {
    return (await dataKeys.open(db, ctx, ct)).toString('utf8');
  } catch (err) {
    if (err instanceof IntegrityError) throw integrityFailure();
    throw err;
  }
}

/** A full name, trimmed and NFC-normalised; 1–200 characters, no control characters. */
function parseFullName(input: string): string {
  const name = input.normalize('NFC').trim();
  const length = [...name].length;
  if (length === 0 || length > MAX_NAME_LENGTH || /\p{Cc}/u.test(name))
    throw invalidInput(
      `The full name must be 1 to ${MAX_NAME_LENGTH} characters, without control characters.`,
    );
  return name;
}

function parseSmokingStatus(input: string): SmokingStatus {
  const found = SMOKING_STATUSES.find((s) => s === input);
  if (found === undefined)
    throw invalidInput(`The smoking status must be one of ${SMOKING_STATUSES.join(', ')}.`);
  return found;
}

/**
 * Patients: registration (registrar) and demographics. SSN, name and date of birth are stored
 * only as envelope ciphertext (the SSN also as a keyed blind index, for lookup). Registration
 * takes identity only and answers a one-time enrolment code: the registrar never sets nor sees
 * a PIN, password or recovery code (enrolment.ts). None of them derives a data key.
 */
export class Patients {
  constructor(
    private readonly deps: PatientServiceDeps,
    private readonly codes: EnrolmentCodes,
    private readonly finder: PatientIndexing,
  ) {}

  private now(): number {
    return (this.deps.clock ?? Date.now)();
  }

  /**
   * Registers a patient (identity only) and returns their id and a one-time enrolment code
   * (shown once, for the slip handed to the patient; only its keyed verifier is stored). No
   * password hashing: the patient has no credential until they enrol.
   * @throws AppError forbidden (not a registrar), invalid_input, conflict `duplicate_patient`.
   */
  async register(scope: AccessScope, input: PatientRegistration): Promise<PatientRegistered> {
    scope.require('patients.register');
    const { db, dataKeys, secrets, audit } = this.deps;
    const now = this.now();
    const ssn = normaliseSsn(input.ssn);
    if (ssn === null) throw invalidInput('The SSN must have the form ###-##-####.');
    const fullName = parseFullName(input.fullName);
    const dateOfBirth = parseDateOfBirth(input.dateOfBirth, now);
    const smokingStatus = parseSmokingStatus(input.smokingStatus);

    const ssnIndex = await secrets.ssnIndex(ssn);
    // Checked before hashing to spare the work; the unique index decides a race (below).
    if (await ssnIndexTaken(db, ssnIndex)) throw duplicatePatient();
    const id = randomUUID();
    const code = await this.codes.prepare(id, now);
    const tokens = await this.finder.tokensOf(fullName, dateOfBirth);
    const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');
    let mrn = await this.freeMrn();
    for (let attempt = 1; ; attempt++) {
      try {
        await withTransaction(db, async (tx) => {
          const ssnCt = await dataKeys.seal(tx, patientField(id, 'ssn'), utf8(ssn));
          const nameCt = await dataKeys.seal(tx, patientField(id, 'name'), utf8(fullName));
          const dobCt = await dataKeys.seal(tx, patientField(id, 'dob'), utf8(dateOfBirth));
          await insertPatient(tx, {
            id,
            ssnIndex,
            mrn,
            ssnCt,
            nameCt,
            dobCt,
            smokingStatus,
            createdBy: scope.userId,
            now,
          });
          await this.finder.index(tx, id, tokens);
          await audit.append(tx, {
            actor: scope.actor,
            action: 'patient.register',
            target: { type: 'patient', id },
            patientId: id,
            outcome: 'success',
            details: {},
          });
          await this.codes.store(tx, scope.actor, id, code, now);
        });
        break;
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        // Two registrations of one SSN at once: the unique index on ssn_index refused the second.
        if (await ssnIndexTaken(db, ssnIndex)) throw duplicatePatient();
        // Otherwise two registrations drew the same MRN at once: draw again.
        if (attempt >= MRN_ATTEMPTS) throw err;
        mrn = await this.freeMrn();
      }
    }
    return { patientId: id, mrn, enrolmentCode: code.enrolmentCode, expiresAt: code.expiresAt };
  }

  /** A random MRN no patient holds yet (the unique index still decides a race). */
  private async freeMrn(): Promise<string> {
    for (;;) {
      const mrn = mrnOf(String(randomInt(1_000_000, 10_000_000)));
      if ((await findPatientIdByMrn(this.deps.db, mrn)) === undefined) return mrn;
    }
  }

  /**
   * A patient's demographics. Registrars see any patient; a patient sees themself and a doctor
   * the patients they can reach (the scope decides); others get 403 (roles that never may) or
   * 404 (not theirs, or no such patient). Every answer is a `patient.demographics_read` ledger
   * entry with the reach (the patient's own reads too: a stolen session shows up in the history).
   * With `withAllergies`, the allergy records are read too (a `record.read` entry, counts only).
   */
  async get(
    scope: AccessScope,
    patientId: string,
    options: { readonly withAllergies?: boolean } = {},
  ): Promise<PatientDemographics> {
    const { db, dataKeys, audit } = this.deps;
    const reach = await scope.demographics(db, patientId);
    const found = await findPatientDemographics(db, patientId);
    if (found === undefined) throw notFound('patient');
    const [summary, dateOfBirth, careTeam] = await Promise.all([
      summarise(dataKeys, db, found),
      openText(dataKeys, db, patientField(found.id, 'dob'), found.dobCt),
      listCareTeam(db, found.id),
    ]);
    // The banner's allergies: for those whose reach covers allergy records (not a registrar's duty).
    const allergies =
      options.withAllergies === true && reach.relation !== 'duty' && covers(reach, 'allergy')
        ? await readAllergies({ db, dataKeys }, found.id)
        : null;
    await ledgerIdentityReads(audit, db, scope, 'patient.demographics_read', 'demographics', [
      { patientId: found.id, reach },
    ]);
    if (allergies !== null && allergies.length > 0)
      await audit.append(db, {
        actor: scope.actor,
        action: 'record.read',
        target: { type: 'patient_records', id: found.id },
        patientId: found.id,
        outcome: 'success',
        details: { via: 'patient_banner', allergies: allergies.length, ...reachDetails(reach, 'allergy') },
      });
    return {
      id: found.id,
      mrn: found.mrn,
      fullName: summary.fullName,
      dateOfBirth,
      maskedSsn: summary.maskedSsn,
      smokingStatus: found.smokingStatus,
      registeredAt: found.createdAt,
      careTeam,
      access: chartAccessOf(reach),
      allergies,
    };
  }
}

/** Name and masked SSN of one stored patient (decrypted; the full SSN never leaves here). */
export async function summarise(
  dataKeys: DataKeys,
  db: DbOrTx,
  row: PatientDemographicsRow,
): Promise<{ fullName: string; maskedSsn: string }> {
  const [fullName, ssn] = await Promise.all([
    openText(dataKeys, db, patientField(row.id, 'name'), row.nameCt),
    openText(dataKeys, db, patientField(row.id, 'ssn'), row.ssnCt),
  ]);
  return { fullName, maskedSsn: maskSsn(ssn) };
}

function duplicatePatient(): ReturnType<typeof conflict> {
  // Says only that the SSN is taken: never whose, nor anything else about that patient.
  return conflict('A patient with this SSN is already registered.', 'duplicate_patient');
}
