/**
 * A ledger entry as a sentence for the admin's audit page and its CSV export: "Dr Omkar
 * Deshpande read the lab result of patient ·1a2b3c4d".
 *
 * What an admin may see decides the words (docs/audit-page.md): admins never read records, and
 * the access module gives their role no `patients.demographics`, so a patient is never named:
 * the sentence uses a masked id ({@link patientLabel}: the first 8 characters of the patient's id,
 * which the entry already shows in full), never a name, a date of birth or an MRN; a record is
 * named by its type only ("lab result"), never by its title or body (encrypted, and clinical).
 * Staff are named by their display name (an admin manages staff accounts and sees those names on
 * the Users page anyway), patients acting on their own chart by the same masked label.
 */
import type { AuditAction } from './actions.js';
import type { LedgerEntry } from './entry.js';

/** How a patient appears to an admin: a masked id, never their name. */
export const patientLabel = (patientId: string): string => `patient ·${patientId.slice(0, 8)}`;

/** Who acted, in words: a staff member's display name, a masked patient, or the system. */
export function actorLabel(entry: LedgerEntry, names: ReadonlyMap<string, string | null>): string {
  if (entry.actor === null) return entry.action.startsWith('login.') ? 'Someone' : 'The system';
  // Patients' accounts carry no display name (their name is sealed with the chart), so a patient
  // comes out as "patient ·1a2b3c4d", the same label as patientLabel.
  const name = names.get(entry.actor.userId);
  return name ? name : `${entry.actor.role} ·${entry.actor.userId.slice(0, 8)}`;
}

interface Parts {
  /** "patient ·1a2b3c4d", or "their own" words when the actor is the patient. */
  readonly patient: string;
  /** "patient ·1a2b3c4d's" (possessive). */
  readonly whose: string;
  /** The record type in words ("lab result"), or "record". */
  readonly recordType: string;
  /** The target's id, masked. */
  readonly target: string;
  readonly details: LedgerEntry['details'];
}

const str = (value: unknown, otherwise = ''): string => (typeof value === 'string' ? value : otherwise);
const typeWords = (type: unknown): string => str(type, 'record').replace(/_/g, ' ');

