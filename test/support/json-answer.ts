/**
 * A JSON answer body as tests read it, without `any`: any property or index may be followed
 * (each step is again a JsonAnswer, or undefined), and leaves are compared with `expect`, which
 * takes unknown. Where a test needs a real string, number or list (to call a method, build a
 * path, do arithmetic) it says so with the checked readers below, which throw — failing the
 * test with the path's value — when the answer does not have that shape.
 */
export interface JsonAnswer {
  readonly [key: string]: JsonAnswer | undefined;
}

function shapeError(expected: string, value: unknown): Error {
  return new TypeError(`expected ${expected} in the answer, got ${JSON.stringify(value)}`);
}

/** The value as a list. @throws TypeError unless it is an array. */
export function items(value: JsonAnswer | undefined): JsonAnswer[] {
  if (!Array.isArray(value)) throw shapeError('a list', value);
  return value as JsonAnswer[];
}

/** The value as a string. @throws TypeError unless it is a string. */
export function text(value: JsonAnswer | undefined): string {
  const v: unknown = value;
  if (typeof v !== 'string') throw shapeError('a string', v);
  return v;
}

/** The value as a number. @throws TypeError unless it is a number. */
export function num(value: JsonAnswer | undefined): number {
  const v: unknown = value;
  if (typeof v !== 'number') throw shapeError('a number', v);
  return v;
}
