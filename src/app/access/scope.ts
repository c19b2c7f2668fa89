import {
  doctorPatientCandidates,
  doctorPatientLinks,
  patientExists,
  accountStanding,
  recordWithDoctorLinks,
} from '../../store/access-repository.js';
import { findAttachment, findAttachmentById } from '../../store/attachment-repository.js';
import type { DbOrTx } from '../../store/database.js';
import { findLedgerEntry } from '../../store/ledger-repository.js';
import { findPrescription } from '../../store/prescription-repository.js';
import { findRecord, type RecordRow } from '../../store/record-repository.js';
import { isRole, type Actor, type Role } from '../actor.js';
import { AppError, forbidden, notFound } from '../errors.js';
import { roleMay, type Permission } from './permissions.js';
import type {
  AttachmentReach,
  DutyReach,
  PatientNeed,
  PatientReach,
  PrescriptionReach,
  RecordReach,
} from './reach.js';
import { reachFor, relationKindOf, type Relationships } from './relationships.js';

/** Duties a role holds towards every (existing) patient. */
export type Duty = Extract<
  Permission,
  'careteam.assign' | 'pin.reset' | 'break_glass' | 'patients.register' | 'patients.reenrol'
>;

/** What a patient directory lists for the caller. */
export type Directory =
  { readonly everyone: true } | { readonly everyone: false; readonly candidates: readonly string[] };

const readOnly = (): AppError => new AppError('read_only_access');

const permissionFor = (need: PatientNeed): Permission => (need === 'read' ? 'records.read' : 'records.write');

/**
 * THE access scope: one per request (built by the HTTP auth hook from the session) or per CLI
 * command that acts as someone, bound to the caller and the time access is decided at. Services
 * take it instead of a bare caller and reach patients, records, attachments, prescriptions,
 * access logs and ledger entries only through it; what they get back is a *reach* that says
 * how (self, care team, grant with its id and scope, break-glass with its id, prescriber,
 * dispensing pharmacist, duty), which the service uses and its ledger entry records.
 *
 * Deny by default. 403 for a role that may never do the thing; 404 for what exists but is not
 * the caller's (a patient, record or prescription that exists and one that does not answer
 * alike); 403 `read_only_access` for a writer who may read but not write what they ask for.
 *
 * Its own enumerable fields are the caller's `userId` and `role` only, so it reads like an Actor
 * wherever one is shown; the time stays private.
 */
export class AccessScope {
  readonly userId: string;
  readonly role: Role;
  readonly #clock: () => number;

  private constructor(caller: Actor, clock: () => number) {
    this.userId = caller.userId;
    this.role = caller.role;
    this.#clock = clock;
  }

  /** The scope of one request or command: access is decided as of `time` (its start). */
  static at(caller: Actor, time: number): AccessScope {
    return new AccessScope(caller, () => time);
  }

  /** A scope that decides as of `clock()` each time: long runs (seeding) and tests that move time. */
  static following(caller: Actor, clock: () => number): AccessScope {
    return new AccessScope(caller, clock);
  }

  /**
   * The scope of the active account named `username`, for a command-line operator acting as it
   * (`medvault analytics --as`); null when no active account has that name.
   */
  static async ofAccount(db: DbOrTx, username: string, time: number): Promise<AccessScope | null> {
    const account = await accountStanding(db, { username });
    if (account === undefined || account.status !== 'active' || !isRole(account.role)) return null;
    return AccessScope.at({ userId: account.id, role: account.role }, time);
  }

  /** The caller as ledger entries record them. */
  get actor(): Actor {
    return { userId: this.userId, role: this.role };
  }

  /** The time access is decided at (epoch milliseconds). */
  get now(): number {
    return this.#clock();
  }

  /** Whether the caller's role holds `permission` (to choose what to offer; never instead of a reach). */
  may(permission: Permission): boolean {
    return roleMay(this.role, permission);
  }

  /** Refuses (403) a caller whose role never holds `permission`. */
  require(permission: Permission): void {
    if (!this.may(permission)) throw forbidden();
  }

