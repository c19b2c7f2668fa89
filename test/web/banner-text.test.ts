import { describe, expect, it } from 'vitest';
import { accessText, ageOn, allergyText } from '../../web/src/pages/patient-banner/banner-text.js';

describe('the patient banner text', () => {
  it('ages in whole years, the day of the birthday counting', () => {
    const today = new Date(2026, 3, 26); // 26 April 2026, local
    expect(ageOn('1991-04-26', today)).toBe(35);
    expect(ageOn('1991-04-27', today)).toBe(34);
    expect(ageOn('1991-05-01', today)).toBe(34);
    expect(ageOn('2027-01-01', today)).toBeUndefined();
    expect(ageOn('not a date', today)).toBeUndefined();
  });

  it('allergies: listed, none known, or not shared', () => {
    expect(allergyText([{ substance: 'Penicillin', severity: 'moderate' }])).toBe('Penicillin (moderate)');
    expect(allergyText([])).toBe('No known allergies');
    expect(allergyText(null)).toBe('Allergy records are not shared with you');
    expect(allergyText(undefined)).toBe('Allergy records are not shared with you');
  });

  it('how the chart was reached', () => {
    const none = { grantScope: null, recordTypes: null };
    expect(accessText({ relation: 'care_team', ...none })).toBe('Care team');
    expect(accessText({ relation: 'break_glass', ...none })).toMatch(/^Emergency access \(break-glass\)/);
    expect(accessText({ relation: 'self', ...none })).toBe('Your own record');
    expect(accessText({ relation: 'duty', ...none })).toBe('Registration desk');
    expect(accessText({ relation: 'grant', grantScope: 'read_write', recordTypes: null })).toBe(
      'Shared with you by the patient (read and write; all records)',
    );
    expect(accessText({ relation: 'grant', grantScope: 'read', recordTypes: ['lab_result'] })).toMatch(
      /^Shared with you by the patient \(read only; Lab result/,
    );
  });
});
