import { indexTerms, type IndexTerm } from '../src/app/records/keywords.js';
import { planPatient, type SeedPlanOptions } from '../src/synthetic/seed-plan.js';
import { printTable } from './harness.js';

export interface SearchLeakageOptions {
  readonly quick: boolean;
}

interface Leakage {
  readonly records: number;
  readonly tokensPerRecord: { readonly mean: number; readonly p95: number; readonly max: number };
  readonly distinct: number;
  /** Share of records carrying the most frequent token. */
  readonly topShare: number;
  /** Tokens carried by at least 10 % of records: the ones frequency analysis names first. */
  readonly common: number;
  /** Tokens carried by exactly one record: they single a record out, but say nothing of others. */
  readonly unique: number;
  /** Shannon entropy of the token distribution, bits: higher is flatter (harder to rank). */
  readonly entropyBits: number;
}

/** What a copy of `search_index` shows, from the terms each record is indexed under. */
function measureLeakage(perRecord: ReadonlyArray<readonly IndexTerm[]>): Leakage {
  const counts = new Map<string, number>();
  for (const terms of perRecord)
    for (const t of terms)
      counts.set(`${t.field}\u0000${t.term}`, (counts.get(`${t.field}\u0000${t.term}`) ?? 0) + 1);
  const sizes = perRecord.map((t) => t.length).sort((a, b) => a - b);
  const total = sizes.reduce((s, n) => s + n, 0);
  const frequencies = [...counts.values()];
  let entropy = 0;
  for (const f of frequencies) entropy -= (f / total) * Math.log2(f / total);
  const records = perRecord.length;
  return {
    records,
    tokensPerRecord: {
      mean: total / records,
      p95: sizes[Math.floor(0.95 * (records - 1))] ?? 0,
      max: sizes.at(-1) ?? 0,
    },
    distinct: counts.size,
    topShare: Math.max(...frequencies) / records,
    common: frequencies.filter((f) => f >= records / 10).length,
    unique: frequencies.filter((f) => f === 1).length,
    entropyBits: entropy,
  };
}

/**
 * The search index's leakage on the seeded hospital (`medvault seed`'s generator, same seed):
 * per record, the terms it is indexed under before issue 20 (codes, diagnosis and allergy
 * phrases, keywords) and now (plus every word prefix of its title and clinical text). Tokens are
 * HMACs of (field, term), one per term, so term counts are token counts. Deterministic: this is
 * a measurement of what a database copy shows, not a timing.
 */
export function benchSearchLeakage(options: SearchLeakageOptions): void {
  const plan: SeedPlanOptions = {
    seed: 'search-leakage',
    patients: options.quick ? 200 : 2000,
    recordsPerPatient: 12,
    asOf: '2026-12-01',
  };
  const before: IndexTerm[][] = [];
  const after: IndexTerm[][] = [];
  for (let i = 0; i < plan.patients; i++) {
    for (const record of planPatient(plan, i, 5).records) {
      const terms = indexTerms(record, record.keywords ?? [], record.title);
      after.push(terms);
      before.push(terms.filter((t) => t.field !== 'prefix'));
    }
  }
  const rows = [
    ['before (codes, phrases, words)', measureLeakage(before)],
    ['now (+ word prefixes ≥ 3)', measureLeakage(after)],
  ] as const;
  printTable(
    `Search index leakage: ${plan.patients} seeded patients, ${after.length} records`,
    [
      'index',
      'tokens/record mean',
      'p95',
      'max',
      'distinct',
      'top token share',
      '≥10 % records',
      'unique',
      'entropy bits',
    ],
    rows.map(([name, l]) => [
      name,
      l.tokensPerRecord.mean,
      l.tokensPerRecord.p95,
      l.tokensPerRecord.max,
      l.distinct,
      `${(l.topShare * 100).toFixed(1)} %`,
      l.common,
      l.unique,
      l.entropyBits,
    ]),
  );
}
