/**
 * Audit-ledger entries: what services hand to `append`, how an entry is validated, and its
 * canonical bytes.
 *
 * Canonical bytes: the RFC 8785 JSON of
 * `{action, actor: {role, userId} | null, details, outcome, patientId, prevHash, seq,
 *   target: {id, type} | null, time, v: 1}`
 * with `prevHash` the previous entry's leaf hash in lowercase hex (64 zeros for entry 0), `seq`
 * the 0-based position, `time` epoch milliseconds and `v` the format version. Leaf hash =
 * SHA-256(0x00 || bytes), per RFC 9162; it is also the next entry's `prevHash`.
 */
import { canonicalJson, type JsonValue } from '../../contract/canonical-json.js';
import type { LedgerEntryFields } from '../../store/ledger-repository.js';
import type { LedgerEntryRow } from '../../store/ledger-repository.js';
import { isRole, type Role } from '../actor.js';
import { invalidInput } from '../errors.js';
import { isAuditAction, isAuditOutcome, type AuditAction, type AuditOutcome } from './actions.js';

/** A JSON value with a single RFC 8785 form (readonly, so services can pass frozen data). */
export type AuditJson =
  null | boolean | number | string | readonly AuditJson[] | { readonly [k: string]: AuditJson };

/**
 * Facts about the action: ids, counts, versions, reasons codes. NEVER clinical plaintext
 * (diagnoses, notes, names, SSNs, vitals): the ledger is readable by administrators and its
 * entries are shown to auditors and proven to patients, and it is not encrypted.
 */
export type AuditDetails = { readonly [key: string]: AuditJson };

/** Who acted: a logged-in user, or null for the system or an anonymous attempt. */
export interface AuditActor {
  readonly userId: string;
  readonly role: Role;
}

/** What was acted on, e.g. {type: 'record', id}. */
export interface AuditTarget {
  readonly type: string;
  readonly id: string;
}

/** What a service asks the ledger to record. */
export interface AuditEvent {
  readonly actor: AuditActor | null;
  readonly action: AuditAction;
  readonly target: AuditTarget | null;
  /** Whose data the entry is about, so the patient can be shown (and proven) it; else null. */
  readonly patientId: string | null;
  readonly outcome: AuditOutcome;
  /** Defaults to {}. */
  readonly details?: AuditDetails;
}

/** An entry as stored and listed. Hashes are lowercase hex. */
export interface LedgerEntry {
  readonly seq: number;
  readonly time: number;
  readonly actor: AuditActor | null;
  readonly action: string;
  readonly target: AuditTarget | null;
  readonly patientId: string | null;
  readonly outcome: string;
  readonly details: AuditDetails;
  readonly prevHash: string;
  readonly leafHash: string;
}

/** The stored columns the canonical bytes are made of (all but the three hashes). */
export type EntryColumns = Omit<LedgerEntryRow, 'prev_hash' | 'leaf_hash' | 'mac'>;

/** The previous hash of entry 0: 32 zero bytes. */
export const ZERO_HASH_HEX = '0'.repeat(64);

/** Largest canonical details object accepted, in UTF-8 bytes: details are facts, not documents. */
export const MAX_DETAILS_BYTES = 4096;

// Ids are printable ASCII without spaces: every id MedVault issues fits, and it rules out lone
// surrogates and look-alike characters in the fields auditors filter on.
const ID = /^[\x21-\x7e]{1,200}$/;
const TARGET_TYPE = /^[a-z][a-z0-9_.-]{0,63}$/;

const quote = JSON.stringify as (value: string | null) => string;

/**
 * The canonical bytes (as text) of an entry from its columns. RFC 8785 for every entry `append`
 * accepts, written field by field in RFC 8785's key order instead of through the generic
 * serialiser: the verifier runs this a million times. Strings go through JSON.stringify, which is
 * RFC 8785's string form (§3.2.2.2); `details` is stored already canonical and spliced as is.
 *
 * Columns → text is injective, so text that hashes right proves every column: each field but
 * `details` is a self-delimiting JSON token, and `details` is followed by a fixed key.
 */
export function encodeEntry(row: EntryColumns, prevHash: string): string {
  return encodeEntryFields([
    row.seq,
    row.time,
    row.actor_id,
    row.actor_role,
    row.action,
    row.target_type,
    row.target_id,
    row.patient_id,
    row.outcome,
    row.details,
    prevHash,
  ]);
}

/**
 * {@link encodeEntry} from the column values one by one, in the stored column order: the
 * verifier's form, which scans positional rows and builds no object per entry.
 */
