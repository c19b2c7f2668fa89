/**
 * The record types a doctor writes, each with the schema its body must match. Bodies are
 * validated here, in the service, so the HTTP API, the CLI seeder and tests share one rule, and
 * a refusal names the offending field ("body.analytes[0].value: …"). Prescriptions are a record
 * type too but are created signed, through the prescriptions service, never here.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { WRITABLE_RECORD_TYPES, type WritableRecordType } from '../../contract/vocabulary/record-types.js';
import { invalidInput } from '../errors.js';
import { MAX_ANALYTES, RECORD_TEXT_LIMITS as L } from '../../contract/vocabulary/record-fields.js';
import {
  MEASURED_VITALS,
  VITAL_METRICS,
  encodeVital,
  type MeasuredVital,
} from '../../contract/vocabulary/vital-metrics.js';

const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const OptText = (maxLength: number) => Type.Optional(Text(maxLength));
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const strict = { additionalProperties: false } as const;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** ICD-10 (WHO / ICD-10-CM): letter (not U), two digits (or digit + A/B), optional subcategory. */
export const ICD10_PATTERN = /^[A-TV-Z][0-9][0-9AB](\.[0-9A-TV-Z]{1,4})?$/;

const LabResult = Type.Object(
  {
    panel: Text(L.labPanel),
    collectedAt: Type.Optional(IsoDate),
    analytes: Type.Array(
      Type.Object(
        {
          name: Text(L.analyteName),
          value: Type.Number(),
          unit: Text(L.analyteUnit),
          referenceLow: Type.Optional(Type.Number()),
          referenceHigh: Type.Optional(Type.Number()),
          flag: Type.Optional(
            Type.Union([
              Type.Literal('low'),
              Type.Literal('normal'),
              Type.Literal('high'),
              Type.Literal('critical'),
            ]),
          ),
        },
        strict,
      ),
      { minItems: 1, maxItems: MAX_ANALYTES },
    ),
    notes: OptText(L.notes),
  },
  strict,
);

const Diagnosis = Type.Object(
  {
    icd10: Type.String({ pattern: ICD10_PATTERN.source, maxLength: 8 }),
    text: Text(L.diagnosisText),
    status: Type.Optional(
      Type.Union([Type.Literal('active'), Type.Literal('resolved'), Type.Literal('suspected')]),
    ),
    onset: Type.Optional(IsoDate),
    notes: OptText(L.notes),
  },
  strict,
);

const ClinicalNote = Type.Object({ text: Text(L.clinicalNote) }, strict);

const Allergy = Type.Object(
  {
    substance: Text(L.substance),
    reaction: OptText(L.reaction),
    severity: Type.Union([
      Type.Literal('mild'),
      Type.Literal('moderate'),
      Type.Literal('severe'),
      Type.Literal('life-threatening'),
    ]),
    notedAt: Type.Optional(IsoDate),
  },
  strict,
);

const Vaccination = Type.Object(
  {
    vaccine: Text(L.vaccine),
    doseNumber: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    administeredAt: IsoDate,
    lot: OptText(L.lot),
    site: OptText(L.site),
  },
  strict,
);

export const IMAGING_MODALITIES = [
  'X-ray',
  'CT',
  'MRI',
  'Ultrasound',
  'Mammography',
  'PET',
  'Other',
] as const;
const Imaging = Type.Object(
  {
    modality: Type.Union(IMAGING_MODALITIES.map((m) => Type.Literal(m))),
    bodyPart: Text(L.bodyPart),
    findings: Text(L.findings),
    impression: Text(L.impression),
  },
  strict,
);

