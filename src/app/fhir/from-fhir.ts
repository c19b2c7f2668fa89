/**
 * FHIR R4 resources back to MedVault records (the import, docs/fhir.md): pure. Resources one
 * record made (same `RECORD_ID_SYSTEM` identifier: a lab panel's report and analytes, a visit's
 * vitals) become that one record again; others become a record each. What cannot become a valid
 * record is refused with the entry named (`Bundle.entry[3] (Observation/x): …`); prescriptions are
 * not imported (a prescription is created only by its prescriber's signature) and Patient names
 * the patient, who is the one in the path.
 */
import type {
  AllergyIntolerance,
  CodeableConcept,
  Condition,
  DiagnosticReport,
  DocumentReference,
  Immunization,
  Observation,
  Resource,
} from '@medplum/fhirtypes';
import type { NewRecord } from '../records/index.js';
import {
  BLOOD_PRESSURE,
  CONDITION_CLINICAL,
  CONDITION_VERIFICATION,
  EXT_ALLERGY_SEVERITY,
  INTERPRETATION,
  LOINC,
  RECORD_ID_SYSTEM,
  VITAL_CODES,
} from './codes.js';
import { Binaries, imagingRecord, isImagingReport } from './from-fhir-imaging.js';
import { bad, isCategory, titleOf, type Entry, type PlannedRecord } from './import-entry.js';

export { entryName, type Entry, type PlannedImage, type PlannedRecord } from './import-entry.js';

export interface ImportPlan {
  readonly records: readonly PlannedRecord[];
  /** Entries left out, with why (prescriptions; the Patient). */
  readonly skipped: ReadonlyArray<{ index: number; reason: string }>;
}

const NOT_IMPORTED = new Set(['MedicationRequest', 'Provenance', 'Patient']);
const SUPPORTED = new Set([
  'Observation',
  'DiagnosticReport',
  'Condition',
  'AllergyIntolerance',
  'Immunization',
  'DocumentReference',
  'ImagingStudy',
]);

const groupOf = (r: Resource): string | undefined =>
  (r as { identifier?: Array<{ system?: string; value?: string }> }).identifier?.find(
    (i) => i.system === RECORD_ID_SYSTEM,
  )?.value;
const textOf = (c: CodeableConcept | undefined): string | undefined =>
  c?.text ?? c?.coding?.find((x) => x.display)?.display;
const codeIn = (c: CodeableConcept | undefined, system: string): string | undefined =>
  c?.coding?.find((x) => x.system === system)?.code;
const day = (s: string | undefined): string | undefined => (s === undefined ? undefined : s.slice(0, 10));
const VITAL_BY_LOINC: ReadonlyMap<string, string> = new Map(
  Object.entries(VITAL_CODES).map(([key, c]) => [c.loinc, key]),
);
const FLAGS: Record<string, 'low' | 'normal' | 'high' | 'critical'> = {
  L: 'low',
  N: 'normal',
  H: 'high',
  AA: 'critical',
  LL: 'critical',
  HH: 'critical',
};

/** Plans the records of a bundle's entries. @throws invalid_input naming the first entry that cannot be imported. */
export function planImport(entries: readonly Entry[]): ImportPlan {
  const skipped: Array<{ index: number; reason: string }> = [];
  const groups = new Map<string, Entry[]>();
  const singles: Entry[] = [];
  const binaries = new Binaries(entries);
  for (const e of entries) {
    const type = e.resource.resourceType;
    if (type === 'Binary') continue;
    if (NOT_IMPORTED.has(type)) {
      skipped.push({
        index: e.index,
        reason:
          type === 'Patient'
            ? 'the patient is the one in the path'
            : 'prescriptions are created only by their prescriber signing them',
      });
      continue;
    }
    if (!SUPPORTED.has(type)) throw bad(e, `${type} is not a type MedVault imports.`);
    const g = shaped(e, () => groupOf(e.resource));
    if (g === undefined) singles.push(e);
    else groups.set(g, [...(groups.get(g) ?? []), e]);
  }
  // A lab report without our identifier still takes the Observations it lists as results.
  const byRef = new Map(singles.map((e) => [`${e.resource.resourceType}/${e.resource.id ?? ''}`, e]));
  const taken = new Set<number>();
  const records: PlannedRecord[] = [];
  for (const e of singles) {
    if (e.resource.resourceType !== 'DiagnosticReport') continue;
    const report = e.resource as DiagnosticReport;
    const results = shaped(e, () =>
      [...(report.result ?? []), ...(report.imagingStudy ?? [])]
        .map((r) => byRef.get(r.reference ?? ''))
        .filter((x): x is Entry => x !== undefined),
    );
    results.forEach((r) => taken.add(r.index));
    taken.add(e.index);
    records.push(shaped(e, () => planGroup([e, ...results], binaries)));
  }
  for (const e of singles) if (!taken.has(e.index)) records.push(shaped(e, () => planGroup([e], binaries)));
  for (const group of groups.values()) records.push(shaped(group[0]!, () => planGroup(group, binaries)));
  records.sort((a, b) => a.entries[0]! - b.entries[0]!);
  for (const index of binaries.unused())
    skipped.push({ index, reason: 'a Binary is imported only as an image an imaging report names' });
  return { records, skipped };
}

