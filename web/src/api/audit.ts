/**
 * The audit ledger (admin view): entries newest first, the latest signed checkpoint, the
 * ledger's public verifier key, and a full verification run on the server.
 */
import type { AuditAction } from '../../../src/contract/vocabulary/audit.js';
import { api, type RouteInput, type RouteOutput } from './client.js';

/** The actions an admin most often filters by: a choice among the ledger's closed set (the contract's). */
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
  'audit.export',
] as const satisfies readonly AuditAction[];

export type AuditEntryPage = RouteOutput<'auditEntries'>;
export type AuditEntry = AuditEntryPage['entries'][number];
export type AuditEntryQuery = NonNullable<RouteInput<'auditEntries'>['query']>;
export type AuditCheckpoint = RouteOutput<'auditCheckpoint'>;
export type LedgerPublicKey = RouteOutput<'auditPublicKey'>;
export type VerifyOutcome = RouteOutput<'verifyLedger'>;

/** One page of entries, newest first; pass `nextBefore` as `before` for the older ones. */
export async function listAuditEntries(query: AuditEntryQuery = {}): Promise<AuditEntryPage> {
  return api.call('auditEntries', { query });
}

/** Filters of the list and the CSV export (the server applies them). */
export type AuditFilter = Omit<AuditEntryQuery, 'limit' | 'before'>;

/**
 * Where the CSV of the entries matching `filter` downloads from: a plain link (the session
 * cookie goes with it; the server ledgers the export and streams the file).
 */
export function auditCsvHref(filter: AuditFilter): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value !== undefined) query.set(key, String(value));
  const text = query.toString();
  return `/api/v1/audit/entries.csv${text ? `?${text}` : ''}`;
}

export async function getCheckpoint(): Promise<AuditCheckpoint> {
  return api.call('auditCheckpoint');
}

export async function getLedgerPublicKey(): Promise<LedgerPublicKey> {
  return api.call('auditPublicKey');
}

export async function verifyLedger(): Promise<VerifyOutcome> {
  return api.call('verifyLedger');
}
