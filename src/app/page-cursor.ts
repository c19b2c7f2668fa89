import { invalidInput, type AppError } from './errors.js';

/**
 * An opaque paging cursor: the (time, id) of the last item shown, base64url JSON. Lists order
 * newest first by (time, id), so the next page is "strictly before this pair" whatever was
 * inserted meanwhile.
 */
export interface PageCursor {
  readonly t?: number;
  readonly id: string;
}

/** The one refusal of a cursor we did not make. */
export const badCursor = (): AppError => invalidInput('The cursor is not valid.');

/** Any cursor's wire form: base64url of its JSON. */
export const encodeOpaqueCursor = (fields: object): string =>
  Buffer.from(JSON.stringify(fields), 'utf8').toString('base64url');

/**
 * The fields of a cursor in wire form, before the caller checks their shape; undefined when
 * absent. @throws AppError invalid_input for text that is too long, not base64url JSON, or not
 * an object.
 */
export function decodeOpaqueCursor(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  if (text.length > 200) throw badCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw badCursor();
  }
  if (typeof parsed !== 'object' || parsed === null) throw badCursor();
  return parsed as Record<string, unknown>;
}

export const encodeCursor = (c: PageCursor): string => encodeOpaqueCursor(c);

/** @throws AppError invalid_input for anything that is not a cursor this module made. */
export function decodeCursor(text: string | undefined): PageCursor | undefined {
  const fields = decodeOpaqueCursor(text);
  if (fields === undefined) return undefined;
  const { t, id } = fields;
  if (typeof id !== 'string' || id.length > 64 || (t !== undefined && !Number.isSafeInteger(t)))
    throw badCursor();
  return t === undefined ? { id } : { t: t as number, id };
}