export function encodeEntryFields(fields: readonly [...LedgerEntryFields, ...unknown[]]): string {
  const [seq, time, actorId, actorRole, action, targetType, targetId, patientId, outcome, details, prevHash] =
    fields;
  const actor =
    actorId === null && actorRole === null
      ? 'null'
      : `{"role":${quote(actorRole)},"userId":${quote(actorId)}}`;
  const target =
    targetId === null && targetType === null
      ? 'null'
      : `{"id":${quote(targetId)},"type":${quote(targetType)}}`;
  return (
    `{"action":${quote(action)},"actor":${actor},"details":${details},` +
    `"outcome":${quote(outcome)},"patientId":${quote(patientId)},"prevHash":${quote(prevHash)},` +
    `"seq":${seq},"target":${target},"time":${time},"v":1}`
  );
}

/** The entry as a JSON value: what {@link encodeEntry} serialises (for tests and readers). */
export function entryObject(row: EntryColumns, prevHash: string): JsonValue {
  return {
    action: row.action,
    actor: row.actor_id === null ? null : { role: row.actor_role, userId: row.actor_id },
    details: JSON.parse(row.details) as JsonValue,
    outcome: row.outcome,
    patientId: row.patient_id,
    prevHash,
    seq: row.seq,
    target: row.target_id === null ? null : { id: row.target_id, type: row.target_type },
    time: row.time,
    v: 1,
  };
}

/**
 * Checks an event and returns its columns (without seq and time, which the ledger assigns).
 * @throws AppError invalid_audit_event for an action or outcome outside the closed sets, a
 *   malformed actor, target or id, details that are not a plain JSON object, or details larger
 *   than {@link MAX_DETAILS_BYTES}.
 */
export function eventColumns(event: AuditEvent): Omit<EntryColumns, 'seq' | 'time'> {
  const e = event as Partial<Record<keyof AuditEvent, unknown>>;
  if (!isAuditAction(e.action)) refuse(`unknown audit action ${JSON.stringify(String(e.action))}`);
  if (!isAuditOutcome(e.outcome)) refuse('audit outcome must be success, failure or denied');
  const actor = e.actor as Partial<AuditActor> | null | undefined;
  if (actor !== null && (typeof actor !== 'object' || !isId(actor.userId) || !isRoleValue(actor.role))) {
    refuse('audit actor must be null or {userId, role} with a known role');
  }
  const target = e.target as Partial<AuditTarget> | null | undefined;
  if (
    target !== null &&
    (typeof target !== 'object' ||
      typeof target.type !== 'string' ||
      !TARGET_TYPE.test(target.type) ||
      !isId(target.id))
  ) {
    refuse('audit target must be null or {type, id}');
  }
  if (e.patientId !== null && !isId(e.patientId)) refuse('audit patientId must be null or an id');
  return {
    actor_id: actor === null ? null : (actor.userId as string),
    actor_role: actor === null ? null : (actor.role as string),
    action: e.action,
    target_type: target === null ? null : (target.type as string),
    target_id: target === null ? null : (target.id as string),
    patient_id: e.patientId as string | null,
    outcome: e.outcome,
    details: canonicalDetails(e.details ?? {}),
  };
}

/** A stored row as the entry it records. */
export function entryFromRow(row: LedgerEntryRow): LedgerEntry {
  return {
    seq: Number(row.seq),
    time: Number(row.time),
    actor:
      row.actor_id === null || row.actor_role === null
        ? null
        : { userId: row.actor_id, role: row.actor_role as Role },
    action: row.action,
    target:
      row.target_id === null || row.target_type === null
        ? null
        : { type: row.target_type, id: row.target_id },
    patientId: row.patient_id,
    outcome: row.outcome,
    details: JSON.parse(row.details) as AuditDetails,
    prevHash: row.prev_hash,
    leafHash: row.leaf_hash,
  };
}

function canonicalDetails(details: unknown): string {
  if (typeof details !== 'object' || details === null || Array.isArray(details)) {
    refuse('audit details must be a JSON object');
  }
  let text: string;
  try {
    text = canonicalJson(details as JsonValue);
  } catch (err) {
    // canonicalJson refuses what has no single JSON form (undefined, NaN, Date, class instances…).
    refuse(`audit details are not JSON: ${(err as Error).message}`);
  }
  if (Buffer.byteLength(text, 'utf8') > MAX_DETAILS_BYTES) {
    refuse(`audit details must be at most ${MAX_DETAILS_BYTES} bytes of JSON`);
  }
  return text;
}

const isId = (value: unknown): value is string => typeof value === 'string' && ID.test(value);
const isRoleValue = (value: unknown): value is Role => typeof value === 'string' && isRole(value);

function refuse(message: string): never {
  throw invalidInput(message, 'invalid_audit_event');
}
