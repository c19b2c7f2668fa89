/**
 * The FHIR R4 read side (docs/fhir.md): read, search and $everything, each answered through the
 * services of the other contexts with the caller's access scope — so a FHIR read reaches exactly
 * what the JSON API reaches, answers the same refusals (404 for what is not the caller's) and
 * leaves the same ledger entries. This file only maps and pages.
 */
import type { Binary, Bundle, Resource } from '@medplum/fhirtypes';
import { DEFAULT_FHIR_PAGE, MAX_FHIR_PAGE, type FhirResourceType } from '../../contract/fhir/routes.js';
import type { AccessScope } from '../access/index.js';
import { invalidInput, notFound } from '../errors.js';
import type { AttachmentDownload, RecordView } from '../records/index.js';
import { searchUrl, searchset } from './bundle.js';
import type { FhirDeps } from './deps.js';
import { auditEventResource } from './map-audit.js';
import { binaryResource, imagingResources } from './map-imaging.js';
import { patientResource } from './map-people.js';
import { medicationRequestResource, provenanceResource } from './map-prescriptions.js';
import { recordResources } from './map-records.js';
import {
  decodePosition,
  encodePosition,
  patientOf,
  resourceFilter,
  values,
  type SearchQuery,
} from './search-params.js';

/** The record types each resource type is made from. */
const RECORD_TYPES_OF: Partial<Record<FhirResourceType, readonly string[]>> = {
  Observation: ['lab_result', 'vitals'],
  Condition: ['diagnosis'],
  AllergyIntolerance: ['allergy'],
  Immunization: ['vaccination'],
  DiagnosticReport: ['lab_result', 'imaging'],
  DocumentReference: ['clinical_note'],
  ImagingStudy: ['imaging'],
};
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/;
/** Records read per round while filling a page. */
const READ_BATCH = 50;

const ofType = (type: string) => (r: Resource) => r.resourceType === type;

export class FhirService {
  constructor(private readonly deps: FhirDeps) {}

  /** One resource by type and id. @throws not_found (also for what the caller may not reach). */
  async read(scope: AccessScope, type: FhirResourceType, id: string): Promise<Resource> {
    const { patients, prescriptions, records } = this.deps;
    switch (type) {
      case 'Patient':
        return patientResource(await patients.get(scope, id));
      case 'MedicationRequest':
        return medicationRequestResource(await prescriptions.get(scope, id));
      case 'Provenance':
        return provenanceResource(await prescriptions.evidence(scope, id));
      default: {
        const recordId = UUID.exec(id)?.[0];
        const types = RECORD_TYPES_OF[type];
        if (recordId === undefined || types === undefined) throw notFound(type);
        const record = await records.get(scope, recordId);
        const found = types.includes(record.type)
          ? (await this.resourcesOf(scope, record)).find((r) => r.resourceType === type && r.id === id)
          : undefined;
        if (found === undefined) throw notFound(type);
        return found;
      }
    }
  }

  /** A search, one page (`_count`, default 50) with self and next links. */
  async search(
    scope: AccessScope,
    type: FhirResourceType,
    query: SearchQuery,
    base: string,
  ): Promise<Bundle> {
    const count = Math.min(Number(query._count ?? DEFAULT_FHIR_PAGE), MAX_FHIR_PAGE);
    const self = { relation: 'self', url: searchUrl(base, type, query, query._cursor as string | undefined) };
    if (type === 'Patient') return this.searchPatients(scope, query, count, base, self);
    const patientId = patientOf(query);
    if (patientId === undefined && !(type === 'Provenance' && values(query, 'target').length > 0))
      throw invalidInput(`${type} searches name the patient: add patient=<id>.`);
    const filter = resourceFilter(query);
    if (type === 'MedicationRequest' || type === 'Provenance') {
      const all = (await this.prescriptionResources(scope, type, patientId, query)).filter(filter);
      const offset = decodePosition(query._cursor as string | undefined)?.k ?? 0;
      const shown = all.slice(offset, offset + count);
      const next =
        offset + count < all.length
          ? [
              {
                relation: 'next',
                url: searchUrl(base, type, query, encodePosition({ t: 0, id: '-', k: offset + count })),
              },
            ]
          : [];
      return searchset(base, shown, [self, ...next], all.length);
    }
    const page = await this.recordPage(
      scope,
      patientId!,
      type,
      filter,
      count,
      query._cursor as string | undefined,
    );
    const next =
      page.next === undefined
        ? []
        : [{ relation: 'next', url: searchUrl(base, type, query, encodePosition(page.next)) }];
    return searchset(base, page.resources, [self, ...next]);
  }

