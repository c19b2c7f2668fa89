import { createHash, pbkdf2Sync } from 'node:crypto';
import { openWithDek, unwrapDek } from '../../../crypto/envelope.js';
import type { DemoWorld } from '../world.js';
import { recordFieldContext, recordKeyContext } from '../../../app/records/index.js';

type Db = DemoWorld['app']['store']['db'];

/** A 32-byte key a thief might try: how it was made, for the narration. */
export interface CandidateKey {
  readonly how: string;
  readonly key: Buffer;
}

/**
 * Keys an attacker would derive from credential material: from a stored verifier (its raw
 * argon2 output, or a hash of the whole string), or from credentials they cracked or phished
 * (the prototypes derived record keys from the master key with PBKDF2; a naive design derives
 * them from the patient's password and PIN).
 */
export function keysFromVerifier(verifier: string): CandidateKey[] {
  const raw = verifier.split('$').pop() ?? '';
  const out: CandidateKey[] = [
    { how: 'SHA-256 of a stored verifier', key: createHash('sha256').update(verifier).digest() },
  ];
  const decoded = Buffer.from(raw, 'base64');
  if (decoded.length === 32) out.push({ how: 'raw argon2id output of a stored verifier', key: decoded });
  return out;
}

export function keysFromCredentials(c: { ssn: string; pin: string; password: string }): CandidateKey[] {
  const secret = `${c.ssn}:${c.pin}:${c.password}`;
  return [
    { how: 'SHA-256(SSN:PIN:password)', key: createHash('sha256').update(secret).digest() },
    { how: 'PBKDF2(password, SSN)', key: pbkdf2Sync(c.password, c.ssn, 100_000, 32, 'sha256') },
    { how: 'PBKDF2(PIN, SSN)', key: pbkdf2Sync(c.pin, c.ssn, 100_000, 32, 'sha256') },
  ];
}

/**
 * Tries every candidate against every record of `db`: as the record's data key (opening the
 * body) and as a key-encryption key (unwrapping the record's stored data key). Answers how
 * many records opened — the defence holds when it is zero.
 */
export async function recordsOpenedWith(
  db: Db,
  candidates: readonly CandidateKey[],
): Promise<{ tried: number; opened: number }> {
  const rows = await db.selectFrom('records').select(['id', 'patient_id', 'body_ct']).execute();
  let tried = 0;
  let opened = 0;
  for (const row of rows) {
    const wrapped = await db
      .selectFrom('data_keys')
      .select(['wrapped', 'kek_version'])
      .where('owner_table', '=', 'records')
      .where('owner_id', '=', row.id)
      .executeTakeFirst();
    for (const c of candidates) {
      tried++;
      if (attempt(() => openWithDek(row.body_ct, recordFieldContext(row.id, row.patient_id, 'body'), c.key)))
        opened++;
      if (wrapped !== undefined) {
        const kek = { version: wrapped.kek_version, key: c.key };
        if (attempt(() => unwrapDek(wrapped.wrapped, recordKeyContext(row.id, row.patient_id), () => kek)))
          opened++;
      }
    }
  }
  return { tried, opened };
}

/** True when `fn` returns; false when it throws (an integrity failure is the expected outcome). */
function attempt(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
}
