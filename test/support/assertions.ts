import { expect } from 'vitest';
import { AppError } from '../../src/app/errors.js';

/** Awaits a rejection and checks it is an AppError of `kind` (and `code`). Returns it. */
export async function rejectsWith(p: Promise<unknown>, kind: string, code?: string): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).kind).toBe(kind);
  if (code !== undefined) expect((err as AppError).code).toBe(code);
  return err as AppError;
}

/** Every value of every row as searchable text: strings as is, buffers as UTF-8 and latin1. */
export function rowText(rows: ReadonlyArray<Record<string, unknown>>): string {
  return rows
    .flatMap((row) =>
      Object.values(row).map((v) =>
        Buffer.isBuffer(v)
          ? `${v.toString('utf8')}\n${v.toString('latin1')}\n${v.toString('hex')}`
          : String(v),
      ),
    )
    .join('\n');
}
