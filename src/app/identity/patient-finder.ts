import { normaliseMrn } from '../../contract/vocabulary/mrn.js';
import type { DbOrTx } from '../../store/database.js';
import { findPatientsDemographics } from '../../store/patient-repository.js';
import {
  findPatientIdByMrn,
  insertPatientTokens,
  patientsWithAllTokens,
  unindexedPatients,
} from '../../store/patient-search-repository.js';
import type { AccessScope, DutyReach, PatientReach, PatientRelation } from '../access/index.js';
import { AppError, invalidInput } from '../errors.js';
import { ledgerIdentityReads, type ShownPatient } from './identity-reads.js';
import type { PatientServiceDeps } from './patient-deps.js';
import { parseDateOfBirth } from './patient-secrets.js';
import { exactTerms, nameWords, patientTerms, searchTerms, type PatientTokens } from './patient-tokens.js';
import { openText, patientField } from './patients.js';

/** At most this many patients answer one search (narrow it down to see others). */
export const MAX_FOUND = 20;
/** At most this many patients answer one break-glass look-up. */
export const MAX_LOOKUP = 10;
/** Start-up catch-up: patients indexed per transaction. */
const CATCH_UP_BATCH = 100;

/** What a search takes: any of MRN, name (words, prefixes of 3+ letters) and date of birth; all given must match. */
export interface PatientQuery {
  readonly mrn?: string | undefined;
  readonly name?: string | undefined;
  readonly dateOfBirth?: string | undefined;
}

/** A break-glass look-up: the MRN, or the full name AND the date of birth. */
export interface IdentityLookup {
  readonly mrn?: string | undefined;
  readonly fullName?: string | undefined;
  readonly dateOfBirth?: string | undefined;
}

/** Enough to confirm who a patient is: never the SSN, nothing clinical. */
export interface PatientIdentity {
  readonly id: string;
  readonly mrn: string;
  readonly fullName: string;
  readonly dateOfBirth: string;
}

export interface FoundPatient extends PatientIdentity {
  /** How a doctor reaches the patient; absent for registrars (their duty covers everyone). */
  readonly relation?: PatientRelation;
}

export interface FoundPatients {
  readonly patients: readonly FoundPatient[];
  /** More patients matched than were shown: narrow the search. */
  readonly more: boolean;
}

const present = (s: string | undefined): s is string => s !== undefined && s.trim().length > 0;

/**
 * Finding a patient (issue 20, point 1): by MRN, by name or by date of birth, matched on blind
 * indexes (patient-tokens.ts) so names and dates of birth stay ciphertext.
 *
 * - `find`: registrars and doctors, within what the access scope lets them list today —
 *   a registrar every patient (their duty), a doctor only the patients they reach (care team,
 *   grants, open break-glass), each confirmed by the scope. Every patient shown is a
 *   `patient.listed` ledger entry about them.
 * - `lookUpForBreakGlass`: a doctor about to break the glass finds ANY patient, but only by MRN
 *   or by full name (whole words) plus date of birth, and sees name, date of birth and MRN.
 *   Every look-up is a `break_glass.lookup` entry with the result count (also when nothing is
 *   found), and each patient shown a `patient.listed` entry in their history.
 */
export class PatientFinder {
  constructor(
    private readonly deps: PatientServiceDeps,
    private readonly tokens: PatientTokens,
  ) {}

  /** Writes a new patient's tokens inside the registration's transaction (compute them first: `tokensOf`). */
  async index(tx: DbOrTx, patientId: string, tokens: readonly Buffer[]): Promise<void> {
    await insertPatientTokens(tx, patientId, tokens);
  }

  /** The tokens of a patient's name and date of birth (before the transaction: the secret may be created). */
  tokensOf(fullName: string, dateOfBirth: string): Promise<Buffer[]> {
    return this.tokens.tokens(patientTerms(fullName, dateOfBirth));
  }

  /**
   * Indexes every patient who has no token yet (registered before migration 021), in batches;
   * returns how many. Run at start-up, once the keyring is open; idempotent, and two servers
   * doing it at once write the same tokens.
   */
  async indexMissing(): Promise<number> {
    const { db, dataKeys } = this.deps;
    let done = 0;
    let after = '';
    for (;;) {
      const batch = await unindexedPatients(db, CATCH_UP_BATCH, after);
      for (const row of batch) {
        after = row.id;
        let name: string;
        let dob: string;
        try {
          [name, dob] = await Promise.all([
            openText(dataKeys, db, patientField(row.id, 'name'), row.nameCt),
            openText(dataKeys, db, patientField(row.id, 'dob'), row.dobCt),
          ]);
        } catch (err) {
          // A row whose name does not open (tampered) stays unfindable by name; reading it shows why.
          if (err instanceof AppError && err.code === 'integrity_failure') continue;
          throw err;
        }
        await insertPatientTokens(db, row.id, await this.tokensOf(name, dob));
        done++;
      }
      if (batch.length < CATCH_UP_BATCH) return done;
    }
  }