  /** Patient/<id>/$everything: the patient and every resource of theirs the caller may read, one Bundle. */
  async everything(scope: AccessScope, patientId: string, base: string): Promise<Bundle> {
    const patient = patientResource(await this.deps.patients.get(scope, patientId));
    const resources: Resource[] = [patient];
    for await (const record of this.allRecords(scope, patientId, undefined)) {
      if (record.type !== 'imaging') {
        resources.push(...recordResources(record));
        continue;
      }
      // The images travel inside the Bundle, so an import elsewhere receives them too.
      const images = await this.deps.attachments.list(scope, record.id);
      resources.push(...imagingResources(record, images));
      for (const image of images) {
        const { bytes } = await this.deps.attachments.readWhole(scope, image.id, record.id);
        resources.push(binaryResource(image, record.id, bytes));
      }
    }
    const covered = await this.deps.prescriptions.forPatient(scope, patientId).catch(ignoreNotCovered);
    for (const rx of covered) {
      resources.push(medicationRequestResource(rx));
      resources.push(provenanceResource(await this.deps.prescriptions.evidence(scope, rx.id)));
    }
    return searchset(
      base,
      resources,
      [{ relation: 'self', url: `${base}/Patient/${patientId}/$everything` }],
      resources.length,
    );
  }

  /**
   * AuditEvent?patient=<id>: the patient's access history, one AuditEvent per line of the JSON
   * access log (same service, same access: the patient their own, admins any; others refused).
   */
  async auditEvents(scope: AccessScope, query: SearchQuery, base: string): Promise<Bundle> {
    const patientId = patientOf(query);
    if (patientId === undefined)
      throw invalidInput('AuditEvent searches name the patient: add patient=<id>.');
    const cursor = query._cursor as string | undefined;
    const page = await this.deps.accessLog.list(scope, patientId, {
      cursor,
      limit: Math.min(Number(query._count ?? DEFAULT_FHIR_PAGE), MAX_FHIR_PAGE),
    });
    const links = [{ relation: 'self', url: searchUrl(base, 'AuditEvent', query, cursor) }];
    if (page.nextCursor !== null)
      links.push({ relation: 'next', url: searchUrl(base, 'AuditEvent', query, page.nextCursor) });
    return searchset(
      base,
      page.entries.map((e) => auditEventResource(patientId, e)),
      links,
    );
  }

  /** Binary/<id> as a resource: the verified bytes in base64 (read and ledgered as a download). */
  async binary(scope: AccessScope, id: string): Promise<Binary> {
    const { attachment, bytes } = await this.deps.attachments.readWhole(scope, id);
    return binaryResource(attachment, attachment.recordId, bytes);
  }

  /** Binary/<id> as its own bytes: the attachment download, streamed. */
  async binaryContent(scope: AccessScope, id: string): Promise<AttachmentDownload> {
    return this.deps.attachments.openById(scope, id);
  }

  /** The resources a record yields; an imaging record's name its images (listed through the scope). */
  private async resourcesOf(scope: AccessScope, record: RecordView): Promise<Resource[]> {
    if (record.type !== 'imaging') return recordResources(record);
    return imagingResources(record, await this.deps.attachments.list(scope, record.id));
  }

