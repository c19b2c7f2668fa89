import { describe, expect, it } from 'vitest';
import { MEDICINE_CATALOG } from '../../src/app/prescriptions/medicine-catalog.js';
import { prescribingWarnings } from '../../src/app/prescriptions/interaction-checks.js';
import { fitWarning } from '../../src/app/prescriptions/prescribing-checks.js';
import {
  allergyTarget,
  classesOf,
  DRUG_CLASSES,
  ingredientsOf,
} from '../../src/contract/vocabulary/drug-classes.js';

/** The pure part of issue 20, point 3: what the catalogue knows and which warnings it gives. */

const med = (name: string, strength = '1 mg') => ({ name, strength });
const codes = (...args: Parameters<typeof prescribingWarnings>) =>
  prescribingWarnings(...args).map((w) => w.code);

describe('the catalogue knows ingredients and classes', () => {
  it('splits combinations and knows other names of one ingredient', () => {
    expect(ingredientsOf('Amoxicillin and clavulanate')).toEqual(['amoxicillin', 'clavulanate']);
    expect(ingredientsOf('Albuterol')).toEqual(['salbutamol']);
    expect(ingredientsOf('Metoprolol succinate')).toEqual(['metoprolol']);
    expect(classesOf(ingredientsOf('Amoxicillin'))).toEqual(['penicillins', 'beta-lactams']);
    expect(classesOf(ingredientsOf('Amoxicillin and clavulanate'))).toEqual([
      'penicillins',
      'beta-lactams',
      'beta-lactamase-inhibitors',
    ]);
  });

  it('every class an ingredient names exists, and every catalogue entry has ingredients', () => {
    for (const m of MEDICINE_CATALOG) {
      const ingredients = ingredientsOf(m.genericName);
      expect(ingredients.length).toBeGreaterThan(0);
      for (const c of classesOf(ingredients)) expect(DRUG_CLASSES[c]).toBeDefined();
    }
  });

  it('reads allergy records as an ingredient or a class', () => {
    expect(allergyTarget('Penicillin')).toEqual({ kind: 'ingredient', ingredient: 'penicillin' });
    expect(allergyTarget(' Sulfonamide  antibiotics ')).toEqual({ kind: 'class', drugClass: 'sulfonamides' });
    expect(allergyTarget('NSAIDs')).toEqual({ kind: 'class', drugClass: 'nsaids' });
    expect(allergyTarget('statins')).toEqual({ kind: 'class', drugClass: 'statins' });
    expect(allergyTarget('Albuterol')).toEqual({ kind: 'ingredient', ingredient: 'salbutamol' });
    expect(allergyTarget('Peanut')).toEqual({ kind: 'ingredient', ingredient: 'peanut' });
  });
});

describe('prescribing warnings', () => {
  const severe = (substance: string) => ({ substance, severity: 'severe' });

  it('allergy to an ingredient the medicine contains', () => {
    const w = prescribingWarnings(med('Amoxicillin and clavulanate'), [severe('Amoxicillin')], []);
    expect(w).toEqual([
      {
        code: 'allergy:amoxicillin',
        kind: 'allergy',
        message:
          'Allergy recorded to Amoxicillin (severe): Amoxicillin and clavulanate contains amoxicillin.',
      },
    ]);
  });

  it('allergy to a class, or to an ingredient of a shared class (cross-sensitivity)', () => {
    expect(codes(med('Sulfamethoxazole and trimethoprim'), [severe('Sulfonamide antibiotics')], [])).toEqual([
      'allergy-class:sulfonamides',
    ]);
    expect(codes(med('Ibuprofen'), [severe('Aspirin')], [])).toEqual(['allergy-class:nsaids']);
    expect(codes(med('Amoxicillin'), [severe('Penicillin')], [])).toEqual(['allergy-class:penicillins']);
    expect(codes(med('Cefalexin'), [severe('Penicillin')], [])).toEqual(['allergy-class:beta-lactams']);
  });

  it('no warning for an unrelated allergy or a class the medicine is not in', () => {
    expect(codes(med('Amoxicillin'), [severe('Peanut'), severe('Latex'), severe('Opioids')], [])).toEqual([]);
    expect(codes(med('Acetaminophen'), [severe('Codeine')], [])).toEqual([]);
  });

  it('same ingredient, else same class, among active prescriptions; each code once', () => {
    expect(codes(med('Albuterol'), [], [med('Salbutamol', '100 mcg')])).toEqual(['duplicate:salbutamol']);
    expect(
      codes(med('Simvastatin'), [], [med('Atorvastatin', '20 mg'), med('Atorvastatin', '40 mg')]),
    ).toEqual(['duplicate-class:statins']);
    expect(codes(med('Metformin'), [], [med('Lisinopril')])).toEqual([]);
    const w = prescribingWarnings(med('Sertraline'), [], [med('Fluoxetine', '20 mg')]);
    expect(w[0]!.message).toBe('Already prescribed and active: Fluoxetine 20 mg, in the same class (SSRIs).');
  });

  it('allergies first, then duplicates', () => {
    expect(codes(med('Amoxicillin'), [severe('Penicillin')], [med('Amoxicillin'), med('Cefalexin')])).toEqual(
      ['allergy-class:penicillins', 'duplicate:amoxicillin', 'duplicate-class:beta-lactams'],
    );
  });

  it('a message longer than the signed payload allows is shortened on a whole character', () => {
    const long = { code: 'x', kind: 'allergy' as const, message: `${'😀'.repeat(400)}` };
    const fitted = fitWarning(long);
    expect(Array.from(fitted.message)).toHaveLength(300);
    expect(fitted.message.endsWith('…')).toBe(true);
    expect(fitWarning({ ...long, message: 'short' }).message).toBe('short');
  });
});