/**
 * Reads a resource as its FHIR type; one whose elements are not of their types (an object where a
 * list belongs, a number for a string) is a 400 naming the entry, never a crash.
 */
function shaped<T>(e: Entry, read: () => T): T {
  try {
    return read();
  } catch (err) {
    if (err instanceof TypeError) throw bad(e, 'an element does not have its FHIR type.');
    throw err;
  }
}

function planGroup(group: readonly Entry[], binaries: Binaries): PlannedRecord {
  const entries = group.map((e) => e.index);
  const first = group[0]!;
  const report = group.find((e) => e.resource.resourceType === 'DiagnosticReport');
  const study = group.find((e) => e.resource.resourceType === 'ImagingStudy');
  if (study !== undefined || (report !== undefined && isImagingReport(report.resource as DiagnosticReport)))
    return imagingRecord(report, study, entries, binaries);
  const observations = group.filter((e) => e.resource.resourceType === 'Observation');
  if (report !== undefined || observations.some((o) => !isVital(o.resource as Observation)))
    return { record: labRecord(report, observations), entries };
  if (observations.length > 0) return { record: vitalsRecord(observations), entries };
  if (group.length > 1) throw bad(group[1]!, 'more than one resource names the same MedVault record.');
  switch (first.resource.resourceType) {
    case 'Condition':
      return { record: diagnosisRecord(first, first.resource as Condition), entries };
    case 'AllergyIntolerance':
      return { record: allergyRecord(first, first.resource as AllergyIntolerance), entries };
    case 'Immunization':
      return { record: vaccinationRecord(first, first.resource as Immunization), entries };
    default:
      return { record: noteRecord(first, first.resource as DocumentReference), entries };
  }
}

const isVital = (o: Observation): boolean => {
  const code = codeIn(o.code, LOINC);
  return (
    (isCategory(o, 'vital-signs') || code === VITAL_CODES.glucose.loinc) &&
    code !== undefined &&
    (VITAL_BY_LOINC.has(code) || code === BLOOD_PRESSURE.loinc)
  );
};

function labRecord(report: Entry | undefined, observations: readonly Entry[]): NewRecord {
  const r = report?.resource as DiagnosticReport | undefined;
  const where = report ?? observations[0]!;
  if (observations.length === 0)
    throw bad(where, 'a lab report needs its result Observations in the bundle.');
  const analytes = observations.map((e) => {
    const o = e.resource as Observation;
    const q = o.valueQuantity;
    if (q?.value === undefined) throw bad(e, 'a lab result needs valueQuantity.value.');
    const unit = q.unit ?? q.code;
    if (unit === undefined) throw bad(e, 'a lab result needs a unit.');
    const range = o.referenceRange?.[0];
    const flag = o.interpretation?.[0]?.coding?.find((c) => c.system === INTERPRETATION)?.code;
    return {
      name: textOf(o.code) ?? '',
      value: q.value,
      unit,
      ...(range?.low?.value === undefined ? {} : { referenceLow: range.low.value }),
      ...(range?.high?.value === undefined ? {} : { referenceHigh: range.high.value }),
      ...(flag === undefined || FLAGS[flag] === undefined ? {} : { flag: FLAGS[flag] }),
    };
  });
  const firstObs = observations[0]!.resource as Observation;
  const panel = textOf(r?.code) ?? textOf(firstObs.code) ?? 'Lab result';
  const collectedAt = day(r?.effectiveDateTime ?? firstObs.effectiveDateTime);
  return {
    type: 'lab_result',
    title: titleOf(r ?? firstObs, panel),
    body: {
      panel,
      ...(collectedAt === undefined ? {} : { collectedAt }),
      analytes,
      ...(r?.conclusion === undefined ? {} : { notes: r.conclusion }),
    },
  };
}

