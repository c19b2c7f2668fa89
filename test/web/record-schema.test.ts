/**
 * The record form's checks (web/src/pages/records/record-schema.ts) agree with the server's body
 * validation (src/app/records/record-types.ts): what the form sends the server accepts, and what
 * the server refuses the form catches first, with the error on the right field.
 */
import { describe, expect, it } from 'vitest';
import { validateBody } from '../../src/app/records/record-types.js';
import {
  checkDraft,
  emptyAnalyte,
  fieldOfServerMessage,
  splitKeywords,
  type RecordDraft,
} from '../../web/src/pages/records/record-draft.js';
import type { WritableType } from '../../web/src/pages/records/record-types.js';

function draft(values: Record<string, string>, over: Partial<RecordDraft> = {}): RecordDraft {
  return { title: 'A title', keywords: '', values, analytes: [emptyAnalyte()], ...over };
}

const analyte = (fields: Partial<ReturnType<typeof emptyAnalyte>>) => ({ ...emptyAnalyte(), ...fields });

const VALID: ReadonlyArray<[WritableType, RecordDraft]> = [
  [
    'lab_result',
    draft(
      { panel: 'CBC', collectedAt: '2026-03-01', notes: 'Fasting.' },
      {
        analytes: [
          analyte({
            name: 'Hemoglobin',
            value: '13,5',
            unit: 'g/dL',
            referenceLow: '12',
            referenceHigh: '16',
            flag: 'normal',
          }),
          analyte({ name: 'WBC', value: '7.1', unit: '10^9/L' }),
          analyte({}),
        ],
      },
    ),
  ],
  [
    'diagnosis',
    draft({ icd10: 'e11.9', text: 'Type 2 diabetes mellitus', status: 'active', onset: '2020-02-29' }),
  ],
  ['clinical_note', draft({ text: 'Patient reports\nless pain.' })],
  ['allergy', draft({ substance: 'Penicillin', severity: 'life-threatening', reaction: 'Anaphylaxis' })],
  [
    'vaccination',
    draft({ vaccine: 'MMR', administeredAt: '2024-05-01', doseNumber: '2', lot: 'A1', site: 'Left deltoid' }),
  ],
  ['imaging', draft({ modality: 'X-ray', bodyPart: 'Chest', findings: 'Clear.', impression: 'Normal.' })],
  ['vitals', draft({ heartRate: '72', weight: '72.5', temperature: '36.6', measuredAt: '2026-03-01T08:30' })],
  ['vitals', draft({ glucose: '10' })],
];

const INVALID: ReadonlyArray<[WritableType, RecordDraft, string]> = [
  ['lab_result', draft({ panel: 'CBC' }), 'analytes'],
  [
    'lab_result',
    draft({ panel: 'CBC' }, { analytes: [analyte({ name: 'Hb', value: 'high', unit: 'g/dL' })] }),
    'analytes.0.value',
  ],
  [
    'lab_result',
    draft(
      { panel: 'CBC' },
      { analytes: [analyte({ name: 'Hb', value: '1', unit: 'g', referenceLow: '5', referenceHigh: '2' })] },
    ),
    'analytes.0.referenceHigh',
  ],
  ['diagnosis', draft({ icd10: 'U07.1', text: 'COVID-19' }), 'icd10'],
  ['diagnosis', draft({ icd10: 'E11.9', text: 'x', onset: '2021-02-29' }), 'onset'],
  ['clinical_note', draft({ text: 'x'.repeat(20_001) }), 'text'],
  ['allergy', draft({ substance: 'Nuts' }), 'severity'],
  ['vaccination', draft({ vaccine: 'MMR', administeredAt: '2024-05-01', doseNumber: '1.5' }), 'doseNumber'],
  ['vaccination', draft({ vaccine: 'MMR', administeredAt: '2024-05-01', doseNumber: '11' }), 'doseNumber'],
  ['imaging', draft({ modality: 'X-Ray', bodyPart: 'Chest', findings: 'f', impression: 'i' }), 'modality'],
  ['vitals', draft({}), 'vitals'],
  ['vitals', draft({ heartRate: '19' }), 'heartRate'],
  ['vitals', draft({ weight: '72.35' }), 'weight'],
  ['vitals', draft({ temperature: '45.1' }), 'temperature'],
  ['vitals', draft({ heartRate: '72.5' }), 'heartRate'],
];

describe('record form checks match the server', () => {
  it.each(VALID)('a valid %s is accepted by the form and by the server', (type, input) => {
    const checked = checkDraft(type, input);
    expect(checked.errors).toEqual({});
    expect(checked.record).toBeDefined();
    expect(() => validateBody(type, checked.record?.body)).not.toThrow();
  });

  it.each(INVALID)('an invalid %s is caught on its field (%#)', (type, input, field) => {
    const checked = checkDraft(type, input);
    expect(checked.record).toBeUndefined();
    expect(Object.keys(checked.errors)).toContain(field);
  });

  it('normalises what it sends: trimmed text, numbers, upper-case ICD-10, ISO date-times', () => {
    const checked = checkDraft('diagnosis', draft({ icd10: ' j45.909 ', text: '  Asthma ' }));
    expect(checked.record?.body).toEqual({ icd10: 'J45.909', text: 'Asthma' });
    const vitals = checkDraft('vitals', draft({ weight: '80,2', measuredAt: '2026-03-01T08:30' }));
    expect(vitals.record?.body.weight).toBe(80.2);
    expect(vitals.record?.body.measuredAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('title and keywords follow the route schema', () => {
    expect(checkDraft('clinical_note', draft({ text: 'x' }, { title: ' ' })).errors.title).toBeDefined();
    expect(
      checkDraft('clinical_note', draft({ text: 'x' }, { title: 'x'.repeat(201) })).errors.title,
    ).toBeDefined();
    const many = Array.from({ length: 21 }, (_, i) => `k${i}`).join(', ');
    expect(
      checkDraft('clinical_note', draft({ text: 'x' }, { keywords: many })).errors.keywords,
    ).toBeDefined();
    expect(splitKeywords('asthma, Asthma ,\n  wheeze,,')).toEqual(['asthma', 'wheeze']);
  });

  it("puts the server's 400 message on the field it names", () => {
    const message = (type: WritableType, body: unknown): string => {
      try {
        validateBody(type, body);
      } catch (error) {
        return (error as Error).message;
      }
      throw new Error('expected a refusal');
    };
    const lab = {
      panel: 'CBC',
      analytes: [{ name: 'Hb', value: 1, unit: 'g', referenceLow: 5, referenceHigh: 2 }],
    };
    expect(fieldOfServerMessage('lab_result', message('lab_result', lab))).toBe('analytes.0.referenceLow');
    expect(fieldOfServerMessage('diagnosis', message('diagnosis', { icd10: 'U07.1', text: 'x' }))).toBe(
      'icd10',
    );
    expect(fieldOfServerMessage('vitals', message('vitals', {}))).toBe('vitals');
    expect(fieldOfServerMessage('vitals', message('vitals', { weight: 72.35 }))).toBe('weight');
  });
});