/** The predicate of each action: what the actor did, after their name. */
const PHRASES: Readonly<Record<AuditAction, (p: Parts) => string>> = {
  'login.success': () => 'signed in',
  'login.failure': () => 'failed to sign in',
  'account.locked': () => 'was locked out after failed sign-ins',
  logout: () => 'signed out',
  'session.revoked': () => 'ended a session',
  'pin.recover': () => 'recovered their PIN',
  'pin.reset': (p) => `started a PIN reset for ${p.patient}`,
  'password.change': () => 'changed their password',
  'user.create': (p) => `created the staff account ${p.target}`,
  'user.disable': (p) => `disabled the account ${p.target}`,
  'key.register': (p) => `registered the key ${p.target}`,
  'key.revoke': (p) => `revoked the key ${p.target}`,
  'user.activate': (p) => `activated the account ${p.target}`,
  'user.enrol': () => 'enrolled their staff account',
  'user.reenrol': (p) => `re-enrolled the account ${p.target}`,
  'approval.request': (p) => `asked a second person to approve ${str(p.details['kind'], 'a request')}`,
  'approval.approve': (p) => `approved ${str(p.details['kind'], 'a request')}`,
  'approval.refuse': (p) => `refused ${str(p.details['kind'], 'a request')}`,
  'analytics.budget_raise': () => 'raised the privacy budget',
  'factor.add': () => 'added a second sign-in factor',
  'factor.remove': () => 'removed a second sign-in factor',
  'login.factor_pending': () => 'gave a correct password and was asked for a second factor',
  'patient.register': (p) => `registered ${p.patient}`,
  'patient.enrol': () => 'enrolled (chose their PIN and password)',
  'enrolment.issue': (p) => `issued an enrolment code for ${p.patient}`,
  'patient.reenrol': (p) => `re-enrolled ${p.patient} (their old credentials and second factors removed)`,
  'mfa.policy_change': () => 'changed the second-factor policy',
  'notice.dismiss': () => 'dismissed an account notice',
  'pin.change': () => 'changed their PIN',
  'recovery_code.renew': () => 'renewed their recovery code',
  'sessions.end_others': () => 'signed out their other sessions',
  'patient.demographics_read': (p) => `looked at ${p.whose} identity`,
  'patient.listed': (p) => `listed ${p.patient}`,
  'careteam.assign': (p) => `added a doctor to ${p.whose} care team`,
  'record.create': (p) => `wrote ${p.whose} ${p.recordType}`,
  'record.read': (p) =>
    p.details['listed'] === undefined
      ? `read ${p.whose} ${p.recordType}`
      : `listed ${p.whose} records (${String(p.details['listed'])})`,
  'record.integrity_failure': (p) => `met a record of ${p.patient} that failed its integrity check`,
  'attachment.create': (p) => `attached a file to ${p.whose} ${p.recordType}`,
  'attachment.read': (p) => `opened a file of ${p.whose} ${p.recordType}`,
  'search.hit': (p) => `found ${p.whose} ${p.recordType} in a search`,
  'grant.create': (p) => `shared ${p.whose} records with a doctor`,
  'grant.revoke': (p) => `revoked a doctor's access to ${p.whose} records`,
  'break_glass.lookup': (p) =>
    `looked up a patient for emergency access by ${str(p.details['by'], 'identity')} (${String(p.details['results'] ?? '?')} found)`,
  break_glass: (p) => `broke the glass to reach ${p.whose} chart`,
  'prescription.sign': (p) => `signed a prescription for ${p.patient}`,
  'prescription.dispense': (p) => `dispensed a prescription of ${p.patient}`,
  'prescription.refused': (p) => `had a prescription of ${p.patient} refused`,
  'keys.rotate': () => 'rotated the encryption keys',
  'keys.split': () => 'split the master key between officers',
  'keys.unseal': () => 'unsealed the vault',
  'keys.reseal': () => 're-sealed the master key',
  'keys.handover': () => 'handed the ledger signing key over to a new one',
  'backup.create': () => 'made a backup',
  'backup.restore': () => 'restored a backup',
  'store.migrate': () => 'moved the hospital to another database',
  'search.reindex': () => "rebuilt the records' search index",
  'analytics.query': (p) =>
    `ran a statistics query (${str(p.details['aggregate'], 'statistic')} of ${str(p.details['metric'], 'a vital')}, ε ${String(p.details['epsilon'] ?? '?')})`,
  'audit.checkpoint': () => 'signed a ledger checkpoint',
  'audit.export': () => 'exported ledger entries as CSV',
};

/** The sentence of one entry, e.g. "Dr Omkar Deshpande read patient ·1a2b3c4d's lab result". */
export function entrySentence(entry: LedgerEntry, names: ReadonlyMap<string, string | null>): string {
  const actor = actorLabel(entry, names);
  const self = entry.patientId !== null && entry.actor?.userId === entry.patientId;
  const patient = entry.patientId === null ? 'a patient' : self ? 'themself' : patientLabel(entry.patientId);
  const parts: Parts = {
    patient,
    whose: self ? 'their own' : `${patient}'s`,
    recordType: typeWords(entry.details['type']),
    target: entry.target === null ? '' : `·${entry.target.id.slice(0, 8)}`,
    details: entry.details,
  };
  const phrase = (PHRASES as Readonly<Record<string, (p: Parts) => string>>)[entry.action];
  const what = phrase === undefined ? `did ${entry.action}` : phrase(parts).trim();
  if (entry.outcome === 'denied') return `${actor} was refused: ${what}`;
  if (entry.outcome === 'failure' && entry.action !== 'login.failure') return `${actor} failed: ${what}`;
  return `${actor} ${what}`;
}