function vitalsRecord(observations: readonly Entry[]): NewRecord {
  const body: Record<string, number | string> = {};
  for (const e of observations) {
    const o = e.resource as Observation;
    const code = codeIn(o.code, LOINC)!;
    if (code === BLOOD_PRESSURE.loinc) {
      for (const c of o.component ?? []) {
        const key = VITAL_BY_LOINC.get(codeIn(c.code, LOINC) ?? '');
        if (key !== undefined && c.valueQuantity?.value !== undefined) body[key] = c.valueQuantity.value;
      }
    } else {
      const value = o.valueQuantity?.value;
      if (value === undefined) throw bad(e, 'a vital sign needs valueQuantity.value.');
      body[VITAL_BY_LOINC.get(code)!] = value;
    }
    if (o.effectiveDateTime !== undefined && o.effectiveDateTime.length > 10)
      body.measuredAt = o.effectiveDateTime;
  }
  return { type: 'vitals', title: titleOf(observations[0]!.resource as Observation, 'Vitals'), body };
}

function diagnosisRecord(e: Entry, c: Condition): NewRecord {
  const icd10 = c.code?.coding?.find((x) => /icd-10/.test(x.system ?? ''))?.code;
  if (icd10 === undefined)
    throw bad(e, 'a Condition needs an ICD-10 coding (http://hl7.org/fhir/sid/icd-10).');
  const text = textOf(c.code) ?? icd10;
  const clinical = codeIn(c.clinicalStatus, CONDITION_CLINICAL);
  const verification = codeIn(c.verificationStatus, CONDITION_VERIFICATION);
  const status =
    verification === 'provisional' || verification === 'differential'
      ? 'suspected'
      : clinical === 'resolved' || clinical === 'inactive' || clinical === 'remission'
        ? 'resolved'
        : 'active';
  const onset = day(c.onsetDateTime);
  const notes = c.note?.map((n) => n.text).join('\n');
  return {
    type: 'diagnosis',
    title: titleOf(c, text),
    body: { icd10, text, status, ...(onset === undefined ? {} : { onset }), ...(notes ? { notes } : {}) },
  };
}

function allergyRecord(e: Entry, a: AllergyIntolerance): NewRecord {
  const substance = textOf(a.code);
  if (substance === undefined) throw bad(e, 'an AllergyIntolerance needs code.text or a coding display.');
  const ours = a.extension?.find((x) => x.url === EXT_ALLERGY_SEVERITY)?.valueCode;
  const severity = ours ?? a.reaction?.[0]?.severity ?? (a.criticality === 'high' ? 'severe' : 'mild');
  const reaction = a.reaction?.[0]?.manifestation?.map(textOf).filter(Boolean).join(', ');
  const notedAt = day(a.recordedDate);
  return {
    type: 'allergy',
    title: titleOf(a, `${substance} allergy`),
    body: {
      substance,
      severity,
      ...(reaction ? { reaction } : {}),
      ...(notedAt === undefined ? {} : { notedAt }),
    },
  };
}

function vaccinationRecord(e: Entry, i: Immunization): NewRecord {
  const vaccine = textOf(i.vaccineCode);
  const administeredAt = day(i.occurrenceDateTime);
  if (vaccine === undefined) throw bad(e, 'an Immunization needs vaccineCode.text or a coding display.');
  if (administeredAt === undefined) throw bad(e, 'an Immunization needs occurrenceDateTime.');
  const dose = i.protocolApplied?.[0]?.doseNumberPositiveInt;
  return {
    type: 'vaccination',
    title: titleOf(i, vaccine),
    body: {
      vaccine,
      administeredAt,
      ...(dose === undefined ? {} : { doseNumber: dose }),
      ...(i.lotNumber === undefined ? {} : { lot: i.lotNumber }),
      ...(i.site?.text === undefined ? {} : { site: i.site.text }),
    },
  };
}

function noteRecord(e: Entry, d: DocumentReference): NewRecord {
  const attachment = d.content?.find((c) => c.attachment.contentType?.startsWith('text/plain'))?.attachment;
  if (attachment?.data === undefined)
    throw bad(e, 'a DocumentReference needs a text/plain attachment with data.');
  const text = Buffer.from(attachment.data, 'base64').toString('utf8');
  return {
    type: 'clinical_note',
    title: titleOf(d, d.description ?? attachment.title ?? 'Clinical note'),
    body: { text },
  };
}
