/**
 * The checkpoint file: an append-only copy of the ledger's signed checkpoints kept OUTSIDE the
 * database (MEDVAULT_CHECKPOINT_FILE), so someone who holds the database — and can delete its
 * newest entries, the head row and the checkpoint rows together — cannot also take back what
 * was published. It belongs on other storage (another disk or host, an append-only mount).
 *
 * Format: signed notes one after another, each followed by an empty line:
 *
 * ```text
 * medvault/1a2b3c4d
 * 1200
 * <root base64>
 * time 1714000000
 *
 * — medvault/1a2b3c4d <signature>
 * — witness.example/w1 <cosignature>
 *
 * ```
 *
 * A checkpoint is appended as soon as it is signed; when witnesses cosign it, the cosigned copy
 * is appended again. Each append is one write, fsync'd; the file is created 0600.
 */
import fs from 'node:fs';
import path from 'node:path';

/** How much of the file's end is read to find its newest checkpoints (a note is ~300 bytes). */
const TAIL_BYTES = 256 * 1024;
const SIGNATURE_PREFIX = '\u2014 ';

/** Appends one signed note: one write, then fsync, so a crash leaves it whole or absent. */
export function appendCheckpointNote(file: string, note: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const fd = fs.openSync(file, 'a', 0o600);
  try {
    fs.writeSync(fd, note.endsWith('\n') ? `${note}\n` : `${note}\n\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The signed notes at the end of the checkpoint file (the last 256 KiB: the newest ones), oldest
 * first, unverified. A note cut by a crash or by the tail boundary is left out. No file: none.
 */
export function readCheckpointNotes(file: string): string[] {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  try {
    const { size } = fs.fstatSync(fd);
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    fs.readSync(fd, buffer, 0, length, size - length);
    const textual = buffer.toString('utf8');
    // Started mid-file: skip to the first note boundary (an empty line) so no half note leads.
    return splitNotes(length < size ? textual.slice(textual.indexOf('\n\n') + 2) : textual);
  } finally {
    fs.closeSync(fd);
  }
}

/** Splits concatenated notes: body lines, an empty line, signature lines, an empty line. */
export function splitNotes(textual: string): string[] {
  const notes: string[] = [];
  const lines = textual.split('\n');
  let i = 0;
  while (i < lines.length) {
    const body: string[] = [];
    while (i < lines.length && lines[i] !== '') body.push(lines[i++] as string);
    i++; // the empty line after the body
    const signatures: string[] = [];
    while (i < lines.length && (lines[i] as string).startsWith(SIGNATURE_PREFIX)) {
      signatures.push(lines[i++] as string);
    }
    // A complete note ends with its signatures followed by an empty line.
    const complete = i < lines.length && lines[i] === '';
    if (body.length > 0 && signatures.length > 0 && complete) {
      notes.push(`${body.join('\n')}\n\n${signatures.join('\n')}\n`);
    }
    while (i < lines.length && lines[i] === '') i++;
  }
  return notes;
}
