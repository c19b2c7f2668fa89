/**
 * The audit ledger (admin view): entries newest first, the latest signed checkpoint, the
 * ledger's public verifier key, and a full verification run on the server.
 */
import { apiGet, apiPost, isRecord } from './client.js';
import { firstText, idOf, listOf, malformed, parseEach, textOf, timeOf } from './parse.js';

/** The actions an admin most often filters by (the server accepts any name of its closed set). */
export const COMMON_AUDIT_ACTIONS = [
  'login.success',
  'login.failure',
  'account.locked',
  'logout',
  'user.create',
  'user.disable',
  'key.register',
  'key.revoke',
  'patient.register',
  'careteam.assign',
  'record.create',
  'record.read',
  'grant.create',
  'grant.revoke',
  'break_glass',
  'prescription.sign',
  'prescription.dispense',
  'keys.rotate',
  'analytics.query',
  'audit.checkpoint',
] as const;

export interface AuditEntry {
  readonly seq: number;
  readonly time: number | undefined;
  readonly actor: { readonly userId: string; readonly role: string } | undefined;
  readonly action: string;
  readonly target: { readonly type: string; readonly id: string } | undefined;
  readonly patientId: string | undefined;
  readonly outcome: string;
}

export interface AuditEntryPage {
  readonly entries: readonly AuditEntry[];
  /** Pass as `before` for the next (older) page; undefined when there is none. */
  readonly nextBefore: number | undefined;
}

export interface AuditEntryQuery {
  readonly action?: string;
  readonly before?: number;
  readonly limit?: number;
}

function seqOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function parseEntry(item: unknown): AuditEntry | undefined {
  if (!isRecord(item)) return undefined;
  const seq = seqOf(item.seq);
  const action = firstText(item, 'action');
  if (seq === undefined || action === undefined) return undefined;
  const actor = isRecord(item.actor) ? item.actor : undefined;
  const actorId = actor && idOf(actor.userId);
  const target = isRecord(item.target) ? item.target : undefined;
  const targetType = target && firstText(target, 'type');
  const targetId = target && idOf(target.id);
  return {
    seq,
    time: timeOf(item.time),
    actor:
      actor && actorId !== undefined ? { userId: actorId, role: firstText(actor, 'role') ?? '' } : undefined,
    action,
    target:
      targetType !== undefined && targetId !== undefined ? { type: targetType, id: targetId } : undefined,
    patientId: idOf(item.patientId),
    outcome: firstText(item, 'outcome') ?? 'unknown',
  };
}

export async function listAuditEntries(query: AuditEntryQuery = {}): Promise<AuditEntryPage> {
  const params = new URLSearchParams();
  if (query.action) params.set('action', query.action);
  if (query.before !== undefined) params.set('before', String(query.before));
  if (query.limit !== undefined) params.set('limit', String(query.limit));
  const search = params.toString();
  const body = await apiGet(`/audit/entries${search ? `?${search}` : ''}`);
  const entries = parseEach(listOf(body, 'entries'), parseEntry);
  return { entries, nextBefore: isRecord(body) ? seqOf(body.nextBefore) : undefined };
}

export interface AuditCheckpoint {
  readonly treeSize: number;
  /** SHA-256 root hash, base64. */
  readonly root: string;
  /** The C2SP signed note, verbatim. */
  readonly note: string;
  readonly createdAt: number | undefined;
}

export async function getCheckpoint(): Promise<AuditCheckpoint> {
  const body = await apiGet('/audit/checkpoint');
  if (!isRecord(body)) throw malformed('checkpoint');
  const treeSize = seqOf(body.treeSize);
  const root = textOf(body.root);
  const note = textOf(body.note);
  if (treeSize === undefined || root === undefined || note === undefined) throw malformed('checkpoint');
  return { treeSize, root, note, createdAt: timeOf(body.createdAt) };
}

export interface LedgerPublicKey {
  readonly origin: string;
  /** The signed-note verifier key (name+hash+key), as a witness would be configured with. */
  readonly verifierKey: string;
  readonly pem: string | undefined;
}

export async function getLedgerPublicKey(): Promise<LedgerPublicKey> {
  const body = await apiGet('/audit/public-key');
  if (!isRecord(body)) throw malformed('public key');
  const verifierKey = textOf(body.verifierKey);
  if (verifierKey === undefined) throw malformed('public key');
  return { origin: textOf(body.origin) ?? '', verifierKey, pem: textOf(body.pem) };
}

export type VerifyOutcome =
  | {
      readonly ok: true;
      readonly size: number;
      readonly root: string;
      /** The largest signed checkpoint the log matched; undefined when none was signed yet. */
      readonly checkpoint: { readonly treeSize: number; readonly root: string } | undefined;
      readonly checkpointsChecked: number | undefined;
    }
  | {
      readonly ok: false;
      /** The first sequence number that does not verify. */
      readonly seq: number;
      /** e.g. content_changed, deleted, inserted, reordered, truncated, checkpoint_mismatch. */
      readonly kind: string;
      readonly message: string;
      readonly verified: number | undefined;
    };

export async function verifyLedger(): Promise<VerifyOutcome> {
  const body = await apiPost('/audit/verify');
  if (!isRecord(body)) throw malformed('verification result');
  if (body.ok === true) {
    const size = seqOf(body.size);
    const root = textOf(body.root);
    if (size === undefined || root === undefined) throw malformed('verification result');
    const cp = isRecord(body.checkpoint) ? body.checkpoint : undefined;
    const cpSize = cp && seqOf(cp.treeSize);
    const cpRoot = cp && textOf(cp.root);
    return {
      ok: true,
      size,
      root,
      checkpoint:
        cpSize !== undefined && cpRoot !== undefined ? { treeSize: cpSize, root: cpRoot } : undefined,
      checkpointsChecked: seqOf(body.checkpointsChecked),
    };
  }
  if (body.ok === false) {
    const seq = seqOf(body.seq);
    if (seq === undefined) throw malformed('verification result');
    return {
      ok: false,
      seq,
      kind: firstText(body, 'kind') ?? 'unknown',
      message: firstText(body, 'message') ?? 'The ledger does not verify.',
      verified: seqOf(body.verified),
    };
  }
  throw malformed('verification result');
}
