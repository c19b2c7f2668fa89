import type { AccessScope } from '../access/index.js';
import type { PatientDemographics, PatientPage } from '../identity/index.js';
import type {
  AccessLogPage,
  AttachmentDownload,
  AttachmentView,
  IncomingFile,
  NewRecord,
  RecordSummary,
  RecordView,
} from '../records/index.js';
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
  /** The images of imaging records (FHIR's Binary), read and ledgered as the JSON download is. */
  readonly attachments: {
    list(scope: AccessScope, recordId: string): Promise<AttachmentView[]>;
    openById(scope: AccessScope, attachmentId: string): Promise<AttachmentDownload>;
    readWhole(
      scope: AccessScope,
      attachmentId: string,
      recordId?: string,
    ): Promise<{ attachment: AttachmentView; bytes: Buffer }>;
    checkContent(contentType: string, bytes: Buffer): void;
    upload(
      scope: AccessScope,
      recordId: string,
      receive: () => Promise<IncomingFile>,
    ): Promise<AttachmentView>;
  };
  /** The patient's access history (AuditEvent), as the JSON access-log route reads it. */
  readonly accessLog: {
    list(
      scope: AccessScope,
      patientId: string,
      query: { cursor?: string | undefined; limit?: number | undefined },
    ): Promise<AccessLogPage>;
  };
}
