import { decodeCursor, encodeCursor, type PageCursor } from '../page-cursor.js';
import { findPatientsDemographics, listPatientDemographics } from '../../store/patient-repository.js';
import type { AccessScope, PatientReach, PatientRelation } from '../access/index.js';
import { ledgerIdentityReads } from './identity-reads.js';
import type { PatientServiceDeps } from './patient-deps.js';
import { summarise } from './patients.js';

import {
  DEFAULT_PATIENT_PAGE as DEFAULT_PAGE_SIZE,
  MAX_PATIENT_PAGE as MAX_PAGE_SIZE,
} from '../../contract/vocabulary/paging.js';

export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE };

export interface PatientListItem {
  readonly id: string;
  readonly fullName: string;
  readonly maskedSsn: string;
  /** How the caller reaches the patient (doctors and patients); absent for registrars. */
  readonly relation?: PatientRelation;
}

export interface PatientPage {
  readonly patients: readonly PatientListItem[];
  /** Opaque; pass back as `cursor` for the next page. Null on the last page. */
  readonly nextCursor: string | null;
}

/**
 * Who can pick which patients: a registrar pages through every patient (to register, assign and
 * reset); a doctor lists the patients they can reach, each with its relation; a patient lists
 * only themself. Who is listed and whether each patient is reachable is decided by the access
 * scope, never here. Every patient on a page is a `patient.listed` ledger entry about them (one
 * append per page), with how the caller reached them.
 */
export class PatientDirectory {
  constructor(private readonly deps: PatientServiceDeps) {}

  /** @throws AppError forbidden for roles that never read patients (admin, pharmacist). */
  async list(scope: AccessScope, page: { limit?: number; cursor?: string } = {}): Promise<PatientPage> {
    const limit = Math.min(Math.max(1, Math.trunc(page.limit ?? DEFAULT_PAGE_SIZE)), MAX_PAGE_SIZE);
    const cursor = decodeCursor(page.cursor);
    const directory = await scope.directory(this.deps.db);
    if (directory.everyone) return this.registrarPage(scope, limit, cursor);
    return this.reachablePage(scope, directory.candidates, limit, cursor);
  }

  private async registrarPage(
    scope: AccessScope,
    limit: number,
    cursor: PageCursor | undefined,
  ): Promise<PatientPage> {
    const { db, dataKeys } = this.deps;
    const after = cursor?.t === undefined ? undefined : { createdAt: cursor.t, id: cursor.id };
    const rows = await listPatientDemographics(db, { limit: limit + 1, after });
    const shown = rows.slice(0, limit);
    const patients = await Promise.all(
      shown.map(async (row) => ({ id: row.id, ...(await summarise(dataKeys, db, row)) })),
    );
    await ledgerIdentityReads(
      this.deps.audit,
      db,
      scope,
      'patient.listed',
      'patient_list',
      patients.map((p) => ({ patientId: p.id, details: { relation: 'duty' } })),
    );
    const last = shown[shown.length - 1];
    const nextCursor =
      rows.length > limit && last !== undefined ? encodeCursor({ t: last.createdAt, id: last.id }) : null;
    return { patients, nextCursor };
  }

  private async reachablePage(
    scope: AccessScope,
    candidates: readonly string[],
    limit: number,
    cursor: PageCursor | undefined,
  ): Promise<PatientPage> {
    const { db, dataKeys } = this.deps;
    const reachable: Array<{ id: string; reach: PatientReach }> = [];
    for (const id of candidates) {
      if (cursor !== undefined && id <= cursor.id) continue;
      if (reachable.length > limit) break;
      // A candidate the scope refuses (e.g. a grant that expired this instant) is not listed.
      const reach = await scope.tryPatient(db, id, 'read');
      if (reach !== null) reachable.push({ id, reach });
    }
    const shown = reachable.slice(0, limit);
    const rows = new Map(
      (
        await findPatientsDemographics(
          db,
          shown.map((r) => r.id),
        )
      ).map((r) => [r.id, r]),
    );
    const patients: PatientListItem[] = [];
    const listed: Array<{ patientId: string; reach: PatientReach }> = [];
    for (const { id, reach } of shown) {
      const row = rows.get(id);
      if (row === undefined) continue;
      patients.push({ id, relation: reach.relation, ...(await summarise(dataKeys, db, row)) });
      listed.push({ patientId: id, reach });
    }
    await ledgerIdentityReads(this.deps.audit, db, scope, 'patient.listed', 'patient_list', listed);
    const last = shown[shown.length - 1];
    return {
      patients,
      nextCursor: reachable.length > limit && last !== undefined ? encodeCursor({ id: last.id }) : null,
    };
  }
}
