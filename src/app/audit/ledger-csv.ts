/**
 * Ledger entries as CSV (RFC 4180) for a compliance officer: one header line, then one line per
 * entry, CRLF line ends, every cell quoted (inner quotes doubled).
 *
 * CSV injection: a spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return)
 * as a formula, so such a cell gets a leading apostrophe ("'=HYPERLINK(…)"), which spreadsheets
 * show as text — OWASP's advice. Ledger text is mostly ours, but display names, search-free
 * details and ids come from people.
 */
import type { LedgerEntry } from './entry.js';

export const CSV_HEADER = [
  'seq',
  'time (UTC)',
  'actor',
  'actor role',
  'actor id',
  'action',
  'outcome',
  'patient',
  'patient id',
  'target type',
  'target id',
  'sentence',
  'leaf hash',
] as const;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: quoted, with a formula-starting value defused. */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

export const csvLine = (cells: readonly string[]): string => `${cells.map(csvCell).join(',')}\r\n`;

/** An entry described for the admin (actor name, patient label, sentence). */
export interface DescribedEntry extends LedgerEntry {
  readonly actorName: string;
  readonly patientLabel: string | null;
  readonly sentence: string;
}

export function entryCsvLine(e: DescribedEntry): string {
  return csvLine([
    String(e.seq),
    new Date(e.time).toISOString(),
    e.actorName,
    e.actor?.role ?? '',
    e.actor?.userId ?? '',
    e.action,
    e.outcome,
    e.patientLabel ?? '',
    e.patientId ?? '',
    e.target?.type ?? '',
    e.target?.id ?? '',
    e.sentence,
    e.leafHash,
  ]);
}
