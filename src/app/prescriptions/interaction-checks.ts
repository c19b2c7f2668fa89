import {
  allergyTarget,
  classesOf,
  classesOfIngredient,
  classLabel,
  ingredientsOf,
  type DrugClass,
} from '../../contract/vocabulary/drug-classes.js';

/** A medicine as the checks see it: its name and strength (for messages) and its ingredients. */
export interface CheckedMedicine {
  readonly name: string;
  readonly strength: string;
}

/** One allergy record of the patient (its body's fields). */
export interface KnownAllergy {
  readonly substance: string;
  readonly severity: string;
}

/**
 * A reason to stop and think before prescribing: the code says what matched (stable, no free
 * text: `allergy:<ingredient>`, `allergy-class:<class>`, `duplicate:<ingredient>`,
 * `duplicate-class:<class>`), the message says it to the doctor and the pharmacist.
 */
export interface PrescribingWarning {
  readonly code: string;
  readonly kind: 'allergy' | 'duplicate';
  readonly message: string;
}

const firstShared = (a: readonly DrugClass[], b: readonly DrugClass[]): DrugClass | undefined =>
  a.find((c) => b.includes(c));

/**
 * The warnings for prescribing `medicine` to a patient with these allergies and these active
 * prescriptions (issue 20, point 3). Pure; each code at most once, allergies first.
 *
 * - allergy to an ingredient the medicine contains → `allergy:<ingredient>`;
 * - allergy to a class the medicine is in, or to an ingredient sharing a class with it
 *   (cross-sensitivity: penicillin → amoxicillin) → `allergy-class:<narrowest shared class>`;
 * - an active prescription with an ingredient in common → `duplicate:<ingredient>`;
 * - otherwise one in the same class → `duplicate-class:<narrowest shared class>`.
 */
export function prescribingWarnings(
  medicine: CheckedMedicine,
  allergies: readonly KnownAllergy[],
  active: readonly CheckedMedicine[],
): PrescribingWarning[] {
  const ingredients = ingredientsOf(medicine.name);
  const classes = classesOf(ingredients);
  const out = new Map<string, PrescribingWarning>();
  const add = (w: PrescribingWarning): void => {
    if (!out.has(w.code)) out.set(w.code, w);
  };
  for (const allergy of allergies) {
    const target = allergyTarget(allergy.substance);
    const recorded = `Allergy recorded to ${allergy.substance} (${allergy.severity})`;
    if (target.kind === 'class') {
      if (classes.includes(target.drugClass))
        add({
          code: `allergy-class:${target.drugClass}`,
          kind: 'allergy',
          message: `${recorded}: ${medicine.name} is one of the ${classLabel(target.drugClass)}.`,
        });
      continue;
    }
    if (ingredients.includes(target.ingredient)) {
      add({
        code: `allergy:${target.ingredient}`,
        kind: 'allergy',
        message: `${recorded}: ${medicine.name} contains ${target.ingredient}.`,
      });
      continue;
    }
    const shared = firstShared(classesOfIngredient(target.ingredient), classes);
    if (shared !== undefined)
      add({
        code: `allergy-class:${shared}`,
        kind: 'allergy',
        message: `${recorded}: ${medicine.name} is in the same class (${classLabel(shared)}).`,
      });
  }
  for (const other of active) {
    const theirs = ingredientsOf(other.name);
    const common = ingredients.find((i) => theirs.includes(i));
    const named = `${other.name} ${other.strength}`;
    if (common !== undefined) {
      add({
        code: `duplicate:${common}`,
        kind: 'duplicate',
        message: `Already prescribed and active: ${named}, which also contains ${common}.`,
      });
      continue;
    }
    const shared = firstShared(classes, classesOf(theirs));
    if (shared !== undefined)
      add({
        code: `duplicate-class:${shared}`,
        kind: 'duplicate',
        message: `Already prescribed and active: ${named}, in the same class (${classLabel(shared)}).`,
      });
  }
  return [...out.values()];
}
