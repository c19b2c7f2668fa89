import { randomUUID } from 'node:crypto';
import { covers, type PatientReach } from '../access/index.js';
import { AppError, invalidInput } from '../errors.js';
import { MAX_KEYWORDS, MAX_TITLE_LENGTH } from '../../contract/vocabulary/records.js';
import { MAX_KEYWORD_LENGTH } from './keywords.js';
import { validateBody, type TypedBody } from './record-types.js';
import type { NewRecord } from './record-views.js';

/** A new record checked and cleaned, with its id and time: ready to seal and store. */
export interface PreparedRecord {
  readonly id: string;
  readonly typed: TypedBody;
  readonly title: string;
  readonly keywords: readonly string[];
  readonly createdAt: number;
}

/**
 * Checks every input before anything is written: its body against its type's schema, its type
 * against what `reach` covers, its title and keywords. With several inputs a refusal names the
 * one (`records[3].title: …`).
 * @throws AppError invalid_input (or the body schema's code) for the first bad input.
 */
export function prepareRecords(
  inputs: readonly NewRecord[],
  reach: PatientReach,
  now: number,
): PreparedRecord[] {
  const named = <T>(i: number, fn: () => T): T => {
    if (inputs.length === 1) return fn();
    try {
      return fn();
    } catch (err) {
      if (err instanceof AppError) throw new AppError(err.code, `records[${i}].${err.message}`);
      throw err;
    }
  };
  return inputs.map((input, i) =>
    named(i, () => {
      const typed = validateBody(input.type, input.body);
      if (!covers(reach, typed.type))
        throw invalidInput(`type: your access does not cover ${typed.type} records.`);
      return {
        id: randomUUID(),
        typed,
        title: cleanTitle(input.title),
        keywords: cleanKeywords(input.keywords ?? []),
        createdAt: now,
      };
    }),
  );
}

function cleanTitle(title: string): string {
  const text = title.normalize('NFC').trim();
  if (text.length === 0 || text.length > MAX_TITLE_LENGTH) {
    throw invalidInput(`title: must be 1 to ${MAX_TITLE_LENGTH} characters.`);
  }
  return text;
}

function cleanKeywords(keywords: readonly string[]): string[] {
  if (keywords.length > MAX_KEYWORDS) throw invalidInput(`keywords: at most ${MAX_KEYWORDS}.`);
  return keywords.map((k, i) => {
    const text = k.normalize('NFC').trim();
    if (text.length === 0 || text.length > MAX_KEYWORD_LENGTH) {
      throw invalidInput(`keywords[${i}]: must be 1 to ${MAX_KEYWORD_LENGTH} characters.`);
    }
    return text;
  });
}