  /**
   * The caller's reach to a patient's records for `need` (and covering `recordType`, when given).
   * @throws AppError forbidden (role never reads/writes records), not_found (no such patient, or
   *   not reachable — or, with a type, reachable but not for that type), read_only_access (may
   *   read what they ask for, but not write it).
   */
  async patient(
    db: DbOrTx,
    patientId: string,
    need: PatientNeed,
    recordType?: string,
  ): Promise<PatientReach> {
    this.require(permissionFor(need));
    const rel = await this.#relationships(db, patientId);
    const read = reachFor(patientId, rel, 'read', recordType);
    if (read === undefined) throw notFound('patient');
    if (need === 'read') return read;
    const write = reachFor(patientId, rel, 'write', recordType);
    if (write === undefined) throw readOnly();
    return write;
  }

  /** Like `patient`, but null where that answers 404 (lists and search skip such patients). */
  async tryPatient(db: DbOrTx, patientId: string, need: PatientNeed): Promise<PatientReach | null> {
    try {
      return await this.patient(db, patientId, need);
    } catch (err) {
      if (err instanceof AppError && err.kind === 'not_found') return null;
      throw err;
    }
  }

  /**
   * The patient acting on what is theirs alone (their sharing grants): `permission` and self.
   * Another patient gets 404, staff 403.
   */
  async ownPatient(
    db: DbOrTx,
    patientId: string,
    permission: Extract<Permission, 'grants.manage'>,
  ): Promise<PatientReach> {
    this.require(permission);
    const reach = reachFor(patientId, await this.#relationships(db, patientId), 'read');
    // Defence in depth: only a patient holds grants.manage, and for them the rules answer
    // 'self' or nothing; never let another relation act as the owner.
    if (reach === undefined || reach.relation !== 'self') throw notFound('patient');
    return reach;
  }

  /** A duty towards any existing patient (care teams, PIN resets, break-glass). 403, then 404. */
  async duty(db: DbOrTx, patientId: string, duty: Duty): Promise<DutyReach> {
    this.require(duty);
    if (!(await patientExists(db, patientId))) throw notFound('patient');
    return { relation: 'duty', patientId, duty };
  }

  /**
   * Who may see a patient's demographics: registrars any existing patient (their duty); the
   * patient themself and doctors who reach the patient's records; others 403.
   */
  async demographics(db: DbOrTx, patientId: string): Promise<PatientReach | DutyReach> {
    if (this.may('patients.demographics')) {
      if (!(await patientExists(db, patientId))) throw notFound('patient');
      return { relation: 'duty', patientId, duty: 'patients.demographics' };
    }
    return this.patient(db, patientId, 'read');
  }

  /**
   * Whom a patient list may show: registrars everyone; doctors the patients they may be related
   * to and patients themselves (candidates: each is confirmed with `tryPatient`); others 403.
   */
  async directory(db: DbOrTx): Promise<Directory> {
    if (this.may('patients.demographics')) return { everyone: true };
    this.require('records.read');
    return { everyone: false, candidates: await this.candidatePatients(db) };
  }

  /** Patients the caller may be related to now (a superset: confirm each with `tryPatient`). */
  async candidatePatients(db: DbOrTx): Promise<string[]> {
    switch (relationKindOf(this.role)) {
      case 'self':
        return [this.userId];
      case 'clinician':
        return doctorPatientCandidates(db, this.userId, this.now);
      default:
        return [];
    }
  }

  /**
   * A record the caller may read (or write to: add attachments). A record that does not exist
   * and one the caller may not see are the same 404, so ids reveal nothing.
   * @throws AppError forbidden, not_found, read_only_access.
   */
  async record(db: DbOrTx, recordId: string, need: PatientNeed): Promise<RecordReach> {
    this.require(permissionFor(need));
    const found = await this.#recordAndRelationships(db, recordId);
    if (found === undefined) throw notFound('record');
    const { record, rel } = found;
    const read = reachFor(record.patient_id, rel, 'read', record.type);
    if (read === undefined) throw notFound('record');
    if (need === 'read') return { record, patient: read };
    const write = reachFor(record.patient_id, rel, 'write', record.type);
    if (write === undefined) throw readOnly();
    return { record, patient: write };
  }

  /** An attachment of a record the caller may read; another record's attachment id is 404. */
  async attachment(db: DbOrTx, recordId: string, attachmentId: string): Promise<AttachmentReach> {
    const reach = await this.record(db, recordId, 'read');
    const attachment = await findAttachment(db, reach.record.id, attachmentId);
    if (attachment === undefined) throw notFound('attachment');
    return { ...reach, attachment };
  }

  /**
   * An attachment named by its id alone (FHIR's `Binary/<id>`): the same reach as `attachment`
   * through the record it belongs to; an unknown id and one the caller may not see are one 404.
   */
  async attachmentById(db: DbOrTx, attachmentId: string): Promise<AttachmentReach> {
    this.require('records.read');
    const row = await findAttachmentById(db, attachmentId);
    if (row === undefined) throw notFound('attachment');
    try {
      return await this.attachment(db, row.record_id, attachmentId);
    } catch (err) {
      // A record the caller may not see answers as an id that does not exist: the same words.
      if (err instanceof AppError && err.kind === 'not_found') throw notFound('attachment');
      throw err;
    }
  }

  /**
   * A prescription, to read (its view and its evidence) or to dispense:
   * - pharmacists any (they verify and dispense whatever a patient brings; it is the only
   *   clinical data they reach), and only they dispense;
   * - the patient it is for; the doctor who signed it; doctors who reach the patient with access
   *   covering record type 'prescription' (care team, grant, break-glass);
   * - nobody else: admins and registrars 403 (separation of duties), others 404 — a
   *   prescription that exists and one that does not answer alike.
   */
  async prescription(db: DbOrTx, id: string, need: 'read' | 'dispense'): Promise<PrescriptionReach> {
    const dispensing = this.may('prescriptions.dispense');
    if (need === 'dispense') this.require('prescriptions.dispense');
    else if (!dispensing) this.require('records.read');
    const row = await findPrescription(db, id);
    if (row === undefined) throw notFound('prescription');
    if (dispensing) return { row, relation: 'dispensing' };
    if (this.may('prescriptions.sign') && row.prescriberId === this.userId)
      return { row, relation: 'prescriber' };
    const patient = reachFor(
      row.patientId,
      await this.#relationships(db, row.patientId),
      'read',
      'prescription',
    );
    if (patient === undefined) throw notFound('prescription');
    return { row, relation: patient.relation, patient };
  }

  /** A patient's access history: the patient their own (else 404), admins any existing patient. */
  async accessLog(db: DbOrTx, patientId: string): Promise<PatientReach | DutyReach> {
    this.require('accesslog.read');
    if (this.may('audit.read')) {
      if (!(await patientExists(db, patientId))) throw notFound('patient');
      return { relation: 'duty', patientId, duty: 'accesslog.read' };
    }
    const reach = reachFor(patientId, await this.#relationships(db, patientId), 'read');
    if (reach === undefined || reach.relation !== 'self') throw notFound('patient');
    return reach;
  }

  /**
   * A ledger entry to prove the inclusion of: admins any; a patient only an entry about their
   * own data (anything else is "not found", never "forbidden"); others 403.
   */
  async ledgerEntry(db: DbOrTx, seq: number): Promise<void> {
    this.require('ledger.prove');
    if (this.may('audit.read')) return;
    const row = Number.isSafeInteger(seq) && seq >= 0 ? await findLedgerEntry(db, seq) : undefined;
    if (row === undefined || row.patient_id !== this.userId) throw notFound('ledger entry');
  }

  /** A record and the caller's relationships to its patient; for a doctor in one round trip. */
  async #recordAndRelationships(
    db: DbOrTx,
    recordId: string,
  ): Promise<{ record: RecordRow; rel: Relationships } | undefined> {
    if (relationKindOf(this.role) === 'clinician') {
      const found = await recordWithDoctorLinks(db, recordId, this.userId, this.now);
      return found && { record: found.record, rel: { kind: 'clinician', links: found.links } };
    }
    const record = await findRecord(db, recordId);
    return record && { record, rel: await this.#relationships(db, record.patient_id) };
  }

  async #relationships(db: DbOrTx, patientId: string): Promise<Relationships> {
    switch (relationKindOf(this.role)) {
      case 'self':
        return { kind: 'self', isPatient: this.userId === patientId };
      case 'clinician':
        return { kind: 'clinician', links: await doctorPatientLinks(db, this.userId, patientId, this.now) };
      default:
        return { kind: 'none' };
    }
  }
}
