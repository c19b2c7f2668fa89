import { MAX_UTC_OFFSET_MINUTES } from '../../contract/vocabulary/audit.js';
import { badCursor as bad, decodeOpaqueCursor, encodeOpaqueCursor } from '../page-cursor.js';

export { MAX_UTC_OFFSET_MINUTES };

/**
 * Where the next page of a grouped access history starts: after the group of `day` whose newest
 * entry is `seq`, in the snapshot of the log up to entry `upTo`, with days counted at UTC offset
 * `offset` minutes. Every page of one listing groups the same entries the same way, whatever is
 * appended meanwhile. Opaque to clients: base64url JSON.
 */
export interface AccessLogCursor {
  readonly day: number;
  readonly seq: number;
  readonly upTo: number;
  readonly offset: number;
}

export const encodeAccessLogCursor = (c: AccessLogCursor): string =>
  encodeOpaqueCursor({ d: c.day, s: c.seq, u: c.upTo, o: c.offset });

/** @throws AppError invalid_input for anything that is not a cursor this module made. */
export function decodeAccessLogCursor(text: string | undefined): AccessLogCursor | undefined {
  const fields = decodeOpaqueCursor(text);
  if (fields === undefined) return undefined;
  const { d, s, u, o } = fields;
  const whole = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
  if (!whole(d) || !whole(s) || !whole(u) || !Number.isSafeInteger(o)) throw bad();
  if (Math.abs(o as number) > MAX_UTC_OFFSET_MINUTES) throw bad();
  return { day: d, seq: s, upTo: u, offset: o as number };
}
