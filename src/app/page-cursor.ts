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

export const encodeCursor = (c: PageCursor): string =>
  Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');

/** @throws AppError invalid_input for anything that is not a cursor this module made. */
export function decodeCursor(text: string | undefined): PageCursor | undefined {
  if (text === undefined) return undefined;
  const bad = (): AppError => invalidInput('The cursor is not valid.');
  if (text.length > 200) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (typeof parsed !== 'object' || parsed === null) throw bad();
  const { t, id } = parsed as Record<string, unknown>;
  if (typeof id !== 'string' || id.length > 64 || (t !== undefined && !Number.isSafeInteger(t))) throw bad();
  return t === undefined ? { id } : { t: t as number, id };
}
