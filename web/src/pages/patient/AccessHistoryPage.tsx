import { useCallback } from 'react';
import type { AuditAction } from '../../../../src/contract/vocabulary/audit.js';
import type { PatientRelation } from '../../../../src/contract/vocabulary/patients.js';
import { listAccessLog, type AccessEntry } from '../../api/access-log.js';
import { formatDateTime, formatTime } from '../../format.js';
import { ROLE_LABELS } from '../../nav.js';
import type { PageProps } from '../page-props.js';
import { ListStatus } from '../records/ListStatus.js';
import { typeLabel } from '../records/record-types.js';
import { href } from '../../routes.js';
import { usePagedList } from '../records/usePagedList.js';

const PAGE_SIZE = 50;

/** Keyed by the ledger's actions (the contract's closed list): a renamed action fails to compile. */
const ACTIONS: Readonly<Partial<Record<AuditAction, string>>> = {
  'record.create': 'Wrote a record',
  'record.read': 'Opened a record',
  'attachment.create': 'Added an image',
  'attachment.read': 'Viewed an image',
  'search.hit': 'Found a record in a search',
  'record.integrity_failure': 'A record failed its integrity check',
  break_glass: 'Emergency access (break-glass)',
  'grant.create': 'Shared records',
  'grant.revoke': 'Revoked sharing',
  'prescription.sign': 'Signed a prescription',
  'prescription.dispense': 'Dispensed a prescription',
  'prescription.refused': 'Refused to dispense a prescription',
  'login.success': 'Signed in',
  'login.failure': 'Failed sign-in attempt',
  'account.locked': 'Sign-in locked after failed attempts',
  logout: 'Signed out',
  'factor.add': 'Added a second factor',
  'factor.remove': 'Removed a second factor',
  'pin.recover': 'Recovered the PIN',
  'pin.reset': 'Started a PIN reset',
  'password.change': 'Changed the password',
  'patient.register': 'Registered you',
  'patient.demographics_read': 'Viewed your details',
  'patient.listed': 'Listed your details',
  'careteam.assign': 'Changed your care team',
};

/** A table's label for a name the server sent (any string: an older or newer name shows as is). */
function labelOf(table: object, key: string): string | undefined {
  const label: unknown = Object.entries(table).find(([name]) => name === key)?.[1];
  return typeof label === 'string' ? label : undefined;
}

const RELATIONS: Readonly<Record<PatientRelation, string>> = {
  self: 'You',
  care_team: 'Your care team',
  grant: 'You shared with them',
  break_glass: 'Emergency access',
};

/**
 * Who accessed the patient's records, newest first: when, who and in which role, what they did
 * and to which record, how they had access, and the reason given for an emergency access.
 * From the tamper-evident ledger (GET /patients/:id/access-log).
 */
export function AccessHistoryPage(props: PageProps) {
  const patientId = props.user.id;
  const load = useCallback(
    async (cursor: string | undefined) => {
      const page = await listAccessLog(patientId, cursor, PAGE_SIZE);
      return { items: page.entries, next: page.nextCursor };
    },
    [patientId],
  );
  const list = usePagedList(load, (entry) => String(entry.seq));
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{props.item.label}</h1>
      <p className="page-summary">
        Every time someone opens, writes or finds one of your records, or sees your name and details, MedVault
        writes it to a tamper-evident log. Newest first; what one person did again and again on one day is one
        line with how many times.
      </p>
      <section className="card" aria-label="Accesses to your records">
        {list.loaded && list.items.length === 0 && !list.error && (
          <p className="empty-state">Nobody has accessed your records yet.</p>
        )}
        {list.items.length > 0 && <AccessTable entries={list.items} />}
        <ListStatus list={list} what="your access history" moreLabel="Show older entries" />
      </section>
    </section>
  );
}

function actionText(entry: AccessEntry): string {
  // A read with no record named is a read of the list of records.
  const label =
    entry.action === 'record.read' && entry.recordId === null
      ? 'Listed your records'
      : (labelOf(ACTIONS, entry.action) ?? entry.action);
  return entry.count > 1 ? `${label} ${entry.count} times` : label;
}

/** When: the time, or for a line standing for several entries, the first and the last. */
function whenText(entry: AccessEntry): string {
  const [first, last] = [formatDateTime(entry.firstTime), formatTime(entry.time)];
  return entry.count === 1 || first.endsWith(last) ? formatDateTime(entry.time) : `${first} – ${last}`;
}

function AccessTable({ entries }: { readonly entries: readonly AccessEntry[] }) {
  return (
    <div className="table-scroll">
      <table className="table table-stack access-table">
        <caption className="visually-hidden">Accesses to your records, newest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Access</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((entry) => (
            <tr
              key={entry.seq}
              className={
                entry.action === 'break_glass' || entry.relation === 'break_glass' ? 'row-alert' : undefined
              }
            >
              <th scope="row">{whenText(entry)}</th>
              <td data-label="Who">
                {entry.actorName ?? (entry.actorRole === 'patient' ? 'You' : 'Unknown person')}
                <span className="cell-note">
                  {entry.actorRole ? (labelOf(ROLE_LABELS, entry.actorRole) ?? entry.actorRole) : ''}
                </span>
              </td>
              <td data-label="What">
                {actionText(entry)}
                {entry.outcome !== 'success' && (
                  <span className="status status-bad status-inline">{entry.outcome}</span>
                )}
                {entry.recordId !== null && (
                  <span className="cell-note">
                    <a href={href('record', { recordId: entry.recordId })}>
                      {entry.recordType ? typeLabel(entry.recordType) : 'Record'}
                    </a>
                  </span>
                )}
              </td>
              <td data-label="Access">
                {entry.relation ? (
                  (labelOf(RELATIONS, entry.relation) ?? entry.relation)
                ) : (
                  <span className="muted">—</span>
                )}
                {entry.breakGlassReason && (
                  <span className="cell-note break-glass-reason">Reason: “{entry.breakGlassReason}”</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