  /**
   * @throws AppError forbidden (pharmacists, admins, patients), invalid_input (`search_criteria`:
   *   nothing to search by; `invalid_mrn`; a date of birth that is not a real past date).
   */
  async find(scope: AccessScope, query: PatientQuery): Promise<FoundPatients> {
    scope.require('patients.find');
    const { db } = this.deps;
    const mrn = present(query.mrn) ? parseMrn(query.mrn) : undefined;
    const dob = present(query.dateOfBirth)
      ? parseDateOfBirth(query.dateOfBirth.trim(), scope.now)
      : undefined;
    const name = present(query.name) ? query.name : undefined;
    if (name !== undefined && nameWords(name).length === 0)
      throw invalidInput('Type letters or digits of the name.', 'search_criteria');
    if (mrn === undefined && name === undefined && dob === undefined)
      throw invalidInput(
        'Give a medical record number, a name or a date of birth to search.',
        'search_criteria',
      );

    const directory = await scope.directory(db);
    const within = directory.everyone ? undefined : directory.candidates;
    let ids = await this.matching(mrn, await this.tokens.tokens(searchTerms(name, dob)), within);
    // A doctor's candidates are a superset: the scope confirms each (a grant may have just expired).
    const shown: Array<{ id: string; reach: PatientReach | DutyReach }> = [];
    for (const id of ids) {
      if (shown.length > MAX_FOUND) break;
      const reach: PatientReach | DutyReach | null = directory.everyone
        ? { relation: 'duty', patientId: id, duty: 'patients.demographics' }
        : await scope.tryPatient(db, id, 'read');
      if (reach !== null) shown.push({ id, reach });
    }
    const more = shown.length > MAX_FOUND;
    ids = shown.slice(0, MAX_FOUND).map((s) => s.id);
    const identities = await this.identities(db, ids);
    const reachOf = new Map(shown.map((s) => [s.id, s.reach]));
    const patients: FoundPatient[] = identities.map((p) => {
      const reach = reachOf.get(p.id);
      return reach === undefined || reach.relation === 'duty' ? p : { ...p, relation: reach.relation };
    });
    await ledgerIdentityReads(
      this.deps.audit,
      db,
      scope,
      'patient.listed',
      'patient_search',
      patients.map((p): ShownPatient => ({ patientId: p.id, reach: reachOf.get(p.id)! })),
    );
    return { patients, more };
  }

  /**
   * The break-glass look-up: any patient, by MRN or by full name plus date of birth.
   * @throws AppError forbidden (not a doctor), invalid_input (`lookup_criteria`: a name without a
   *   date of birth or the reverse, or nothing; `invalid_mrn`; a bad date of birth).
   */
  async lookUpForBreakGlass(scope: AccessScope, input: IdentityLookup): Promise<PatientIdentity[]> {
    scope.require('break_glass');
    const { db, audit } = this.deps;
    const criteria = (): never => {
      throw invalidInput(
        'Give the medical record number, or the full name and the date of birth.',
        'lookup_criteria',
      );
    };
    let ids: string[];
    let by: 'mrn' | 'name_dob';
    if (present(input.mrn)) {
      if (present(input.fullName) || present(input.dateOfBirth)) criteria();
      by = 'mrn';
      ids = await this.matching(parseMrn(input.mrn), [], undefined);
    } else {
      if (!present(input.fullName) || !present(input.dateOfBirth)) return criteria();
      if (nameWords(input.fullName).length === 0) criteria();
      const dob = parseDateOfBirth(input.dateOfBirth.trim(), scope.now);
      by = 'name_dob';
      const tokens = await this.tokens.tokens(exactTerms(input.fullName, dob));
      ids = await patientsWithAllTokens(db, tokens, MAX_LOOKUP + 1);
    }
    const shown = await this.identities(db, ids.slice(0, MAX_LOOKUP));
    // The count is ledgered even when nothing matched: fishing shows up in review.
    await audit.append(db, {
      actor: scope.actor,
      action: 'break_glass.lookup',
      target: { type: 'patient_lookup', id: scope.userId },
      patientId: null,
      outcome: 'success',
      details: { by, results: shown.length, more: ids.length > MAX_LOOKUP },
    });
    await ledgerIdentityReads(
      audit,
      db,
      scope,
      'patient.listed',
      'break_glass_lookup',
      shown.map((p) => ({ patientId: p.id, details: { relation: 'duty' } })),
    );
    return shown;
  }

  /** Patients matching the MRN (when given) and every token, within `within` when given. */
  private async matching(
    mrn: string | undefined,
    tokens: readonly Buffer[],
    within: readonly string[] | undefined,
  ): Promise<string[]> {
    if (mrn === undefined) return patientsWithAllTokens(this.deps.db, tokens, MAX_FOUND * 5 + 1, within);
    const id = await findPatientIdByMrn(this.deps.db, mrn);
    if (id === undefined || (within !== undefined && !within.includes(id))) return [];
    if (tokens.length === 0) return [id];
    return patientsWithAllTokens(this.deps.db, tokens, 1, [id]);
  }

  /** Name, date of birth and MRN of the given patients, in the given order. */
  private async identities(db: DbOrTx, ids: readonly string[]): Promise<PatientIdentity[]> {
    const rows = new Map((await findPatientsDemographics(db, ids)).map((r) => [r.id, r]));
    const { dataKeys } = this.deps;
    const out: PatientIdentity[] = [];
    for (const id of ids) {
      const row = rows.get(id);
      if (row === undefined) continue;
      const [fullName, dateOfBirth] = await Promise.all([
        openText(dataKeys, db, patientField(id, 'name'), row.nameCt),
        openText(dataKeys, db, patientField(id, 'dob'), row.dobCt),
      ]);
      out.push({ id, mrn: row.mrn, fullName, dateOfBirth });
    }
    return out;
  }
}

function parseMrn(input: string): string {
  const mrn = normaliseMrn(input.trim());
  if (mrn === null)
    throw invalidInput('That medical record number is not valid. Check the eight digits.', 'invalid_mrn');
  return mrn;
}
