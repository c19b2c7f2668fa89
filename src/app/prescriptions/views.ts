import { DEFAULT_QUEUE_PAGE, MAX_QUEUE_PAGE } from '../../contract/vocabulary/paging.js';
import { IntegrityError } from '../../crypto/errors.js';
import type { DbOrTx } from '../../store/database.js';
import { findPatientsDemographics } from '../../store/patient-repository.js';
import {
  listDispenses,
  listPatientPrescriptions,
  listPendingPrescriptions,
  type PrescriptionRow,
} from '../../store/prescription-repository.js';
import { displayNames } from '../../store/user-repository.js';
import { prescriptionReachDetails, reachDetails, type AccessScope } from '../access/index.js';
import type { AuditDetails } from '../audit/entry.js';
import type { DataKeys } from '../data-keys.js';
import { invalidInput } from '../errors.js';
import { ledgerIdentityReads } from '../identity/identity-reads.js';
import { openText, patientField } from '../identity/patients.js';
import { payloadContext, type PrescriptionDeps } from './deps.js';
import { parseCanonicalPayload, PayloadFormatError, type PrescriptionPayload } from './payload.js';
import { sha256Hex, verifyStored, type Verification } from './verifier.js';

/** What was prescribed (the signed payload's clinical fields). */
export interface PrescriptionDetails {
  readonly medicine: PrescriptionPayload['medicine'];
  readonly dose: string;
  readonly route: PrescriptionPayload['route'];
  readonly frequency: string;
  readonly quantity: number;
  readonly refills: number;
  readonly instructions: string;
  /** The doctor's signed reason to go on despite warnings, and the warnings they were shown. */
  readonly override: NonNullable<PrescriptionPayload['override']> | null;
}

export interface Person {
  readonly id: string;
  readonly name: string | null;
}

/** A queue row: only what a pharmacist needs to find and hand out a prescription. */
export interface QueueItem {
  readonly id: string;
  readonly patient: Person;
  readonly prescriber: Person;
  readonly fillsRemaining: number;
  readonly issuedAt: number;
  readonly expiresAt: number;
  /** Null when the stored payload does not read back (the dispense view says why). */
  readonly details: PrescriptionDetails | null;
}

export interface PrescriptionView extends QueueItem {
  readonly status: 'active' | 'dispensed' | 'expired';
  readonly createdAt: number;
  readonly patientDateOfBirth: string | null;
  readonly verification: Omit<Verification, 'payload' | 'canonical'>;
  readonly dispenses: ReadonlyArray<{ fillNumber: number; dispensedAt: number; pharmacistId: string }>;
}

export interface QueuePage {
  readonly items: QueueItem[];
  readonly nextCursor: string | null;
}

const CURSOR = /^(\d{13}):([\x21-\x7e]{1,64})$/;
export { MAX_QUEUE_PAGE };

/**
 * Read views of prescriptions: the pharmacist's queue, one prescription with its verification
 * result (the dispense page shows it before enabling the button), and a patient's list. Reads of
 * a prescription (which show the patient's name and date of birth) are `record.read` ledger
 * entries, the patient's own too, like their reads of records, so the access history shows them. The queue shows patients' names, so each patient on a page of it is a
 * `patient.listed` entry (one append per page; details: how many of their prescriptions).
 */
export class PrescriptionViews {
  constructor(private readonly deps: PrescriptionDeps) {}

