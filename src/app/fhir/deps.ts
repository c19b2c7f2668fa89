import type { AccessScope } from '../access/index.js';
import type { PatientDemographics, PatientPage } from '../identity/index.js';
import type { NewRecord, RecordSummary, RecordView } from '../records/index.js';
import type { Evidence, PrescriptionView } from '../prescriptions/index.js';

/**
 * What the FHIR adapter uses of the other contexts: their services, as ports. Every call takes
 * the caller's access scope, so the FHIR API reaches and ledgers data exactly as the JSON API
 * does; this context decides nothing about access.
 */
export interface FhirDeps {
  readonly patients: { get(scope: AccessScope, id: string): Promise<PatientDemographics> };
  readonly directory: {
    list(scope: AccessScope, page: { limit?: number; cursor?: string }): Promise<PatientPage>;
  };
  readonly records: {
    get(scope: AccessScope, id: string): Promise<RecordView>;
    readPage(
      scope: AccessScope,
      patientId: string,
      query: {
        types?: readonly string[] | undefined;
        from?: { createdAt: number; id: string; inclusive: boolean } | undefined;
        limit: number;
      },
    ): Promise<RecordView[]>;
    createMany(scope: AccessScope, patientId: string, inputs: readonly NewRecord[]): Promise<RecordSummary[]>;
  };
  readonly prescriptions: {
    get(scope: AccessScope, id: string): Promise<PrescriptionView>;
    forPatient(scope: AccessScope, patientId: string): Promise<PrescriptionView[]>;
    evidence(scope: AccessScope, id: string): Promise<Evidence>;
  };
}