const vitalField = (key: MeasuredVital) => {
  const m = VITAL_METRICS[key];
  return Type.Optional(
    Type.Number({
      minimum: m.min,
      maximum: m.max,
      description: `${m.label} in ${m.unit}, ${m.min}–${m.max}`,
    }),
  );
};
const Vitals = Type.Object(
  {
    heartRate: vitalField('heartRate'),
    systolic: vitalField('systolic'),
    diastolic: vitalField('diastolic'),
    weight: vitalField('weight'),
    temperature: vitalField('temperature'),
    glucose: vitalField('glucose'),
    measuredAt: Type.Optional(Type.String({ pattern: ISO_DATE_TIME.source, maxLength: 40 })),
  },
  strict,
);

/** The body schema of every type a doctor writes through the records service. */
export const BODY_SCHEMAS = {
  lab_result: LabResult,
  diagnosis: Diagnosis,
  clinical_note: ClinicalNote,
  allergy: Allergy,
  vaccination: Vaccination,
  imaging: Imaging,
  vitals: Vitals,
} as const satisfies Record<WritableRecordType, TSchema>;

export { WRITABLE_RECORD_TYPES, type WritableRecordType };

export type RecordBodies = { [K in WritableRecordType]: Static<(typeof BODY_SCHEMAS)[K]> };
export type VitalsBody = RecordBodies['vitals'];
export type DiagnosisBody = RecordBodies['diagnosis'];

/** A validated record of one type: the pair narrows together. */
export type TypedBody = { [K in WritableRecordType]: { type: K; body: RecordBodies[K] } }[WritableRecordType];

const isWritable = (type: string): type is WritableRecordType => Object.hasOwn(BODY_SCHEMAS, type);

/**
 * Checks a body against its type's schema and the rules a schema cannot say.
 * @throws AppError invalid_input naming the type or the first offending field.
 */
export function validateBody(type: string, body: unknown): TypedBody {
  if (type === 'prescription') {
    throw invalidInput(
      'type: prescriptions are created signed, with POST /api/v1/prescriptions.',
      'invalid_type',
    );
  }
  if (!isWritable(type)) {
    throw invalidInput(
      `type: unknown record type "${type.slice(0, 40)}"; use one of ${WRITABLE_RECORD_TYPES.join(', ')}.`,
      'invalid_type',
    );
  }
  const schema: TSchema = BODY_SCHEMAS[type];
  const first = Value.Errors(schema, body).First();
  if (first !== undefined) throw invalidInput(`${fieldPath(first.path)}: ${first.message}.`, 'invalid_body');
  const typed = { type, body } as TypedBody;
  if (typed.type === 'vitals') checkVitals(typed.body);
  if (typed.type === 'lab_result') {
    typed.body.analytes.forEach((a, i) => {
      if (!Number.isFinite(a.value))
        throw invalidInput(`body.analytes[${i}].value: must be a finite number.`, 'invalid_body');
      if (a.referenceLow !== undefined && a.referenceHigh !== undefined && a.referenceLow > a.referenceHigh) {
        throw invalidInput(
          `body.analytes[${i}].referenceLow: must not exceed referenceHigh.`,
          'invalid_body',
        );
      }
    });
  }
  return typed;
}

function checkVitals(body: VitalsBody): void {
  let measured = false;
  for (const key of MEASURED_VITALS) {
    const value = body[key];
    if (value === undefined) continue;
    measured = true;
    const m = VITAL_METRICS[key];
    if (encodeVital(m, value) === null) {
      throw invalidInput(
        `body.${key}: must be ${m.min}–${m.max} ${m.unit} in steps of ${1 / m.scale}.`,
        'invalid_body',
      );
    }
  }
  if (!measured)
    throw invalidInput(`body: give at least one of ${MEASURED_VITALS.join(', ')}.`, 'invalid_body');
  if (body.measuredAt !== undefined && Number.isNaN(Date.parse(body.measuredAt))) {
    throw invalidInput('body.measuredAt: must be an ISO 8601 date-time.', 'invalid_body');
  }
}

/** "/analytes/0/value" → "body.analytes[0].value". */
function fieldPath(pointer: string): string {
  let out = 'body';
  for (const part of pointer.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(key) ? `[${key}]` : `.${key}`;
  }
  return out;
}
