import fs from 'node:fs';

/** Exit code of a usage mistake (as for invalid configuration). */
const EXIT_USAGE = 2;

/** Parses a flag that must be a non-negative integer, or exits 2 naming it. */
export function nonNegativeInteger(value: string, flag: string): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isSafeInteger(n)) usage(`${flag} expects a non-negative integer`);
  return n;
}

/** Parses a flag that must be a positive integer, or exits 2 naming it. */
export function positiveInteger(value: string, flag: string): number {
  const n = nonNegativeInteger(value, flag);
  if (n < 1) usage(`${flag} expects a positive integer`);
  return n;
}

/** Reads a UTF-8 file the user named, or exits 2 saying which one could not be read. */
export function readTextFile(file: string, what: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    usage(`cannot read the ${what} file ${file}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`);
  }
}

function usage(message: string): never {
  process.stderr.write(`medvault: ${message}\n`);
  process.exit(EXIT_USAGE);
}