  /** Undispensed, unexpired prescriptions, oldest first. Pharmacists only. */
  async queue(scope: AccessScope, page: { limit?: number; cursor?: string }): Promise<QueuePage> {
    scope.require('prescriptions.dispense');
    const limit = page.limit ?? DEFAULT_QUEUE_PAGE;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_QUEUE_PAGE)
      throw invalidInput(`limit must be 1..${MAX_QUEUE_PAGE}.`);
    let after: { issuedAt: number; id: string } | undefined;
    if (page.cursor !== undefined) {
      const m = CURSOR.exec(page.cursor);
      if (m === null) throw invalidInput('cursor is not one this server issued.');
      after = { issuedAt: Number(m[1]), id: m[2]! };
    }
    const rows = await listPendingPrescriptions(this.deps.db, this.deps.clock(), limit + 1, after);
    const pageRows = rows.slice(0, limit);
    const items = await this.items(pageRows);
    const perPatient = new Map<string, number>();
    for (const row of pageRows) perPatient.set(row.patientId, (perPatient.get(row.patientId) ?? 0) + 1);
    await ledgerIdentityReads(
      this.deps.audit,
      this.deps.db,
      scope,
      'patient.listed',
      'prescription_queue',
      [...perPatient].map(([patientId, prescriptions]) => ({
        patientId,
        details: { relation: 'dispensing', prescriptions },
      })),
    );
    const last = pageRows[pageRows.length - 1];
    return {
      items,
      nextCursor: rows.length > limit && last !== undefined ? `${last.issuedAt}:${last.id}` : null,
    };
  }

  /** One prescription with its verification result. */
  async get(scope: AccessScope, id: string): Promise<PrescriptionView> {
    const now = this.deps.clock();
    const reach = await scope.prescription(this.deps.db, id, 'read');
    const { row } = reach;
    const [view] = await this.views([row], now, true);
    await this.logRead(scope, row.patientId, [row.id], 'prescription.view', prescriptionReachDetails(reach));
    return view!;
  }

  /** A patient's prescriptions, newest first: the patient, or doctors whose access covers them. */
  async forPatient(scope: AccessScope, patientId: string): Promise<PrescriptionView[]> {
    const now = this.deps.clock();
    const reach = await scope.patient(this.deps.db, patientId, 'read', 'prescription');
    const rows = await listPatientPrescriptions(this.deps.db, patientId);
    const views = await this.views(rows, now, true);
    if (rows.length > 0)
      await this.logRead(
        scope,
        patientId,
        rows.map((r) => r.id),
        'prescription.list',
        reachDetails(reach, 'prescription'),
      );
    return views;
  }

  private async logRead(
    scope: AccessScope,
    patientId: string,
    ids: string[],
    via: string,
    how: AuditDetails,
  ): Promise<void> {
    await this.deps.audit.append(this.deps.db, {
      actor: scope.actor,
      action: 'record.read',
      target: ids.length === 1 ? { type: 'prescription', id: ids[0]! } : null,
      patientId,
      outcome: 'success',
      details: {
        via,
        ...how,
        count: ids.length,
        ...(ids.length === 1 ? {} : { prescriptionIds: ids.slice(0, 50) }),
      },
    });
  }

  private async items(rows: readonly PrescriptionRow[]): Promise<QueueItem[]> {
    const people = await this.people(rows);
    return Promise.all(
      rows.map(async (row) => ({
        id: row.id,
        patient: { id: row.patientId, name: people.patients.get(row.patientId)?.name ?? null },
        prescriber: { id: row.prescriberId, name: people.staff.get(row.prescriberId) ?? null },
        fillsRemaining: row.fillsRemaining,
        issuedAt: row.issuedAt,
        expiresAt: row.expiresAt,
        details: detailsOf(await readPayload(this.deps.db, this.deps.dataKeys, row)),
      })),
    );
  }

  private async views(
    rows: readonly PrescriptionRow[],
    now: number,
    verify: boolean,
  ): Promise<PrescriptionView[]> {
    const people = await this.people(rows, true);
    const dispenses = await listDispenses(
      this.deps.db,
      rows.map((r) => r.id),
    );
    return Promise.all(
      rows.map(async (row) => {
        const v = verify ? await verifyStored(this.deps, row, now) : undefined;
        const payload = v?.payload ?? (await readPayload(this.deps.db, this.deps.dataKeys, row));
        const patient = people.patients.get(row.patientId);
        return {
          id: row.id,
          status: row.status === 'dispensed' ? 'dispensed' : row.expiresAt <= now ? 'expired' : 'active',
          patient: { id: row.patientId, name: patient?.name ?? null },
          patientDateOfBirth: patient?.dateOfBirth ?? null,
          prescriber: { id: row.prescriberId, name: people.staff.get(row.prescriberId) ?? null },
          fillsRemaining: row.fillsRemaining,
          issuedAt: row.issuedAt,
          expiresAt: row.expiresAt,
          createdAt: row.createdAt,
          details: detailsOf(payload),
          verification: {
            valid: v?.valid ?? false,
            failure: v?.failure ?? null,
            message: v?.message ?? '',
            keyId: row.keyId,
            algorithm: row.algorithm,
            keyRevokedAt: v?.keyRevokedAt ?? null,
          },
          dispenses: dispenses
            .filter((d) => d.prescriptionId === row.id)
            .map((d) => ({
              fillNumber: d.fillNumber,
              dispensedAt: d.dispensedAt,
              pharmacistId: d.pharmacistId,
            })),
        } satisfies PrescriptionView;
      }),
    );
  }

  /** Patient names (and dates of birth) and staff display names for the rows. */
  private async people(
    rows: readonly PrescriptionRow[],
    withBirthDate = false,
  ): Promise<{
    patients: Map<string, { name: string | null; dateOfBirth: string | null }>;
    staff: Map<string, string | null>;
  }> {
    const { db, dataKeys } = this.deps;
    const staff = await displayNames(
      db,
      rows.map((r) => r.prescriberId),
    );
    const demographics = await findPatientsDemographics(db, [...new Set(rows.map((r) => r.patientId))]);
    const patients = new Map<string, { name: string | null; dateOfBirth: string | null }>();
    await Promise.all(
      demographics.map(async (d) => {
        const open = (field: 'name' | 'dob', ct: Buffer): Promise<string | null> =>
          openText(dataKeys, db, patientField(d.id, field), ct).catch(() => null);
        patients.set(d.id, {
          name: await open('name', d.nameCt),
          dateOfBirth: withBirthDate ? await open('dob', d.dobCt) : null,
        });
      }),
    );
    return { patients, staff };
  }
}

/** The payload of a row when it decrypts, hashes right and parses; undefined otherwise. */
export async function readPayload(
  db: DbOrTx,
  dataKeys: DataKeys,
  row: PrescriptionRow,
): Promise<PrescriptionPayload | undefined> {
  try {
    const bytes = await dataKeys.open(db, payloadContext(row.id, row.patientId), row.payloadCt);
    if (sha256Hex(bytes) !== row.payloadSha256) return undefined;
    return parseCanonicalPayload(bytes.toString('utf8'));
  } catch (err) {
    if (err instanceof IntegrityError || err instanceof PayloadFormatError) return undefined;
    throw err;
  }
}

function detailsOf(p: PrescriptionPayload | undefined): PrescriptionDetails | null {
  if (p === undefined) return null;
  return {
    medicine: p.medicine,
    dose: p.dose,
    route: p.route,
    frequency: p.frequency,
    quantity: p.quantity,
    refills: p.refills,
    instructions: p.instructions,
    override: p.override ?? null,
  };
}
