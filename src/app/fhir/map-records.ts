/**
 * Pure mappers from MedVault records to FHIR R4 resources (docs/fhir.md has the table). Every
 * resource carries the record it came from as an identifier (`RECORD_ID_SYSTEM`) and the record's
 * title as an extension, so an import into another MedVault rebuilds the same records; other
 * systems may ignore both. Ids: the record id for one-to-one types, the record id plus a suffix
 * for the Observations one record yields (`<record>-a3`, `<record>-bp`).
 */
import type {
  AllergyIntolerance,
  Condition,
  DiagnosticReport,
  DocumentReference,
  Immunization,
  Observation,
  Quantity,
  Resource,
} from '@medplum/fhirtypes';
import type { RecordBodies } from '../records/index.js';
import {
  ALLERGY_CLINICAL,
  BLOOD_PRESSURE,
  CONDITION_CATEGORY,
  CONDITION_CLINICAL,
  CONDITION_VERIFICATION,
  CVX,
  EXT_ALLERGY_SEVERITY,
  ICD10,
  INTERPRETATION,
  LAB_LOINC,
  LOINC,
  OBSERVATION_CATEGORY,
  UCUM,
  UCUM_CODES,
  V2_0074,
  VACCINE_CVX,
  VITAL_CODES,
  VITALS_PROFILE,
} from './codes.js';
import {
  dateOr,
  instant,
  patientRef,
  practitionerRef,
  recordIdentifier,
  titleExtension,
  type SourceRecord,
} from './refs.js';

const quantity = (value: number, unit: string): Quantity => {
  const code = UCUM_CODES[unit];
  return code === undefined ? { value, unit } : { value, unit, system: UCUM, code };
};
const category = (code: string, display: string) => [
  { coding: [{ system: OBSERVATION_CATEGORY, code, display }] },
];
const common = (r: SourceRecord) => ({
  identifier: recordIdentifier(r.id),
  extension: titleExtension(r.title),
});

const FLAG_CODES = { low: 'L', normal: 'N', high: 'H', critical: 'AA' } as const;
const FLAG_DISPLAY = { low: 'Low', normal: 'Normal', high: 'High', critical: 'Critical abnormal' } as const;

/** A lab panel: one DiagnosticReport and one Observation per analyte. */
export function labResources(r: SourceRecord): Resource[] {
  const body = r.body as RecordBodies['lab_result'];
  const effective = dateOr(body.collectedAt, r.createdAt);
  const observations: Observation[] = body.analytes.map((a, i) => {
    const loinc = LAB_LOINC[a.name];
    const range =
      a.referenceLow === undefined && a.referenceHigh === undefined
        ? undefined
        : [
            {
              ...(a.referenceLow === undefined ? {} : { low: quantity(a.referenceLow, a.unit) }),
              ...(a.referenceHigh === undefined ? {} : { high: quantity(a.referenceHigh, a.unit) }),
            },
          ];
    return {
      resourceType: 'Observation',
      id: `${r.id}-a${i}`,
      ...common(r),
      status: 'final',
      category: category('laboratory', 'Laboratory'),
      code: {
        ...(loinc === undefined ? {} : { coding: [{ system: LOINC, code: loinc[0], display: loinc[1] }] }),
        text: a.name,
      },
      subject: patientRef(r.patientId),
      effectiveDateTime: effective,
      issued: instant(r.createdAt),
      performer: [practitionerRef(r.authorId, r.authorName)],
      valueQuantity: quantity(a.value, a.unit),
      ...(a.flag === undefined
        ? {}
        : {
            interpretation: [
              {
                coding: [{ system: INTERPRETATION, code: FLAG_CODES[a.flag], display: FLAG_DISPLAY[a.flag] }],
              },
            ],
          }),
      ...(range === undefined ? {} : { referenceRange: range }),
    };
  });
  const report: DiagnosticReport = {
    resourceType: 'DiagnosticReport',
    id: r.id,
    ...common(r),
    status: 'final',
    category: [{ coding: [{ system: V2_0074, code: 'LAB', display: 'Laboratory' }] }],
    code: { text: body.panel },
    subject: patientRef(r.patientId),
    effectiveDateTime: effective,
    issued: instant(r.createdAt),
    performer: [practitionerRef(r.authorId, r.authorName)],
    result: observations.map((o) => ({ reference: `Observation/${o.id}` })),
    ...(body.notes === undefined ? {} : { conclusion: body.notes }),
  };
  return [report, ...observations];
}

/** Vitals: one Observation per measurement, blood pressure as one panel, in the vital-signs profiles. */
export function vitalsResources(r: SourceRecord): Observation[] {
  const body = r.body as RecordBodies['vitals'];
  const effective = body.measuredAt ?? instant(r.createdAt);
  const base = (suffix: string, profile: string | null, code: { loinc: string; display: string }) => ({
    resourceType: 'Observation' as const,
    id: `${r.id}-${suffix}`,
    ...(profile === null ? {} : { meta: { profile: [VITALS_PROFILE(profile)] } }),
    ...common(r),
    status: 'final' as const,
    category:
      profile === null ? category('laboratory', 'Laboratory') : category('vital-signs', 'Vital Signs'),
    code: { coding: [{ system: LOINC, code: code.loinc, display: code.display }], text: code.display },
    subject: patientRef(r.patientId),
    effectiveDateTime: effective,
    issued: instant(r.createdAt),
    performer: [practitionerRef(r.authorId, r.authorName)],
  });
  const out: Observation[] = [];
  const single = (
    key: 'heartRate' | 'weight' | 'temperature' | 'glucose' | 'systolic' | 'diastolic',
    unit: string,
  ) => {
    const value = body[key];
    if (value === undefined) return;
    const c = VITAL_CODES[key];
    out.push({ ...base(c.suffix, c.profile, c), valueQuantity: quantity(value, unit) });
  };
  single('heartRate', 'bpm');
  if (body.systolic !== undefined && body.diastolic !== undefined) {
    out.push({
      ...base(BLOOD_PRESSURE.suffix, 'bp', BLOOD_PRESSURE),
      component: (['systolic', 'diastolic'] as const).map((k) => ({
        code: {
          coding: [{ system: LOINC, code: VITAL_CODES[k].loinc, display: VITAL_CODES[k].display }],
          text: VITAL_CODES[k].display,
        },
        valueQuantity: quantity(body[k]!, 'mmHg'),
      })),
    });
  } else {
    single('systolic', 'mmHg');
    single('diastolic', 'mmHg');
  }
  single('weight', 'kg');
  single('temperature', '°C');
  single('glucose', 'mg/dL');
  return out;
}