  private async searchPatients(
    scope: AccessScope,
    query: SearchQuery,
    count: number,
    base: string,
    self: { relation: string; url: string },
  ): Promise<Bundle> {
    const ids = values(query, '_id');
    if (ids.length > 0) {
      const found: Resource[] = [];
      for (const id of ids.slice(0, MAX_FHIR_PAGE)) {
        const one = await this.deps.patients.get(scope, id).catch(ignoreNotFound);
        if (one !== undefined) found.push(patientResource(one));
      }
      return searchset(base, found, [self], found.length);
    }
    const cursor = query._cursor as string | undefined;
    const page = await this.deps.directory.list(scope, {
      limit: count,
      ...(cursor === undefined ? {} : { cursor }),
    });
    const found = await Promise.all(
      page.patients.map(async (p) => patientResource(await this.deps.patients.get(scope, p.id))),
    );
    const next =
      page.nextCursor === null
        ? []
        : [{ relation: 'next', url: searchUrl(base, 'Patient', query, page.nextCursor) }];
    return searchset(base, found, [self, ...next]);
  }

  private async prescriptionResources(
    scope: AccessScope,
    type: 'MedicationRequest' | 'Provenance',
    patientId: string | undefined,
    query: SearchQuery,
  ): Promise<Resource[]> {
    const { prescriptions } = this.deps;
    if (type === 'Provenance' && patientId === undefined) {
      const targets = values(query, 'target').map((t) => t.replace(/^MedicationRequest\//, ''));
      const out: Resource[] = [];
      for (const id of targets.slice(0, MAX_FHIR_PAGE)) {
        const e = await prescriptions.evidence(scope, id).catch(ignoreNotFound);
        if (e !== undefined) out.push(provenanceResource(e));
      }
      return out;
    }
    const list = await prescriptions.forPatient(scope, patientId!);
    if (type === 'MedicationRequest') return list.map(medicationRequestResource);
    const out: Resource[] = [];
    for (const rx of list) out.push(provenanceResource(await prescriptions.evidence(scope, rx.id)));
    return out;
  }

  /**
   * One page of the resources of `type` made from a patient's records, newest record first,
   * resuming inside the record where the last page stopped.
   */
  private async recordPage(
    scope: AccessScope,
    patientId: string,
    type: FhirResourceType,
    filter: (r: Resource) => boolean,
    count: number,
    cursor: string | undefined,
  ): Promise<{ resources: Resource[]; next?: { t: number; id: string; k: number } }> {
    const at = decodePosition(cursor);
    const resources: Resource[] = [];
    for await (const record of this.allRecords(scope, patientId, RECORD_TYPES_OF[type], at, count)) {
      const matching = (await this.resourcesOf(scope, record)).filter(ofType(type)).filter(filter);
      const skip = at !== undefined && record.id === at.id && record.createdAt === at.t ? at.k : 0;
      for (let k = skip; k < matching.length; k++) {
        if (resources.length === count) return { resources, next: { t: record.createdAt, id: record.id, k } };
        resources.push(matching[k]!);
      }
    }
    return { resources };
  }

  /** The patient's records of `types` from a position, read in batches through the records service. */
  private async *allRecords(
    scope: AccessScope,
    patientId: string,
    types: readonly string[] | undefined,
    at?: { t: number; id: string },
    batch = READ_BATCH,
  ): AsyncGenerator<RecordView> {
    let from = at === undefined ? undefined : { createdAt: at.t, id: at.id, inclusive: true };
    const limit = Math.min(Math.max(batch + 1, 2), MAX_FHIR_PAGE);
    for (;;) {
      const page = await this.deps.records.readPage(scope, patientId, { types, from, limit });
      yield* page;
      const last = page[page.length - 1];
      if (page.length < limit || last === undefined) return;
      from = { createdAt: last.createdAt, id: last.id, inclusive: false };
    }
  }
}

function ignoreNotFound(err: unknown): undefined {
  if (isCode(err, 'not_found')) return undefined;
  throw err;
}

/** A reach that does not cover prescriptions (a grant of other types) leaves them out of $everything. */
function ignoreNotCovered(err: unknown): never[] {
  if (isCode(err, 'not_found')) return [];
  throw err;
}

const isCode = (err: unknown, code: string): boolean =>
  typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
