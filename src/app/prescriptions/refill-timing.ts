import type { PrescriptionPayload } from './payload.js';

/**
 * When a refill is due ("refill too soon", as pharmacy claim systems apply it): a refill is
 * dispensed only once `duePercent` % of the previous fill's supply has elapsed since that fill.
 * The first fill is never delayed. Rule and reasoning: docs/prescriptions.md, "Refill timing".
 */
export interface RefillPolicy {
  /** Share of the previous fill's supply that must have elapsed, in percent (0 turns the check off). */
  readonly duePercent: number;
  /** Supply assumed for one fill whose dose or frequency cannot be read as a daily amount, in days. */
  readonly fallbackDays: number;
}

const DAY_MS = 86_400_000;

const WORDS: Readonly<Record<string, number>> = {
  once: 1,
  twice: 2,
  thrice: 3,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  half: 0.5,
  a: 1,
  an: 1,
};

const NUMBER = String.raw`(\d+\/\d+|\d+(?:\.\d+)?|once|twice|thrice|one|two|three|four|five|six|half|an?)`;

function readNumber(word: string): number | undefined {
  const fraction = /^(\d+)\/(\d+)$/.exec(word);
  if (fraction !== null)
    return Number(fraction[2]) === 0 ? undefined : Number(fraction[1]) / Number(fraction[2]);
  const value = /^\d/.test(word) ? Number(word) : WORDS[word];
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Units per dose: the number the dose starts with ("1 capsule", "2 puffs", "1/2 tablet"). */
export function unitsPerDose(dose: string): number | undefined {
  const m = new RegExp(`^\\s*${NUMBER}\\b`, 'i').exec(dose);
  return m === null ? undefined : readNumber(m[1]!.toLowerCase());
}

/**
 * The most doses per day the frequency allows ("twice daily", "up to four times a day",
 * "every 6 hours", "once weekly"; "daily", "nightly", "at bedtime" are once a day). The largest
 * rate named wins: a supply estimated from it is the shortest, so a patient taking the most the
 * doctor allows is never turned away.
 */
export function dosesPerDay(frequency: string): number | undefined {
  const text = frequency.toLowerCase();
  const rates: number[] = [];
  const perDay = new RegExp(
    `\\b${NUMBER}(?:\\s+times?)?\\s+(?:a\\s+|per\\s+|each\\s+)?(?:day|daily)\\b`,
    'g',
  );
  for (const m of text.matchAll(perDay)) {
    const n = readNumber(m[1]!);
    if (n !== undefined) rates.push(n);
  }
  const perWeek = new RegExp(
    `\\b${NUMBER}(?:\\s+times?)?\\s+(?:a\\s+|per\\s+|each\\s+)?(?:week|weekly)\\b`,
    'g',
  );
  for (const m of text.matchAll(perWeek)) {
    const n = readNumber(m[1]!);
    if (n !== undefined) rates.push(n / 7);
  }
  for (const m of text.matchAll(/\bevery\s+(\d+(?:\.\d+)?)\s*(?:-\s*\d+\s*)?(hours?|hrs?|h)\b/g)) {
    const hours = Number(m[1]);
    if (hours > 0) rates.push(24 / hours);
  }
  if (/\bevery\s+hour\b|\bhourly\b/.test(text)) rates.push(24);
  if (
    rates.length === 0 &&
    /\b(daily|every day|nightly|at night|at bedtime|every morning|every evening)\b/.test(text)
  )
    rates.push(1);
  if (rates.length === 0 && /\bweekly\b|\bevery week\b/.test(text)) rates.push(1 / 7);
  return rates.length === 0 ? undefined : Math.max(...rates);
}

/**
 * Days one fill lasts: quantity ÷ (units per dose × doses per day) when both read as numbers,
 * otherwise `fallbackDays`.
 */
export function daysSupply(payload: PrescriptionPayload, fallbackDays: number): number {
  const units = unitsPerDose(payload.dose);
  const rate = dosesPerDay(payload.frequency);
  if (units === undefined || rate === undefined) return fallbackDays;
  return payload.quantity / (units * rate);
}

/** Epoch ms from which the next fill may be dispensed, given when the previous one was. */
export function refillDueAt(
  payload: PrescriptionPayload,
  previousFillAt: number,
  policy: RefillPolicy,
): number {
  const supplyMs = daysSupply(payload, policy.fallbackDays) * DAY_MS;
  return previousFillAt + Math.ceil((supplyMs * policy.duePercent) / 100);
}