export function conditionResource(r: SourceRecord): Condition {
  const body = r.body as RecordBodies['diagnosis'];
  const status = body.status ?? 'active';
  return {
    resourceType: 'Condition',
    id: r.id,
    ...common(r),
    clinicalStatus: {
      coding: [{ system: CONDITION_CLINICAL, code: status === 'resolved' ? 'resolved' : 'active' }],
    },
    verificationStatus: {
      coding: [
        { system: CONDITION_VERIFICATION, code: status === 'suspected' ? 'provisional' : 'confirmed' },
      ],
    },
    category: [{ coding: [{ system: CONDITION_CATEGORY, code: 'encounter-diagnosis' }] }],
    code: { coding: [{ system: ICD10, code: body.icd10, display: body.text }], text: body.text },
    subject: patientRef(r.patientId),
    ...(body.onset === undefined ? {} : { onsetDateTime: body.onset }),
    recordedDate: instant(r.createdAt),
    recorder: practitionerRef(r.authorId, r.authorName),
    ...(body.notes === undefined ? {} : { note: [{ text: body.notes }] }),
  };
}

export function allergyResource(r: SourceRecord): AllergyIntolerance {
  const body = r.body as RecordBodies['allergy'];
  const severity = body.severity === 'life-threatening' ? 'severe' : body.severity;
  return {
    resourceType: 'AllergyIntolerance',
    id: r.id,
    identifier: recordIdentifier(r.id),
    extension: [
      ...titleExtension(r.title),
      // FHIR's reaction severity stops at "severe"; ours says "life-threatening" too.
      { url: EXT_ALLERGY_SEVERITY, valueCode: body.severity },
    ],
    clinicalStatus: { coding: [{ system: ALLERGY_CLINICAL, code: 'active' }] },
    criticality: body.severity === 'severe' || body.severity === 'life-threatening' ? 'high' : 'low',
    code: { text: body.substance },
    patient: patientRef(r.patientId),
    ...(body.notedAt === undefined ? {} : { recordedDate: body.notedAt }),
    recorder: practitionerRef(r.authorId, r.authorName),
    ...(body.reaction === undefined
      ? {}
      : { reaction: [{ manifestation: [{ text: body.reaction }], severity }] }),
  };
}

export function immunizationResource(r: SourceRecord): Immunization {
  const body = r.body as RecordBodies['vaccination'];
  const cvx = VACCINE_CVX[body.vaccine];
  return {
    resourceType: 'Immunization',
    id: r.id,
    ...common(r),
    status: 'completed',
    vaccineCode: {
      ...(cvx === undefined ? {} : { coding: [{ system: CVX, code: cvx[0], display: cvx[1] }] }),
      text: body.vaccine,
    },
    patient: patientRef(r.patientId),
    occurrenceDateTime: body.administeredAt,
    recorded: instant(r.createdAt),
    ...(body.lot === undefined ? {} : { lotNumber: body.lot }),
    ...(body.site === undefined ? {} : { site: { text: body.site } }),
    performer: [{ actor: practitionerRef(r.authorId, r.authorName) }],
    ...(body.doseNumber === undefined
      ? {}
      : { protocolApplied: [{ doseNumberPositiveInt: body.doseNumber }] }),
  };
}

export function documentResource(r: SourceRecord): DocumentReference {
  const body = r.body as RecordBodies['clinical_note'];
  return {
    resourceType: 'DocumentReference',
    id: r.id,
    ...common(r),
    status: 'current',
    type: { coding: [{ system: LOINC, code: '11506-3', display: 'Progress note' }], text: 'Clinical note' },
    subject: patientRef(r.patientId),
    date: instant(r.createdAt),
    author: [practitionerRef(r.authorId, r.authorName)],
    description: r.title,
    content: [
      {
        attachment: {
          contentType: 'text/plain; charset=utf-8',
          data: Buffer.from(body.text, 'utf8').toString('base64'),
          title: r.title,
        },
      },
    ],
  };
}

/** Every resource a record yields (imaging needs its images too: map-imaging.ts). */
export function recordResources(r: SourceRecord): Resource[] {
  switch (r.type) {
    case 'lab_result':
      return labResources(r);
    case 'vitals':
      return vitalsResources(r);
    case 'diagnosis':
      return [conditionResource(r)];
    case 'allergy':
      return [allergyResource(r)];
    case 'vaccination':
      return [immunizationResource(r)];
    case 'clinical_note':
      return [documentResource(r)];
    default:
      return [];
  }
}
