import { patientTerms } from '../src/app/identity/patient-tokens.js';
import { planPatient, type SeedPlanOptions } from '../src/synthetic/seed-plan.js';
import { printTable } from './harness.js';

export interface NameLeakageOptions {
  readonly quick: boolean;
}

/** One patient's rows in `patient_search_tokens`, as (field, normalised value) pairs. */
type PatientTokens = readonly string[];

interface NameLeakage {
  readonly tokensPerPatient: { readonly mean: number; readonly p95: number; readonly max: number };
  readonly distinct: number;
  /** Patients carrying the most frequent token. */
  readonly top: number;
  /** Tokens carried by at least 10 % of patients. */
  readonly common: number;
  /** Tokens carried by exactly one patient. */
  readonly unique: number;
  /** Patients carrying at least one token no other patient has: the table singles them out. */
  readonly singledOut: number;
  /** Patients whose whole set of tokens (in these fields) no other patient has. */
  readonly uniqueSet: number;
  /** Shannon entropy of the token distribution, bits. */
  readonly entropyBits: number;
}

/** What a copy of `patient_search_tokens` shows about these patients, restricted to some fields. */
function measure(perPatient: readonly PatientTokens[]): NameLeakage {
  const counts = new Map<string, number>();
  const sets = new Map<string, number>();
  for (const tokens of perPatient) {
    for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    const set = [...tokens].sort().join('\u0001');
    sets.set(set, (sets.get(set) ?? 0) + 1);
  }
  const patients = perPatient.length;
  const sizes = perPatient.map((t) => t.length).sort((a, b) => a - b);
  const total = sizes.reduce((s, n) => s + n, 0);
  const frequencies = [...counts.values()];
  let entropy = 0;
  for (const f of frequencies) entropy -= (f / total) * Math.log2(f / total);
  return {
    tokensPerPatient: {
      mean: total / patients,
      p95: sizes[Math.floor(0.95 * (patients - 1))] ?? 0,
      max: sizes.at(-1) ?? 0,
    },
    distinct: counts.size,
    top: Math.max(...frequencies),
    common: frequencies.filter((f) => f >= patients / 10).length,
    unique: frequencies.filter((f) => f === 1).length,
    singledOut: perPatient.filter((tokens) => tokens.some((t) => counts.get(t) === 1)).length,
    uniqueSet: perPatient.filter((tokens) => sets.get([...tokens].sort().join('\u0001')) === 1).length,
    entropyBits: entropy,
  };
}

/** Whole numbers as counts ("1,851", not the table's "0.00" for small ones). */
const count = (n: number): string => n.toLocaleString('en-US');
const share = (part: number, whole: number): string => `${((part / whole) * 100).toFixed(1)} %`;

const VIEWS = [
  ['name words', ['name-word']],
  ['name prefixes (3–16)', ['name-prefix']],
  ['whole name index', ['name-word', 'name-prefix']],
  ['date of birth', ['dob']],
  ['name + date of birth', ['name-word', 'name-prefix', 'dob']],
] as const;

/**
 * The patient name index's leakage on the seeded hospital (`medvault seed`'s generator, the same
 * seed as the record index's measurement): each patient's terms from the index's own
 * `patientTerms` (one HMAC token per (field, term), so distinct terms are distinct tokens), seen
 * as a database reader sees `patient_search_tokens`: rows of (patient id, token). At two hospital
 * sizes, since birthday collisions grow with the size. Deterministic: a measurement of what a
 * copy shows, not a timing.
 */
export function benchNameLeakage(options: NameLeakageOptions): void {
  for (const patients of options.quick ? [200, 2_000] : [2_000, 20_000]) {
    const plan: SeedPlanOptions = {
      seed: 'search-leakage',
      patients,
      recordsPerPatient: 0, // the person does not depend on the records
      asOf: '2026-12-01',
    };
    const all: Array<Array<{ field: string; key: string }>> = [];
    for (let i = 0; i < patients; i++) {
      const { person } = planPatient(plan, i, 5);
      all.push(
        patientTerms(person.fullName, person.dateOfBirth).map((t) => ({
          field: t.field,
          key: `${t.field}\u0000${t.value}`,
        })),
      );
    }
    printTable(
      `Name index leakage: ${patients.toLocaleString('en-US')} seeded patients`,
      [
        'tokens',
        'per patient mean',
        'p95',
        'max',
        'distinct',
        'top token: patients',
        '≥10 % patients',
        'unique tokens',
        'patients with a unique token',
        'patients with a unique token set',
        'entropy bits',
      ],
      VIEWS.map(([name, fields]) => {
        const l = measure(
          all.map((terms) =>
            terms.filter((t) => (fields as readonly string[]).includes(t.field)).map((t) => t.key),
          ),
        );
        return [
          name,
          l.tokensPerPatient.mean,
          l.tokensPerPatient.p95,
          l.tokensPerPatient.max,
          count(l.distinct),
          `${count(l.top)} (${share(l.top, patients)})`,
          count(l.common),
          count(l.unique),
          `${count(l.singledOut)} (${share(l.singledOut, patients)})`,
          `${count(l.uniqueSet)} (${share(l.uniqueSet, patients)})`,
          l.entropyBits,
        ];
      }),
    );
  }
}
