/**
 * Patient/<id>/$import (docs/fhir.md): a doctor who may write for the patient posts a Bundle
 * (transaction, batch, collection, or the searchset $everything answers) of the supported types.
 * Every entry is checked and planned into records before anything is written; any entry that
 * cannot become a valid record → 400 naming it, nothing created. Then all records are created
 * through the records service in ONE transaction (createMany): as if typed, all or nothing.
 */
import { Readable } from 'node:stream';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import type { AccessScope } from '../access/index.js';
import { AppError, invalidInput } from '../errors.js';
import type { FhirDeps } from './deps.js';
import { entryName, planImport, type Entry } from './from-fhir.js';

export const MAX_IMPORT_ENTRIES = 2000;
const BUNDLE_TYPES = new Set(['transaction', 'batch', 'collection', 'searchset']);

export class FhirImport {
  constructor(private readonly deps: FhirDeps) {}

  async import(scope: AccessScope, patientId: string, bundle: unknown): Promise<Bundle> {
    // Who may not reach the patient learns nothing from how their bundle is refused: 404 first.
    await this.deps.patients.get(scope, patientId);
    const entries = entriesOf(bundle);
    checkOnePatient(entries);
    const plan = planImport(entries);
    // Every image is checked (type, bytes, size) before anything is created.
    for (const p of plan.records)
      for (const image of p.images ?? []) {
        try {
          this.deps.attachments.checkContent(image.contentType, image.bytes);
        } catch (err) {
          throw err instanceof AppError
            ? new AppError(err.code, `${entryName(entries[image.entry]!)}: ${err.message}`)
            : err;
        }
      }
    let created;
    try {
      created = await this.deps.records.createMany(
        scope,
        patientId,
        plan.records.map((p) => p.record),
      );
    } catch (err) {
      throw renamed(err, (i) => {
        const first = plan.records[i]?.entries[0];
        return first === undefined ? undefined : entryName(entries[first]!);
      });
    }
    // The images go to attachment storage after the records committed (an upload has its own
    // transactions: the bytes stream to files or chunks), each a normal upload of the importer's.
    const stored = new Map<number, string>();
    for (const [i, p] of plan.records.entries())
      for (const image of p.images ?? []) {
        const view = await this.deps.attachments.upload(scope, created[i]!.id, async () => ({
          fileName: image.fileName,
          contentType: image.contentType,
          content: Readable.from([image.bytes]),
        }));
        stored.set(image.entry, view.id);
      }
    const response: BundleEntry[] = entries.map((e) => ({
      response: { status: '200 OK' },
      ...(e.resource.resourceType === 'Patient'
        ? { response: { status: '200 OK', location: `Patient/${patientId}` } }
        : {}),
    }));
    plan.records.forEach((p, i) => {
      for (const index of p.entries) {
        const type = entries[index]!.resource.resourceType;
        // One record, one resource of the same id, except the Observations a record yields.
        const id = type === 'Binary' ? stored.get(index) : created[i]!.id;
        const location = type === 'Observation' ? {} : { location: `${type}/${id ?? ''}` };
        response[index] = { response: { status: '201 Created', ...location } };
      }
    });
    for (const s of plan.skipped)
      if (entries[s.index]!.resource.resourceType !== 'Patient')
        response[s.index] = {
          response: {
            status: '200 OK',
            outcome: {
              resourceType: 'OperationOutcome',
              issue: [
                {
                  severity: 'warning',
                  code: 'not-supported',
                  details: { text: `Not imported: ${s.reason}.` },
                },
              ],
            },
          },
        };
    return { resourceType: 'Bundle', type: 'transaction-response', entry: response };
  }
}

function entriesOf(bundle: unknown): Entry[] {
  const b = bundle as Partial<Bundle> | null;
  if (typeof b !== 'object' || b === null || b.resourceType !== 'Bundle')
    throw invalidInput('Bundle: the body must be a FHIR Bundle.');
  if (b.type === undefined || !BUNDLE_TYPES.has(b.type))
    throw invalidInput(`Bundle.type: must be one of ${[...BUNDLE_TYPES].join(', ')}.`);
  const list = b.entry ?? [];
  if (!Array.isArray(list) || list.length === 0) throw invalidInput('Bundle.entry: nothing to import.');
  if (list.length > MAX_IMPORT_ENTRIES)
    throw invalidInput(`Bundle.entry: at most ${MAX_IMPORT_ENTRIES} entries.`);
  return list.map((e, index) => {
    const resource = (e as BundleEntry | null)?.resource as Resource | undefined;
    if (typeof resource !== 'object' || resource === null || typeof resource.resourceType !== 'string')
      throw invalidInput(`Bundle.entry[${index}]: has no resource.`);
    const fullUrl = (e as BundleEntry).fullUrl;
    return { index, resource, ...(typeof fullUrl === 'string' ? { fullUrl } : {}) };
  });
}

/** The resources are about one patient: references to two different patients are refused. */
function checkOnePatient(entries: readonly Entry[]): void {
  let seen: string | undefined;
  for (const e of entries) {
    const r = e.resource as { subject?: { reference?: string }; patient?: { reference?: string } };
    const ref = r.subject?.reference ?? r.patient?.reference;
    if (ref === undefined) continue;
    if (typeof ref !== 'string' || !ref.startsWith('Patient/'))
      throw invalidInput(`${entryName(e)}: the subject must be a Patient.`);
    if (seen !== undefined && ref !== seen)
      throw invalidInput(`${entryName(e)}: the bundle is about more than one patient.`);
    seen = ref;
  }
}

/** A refusal of createMany names `records[i]`; say which bundle entry that record came from. */
function renamed(err: unknown, name: (i: number) => string | undefined): unknown {
  if (!(err instanceof AppError)) return err;
  const m = /^records\[(\d+)\]\.(.*)$/s.exec(err.message);
  const where = m === null ? undefined : name(Number(m[1]));
  return where === undefined ? err : new AppError(err.code, `${where}: ${m![2]}`);
}
