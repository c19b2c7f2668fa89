import { useEffect, useRef, useState } from 'react';
import { listUsers } from '../../api/admin.js';
import {
  auditCsvHref,
  COMMON_AUDIT_ACTIONS,
  listAuditEntries,
  type AuditEntry,
  type AuditFilter,
} from '../../api/audit.js';
import { LoadState } from '../../components/LoadState.js';
import { formatDateTime } from '../../format.js';
import { useResource } from '../../data/useQuery.js';

const PAGE_SIZE = 50;

/**
 * Ledger entries newest first, each said in words by the server (who did what to whose chart;
 * patients as masked labels, never names), filtered on the server by person, patient, action and
 * day range, downloadable as CSV with the same filters, paged backwards with the server's
 * `nextBefore` cursor. A stack of cursors lets "Newer entries" step back.
 */
export function AuditEntries() {
  const [action, setAction] = useState('');
  const [actorId, setActorId] = useState('');
  const [patientId, setPatientId] = useState('');
  const [fromDay, setFromDay] = useState('');
  const [toDay, setToDay] = useState('');
  const staff = useResource(listUsers);
  // cursors[i] is the `before` of page i; the newest page has none.
  const [cursors, setCursors] = useState<readonly (number | undefined)[]>([undefined]);
  const [generation, setGeneration] = useState(0);
  const [moved, setMoved] = useState(false);
  const cursor = cursors[cursors.length - 1];

  function restart(): void {
    setCursors([undefined]);
    setMoved(false);
  }

  function choose(next: string): void {
    setAction(next);
    restart();
  }

  // Days are the admin's own (local midnight to the next local midnight, `to` inclusive).
  const dayStart = (day: string): number | undefined =>
    day ? new Date(`${day}T00:00`).getTime() : undefined;
  const fromMs = dayStart(fromDay);
  const toStart = dayStart(toDay);
  const filter: AuditFilter = {
    ...(action ? { action } : {}),
    ...(actorId ? { actorId } : {}),
    ...(patientId.trim() ? { patientId: patientId.trim() } : {}),
    ...(fromMs !== undefined && fromMs >= 0 ? { from: fromMs } : {}),
    ...(toStart !== undefined && toStart >= 0 ? { to: toStart + 86_400_000 } : {}),
  };
  const filterKey = JSON.stringify(filter);

  function older(nextBefore: number): void {
    setCursors((stack) => [...stack, nextBefore]);
    setMoved(true);
  }

  function newer(): void {
    setCursors((stack) => (stack.length > 1 ? stack.slice(0, -1) : stack));
    setMoved(true);
  }

  function refresh(): void {
    setCursors([undefined]);
    setGeneration((n) => n + 1);
    setMoved(false);
  }

  return (
    <section className="section" aria-labelledby="entries-title">
      <h2 id="entries-title">Entries</h2>
      <div className="toolbar">
        <div className="field">
          <label htmlFor="audit-action">Action</label>
          <select id="audit-action" value={action} onChange={(event) => choose(event.target.value)}>
            <option value="">All actions</option>
            {COMMON_AUDIT_ACTIONS.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-actor">Person</label>
          <select
            id="audit-actor"
            value={actorId}
            onChange={(event) => {
              setActorId(event.target.value);
              restart();
            }}
          >
            <option value="">Everyone</option>
            {staff.resource.status === 'ready' &&
              staff.resource.data.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.displayName ?? u.username} ({u.role})
                </option>
              ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="audit-patient">Patient id</label>
          <input
            id="audit-patient"
            value={patientId}
            maxLength={128}
            spellCheck={false}
            onChange={(event) => {
              setPatientId(event.target.value);
              restart();
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="audit-from">From day</label>
          <input
            id="audit-from"
            type="date"
            value={fromDay}
            onChange={(event) => {
              setFromDay(event.target.value);
              restart();
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="audit-to">To day (inclusive)</label>
          <input
            id="audit-to"
            type="date"
            value={toDay}
            onChange={(event) => {
              setToDay(event.target.value);
              restart();
            }}
          />
        </div>
        <button type="button" className="button button-secondary" onClick={refresh}>
          Refresh
        </button>
        <a className="button button-secondary" href={auditCsvHref(filter)} download>
          Download CSV
        </a>
      </div>
      <EntriesPage
        key={`${filterKey}|${cursor ?? 'newest'}|${generation}`}
        filter={filter}
        onPatient={(id) => {
          setPatientId(id);
          restart();
        }}
        action={action}
        before={cursor}
        pageNumber={cursors.length}
        focusOnLoad={moved}
        onOlder={older}
        onNewer={cursors.length > 1 ? newer : undefined}
      />
    </section>
  );
}

interface EntriesPageProps {
  readonly filter: AuditFilter;
  /** Narrow the list to one patient (their label in a row was chosen). */
  readonly onPatient: (patientId: string) => void;
  readonly action: string;
  readonly before: number | undefined;
  readonly pageNumber: number;
  /** After paging, focus moves to the table so keyboard users land on the new rows. */
  readonly focusOnLoad: boolean;
  readonly onOlder: (nextBefore: number) => void;
  readonly onNewer: (() => void) | undefined;
}

function EntriesPage(props: EntriesPageProps) {
  const { action, before, filter } = props;
  const page = useResource(() =>
    listAuditEntries({
      ...filter,
      ...(before === undefined ? {} : { before }),
      limit: PAGE_SIZE,
    }),
  );
  const tableRef = useRef<HTMLDivElement>(null);
  const ready = page.resource.status === 'ready';
  useEffect(() => {
    if (ready && props.focusOnLoad) tableRef.current?.focus();
  }, [ready, props.focusOnLoad]);

  const what = action ? `${action} entries` : 'ledger entries';
  if (page.resource.status !== 'ready') {
    return <LoadState resource={page.resource} what={what} onRetry={() => void page.reload()} />;
  }
  const { entries, nextBefore } = page.resource.data;
  const first = entries[0];
  const last = entries[entries.length - 1];
  return (
    <>
      {entries.length === 0 ? (
        <p className="empty-state">
          {Object.keys(filter).length > 0
            ? `No ${action ? `${action} ` : ''}entries match these filters${before === undefined ? '' : ' before these'}.`
            : 'No entries yet.'}
        </p>
      ) : (
        <div
          className="table-scroll"
          ref={tableRef}
          tabIndex={-1}
          role="group"
          aria-label={`Entries, page ${props.pageNumber}`}
        >
          <EntriesTable entries={entries} onPatient={props.onPatient} />
        </div>
      )}
      <div className="button-row pager">
        {props.onNewer && (
          <button type="button" className="button button-secondary" onClick={props.onNewer}>
            Newer entries
          </button>
        )}
        {nextBefore !== null && (
          <button type="button" className="button button-secondary" onClick={() => props.onOlder(nextBefore)}>
            Older entries
          </button>
        )}
        {first && last && (
          <span className="button-row-note">
            Page {props.pageNumber}: sequence numbers {first.seq} to {last.seq}
          </span>
        )}
      </div>
    </>
  );
}

function EntriesTable(props: {
  readonly entries: readonly AuditEntry[];
  readonly onPatient: (patientId: string) => void;
}) {
  return (
    <table className="table table-compact table-stack audit-table">
      <caption className="visually-hidden">Audit ledger entries, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Seq</th>
          <th scope="col">Time</th>
          <th scope="col">What happened</th>
          <th scope="col">Outcome</th>
          <th scope="col">Patient</th>
        </tr>
      </thead>
      <tbody>
        {props.entries.map((entry) => (
          <tr key={entry.seq}>
            <th scope="row" className="cell-mono">
              {entry.seq}
            </th>
            <td data-label="Time">{formatDateTime(entry.time)}</td>
            <td data-label="What happened">
              {entry.sentence}
              <span className="cell-note cell-mono">{entry.action}</span>
            </td>
            <td data-label="Outcome">
              <span className={`status ${outcomeClass(entry.outcome)}`}>{entry.outcome}</span>
            </td>
            <td data-label="Patient">
              {entry.patientId === null ? (
                <span className="muted">—</span>
              ) : (
                <button
                  type="button"
                  className="link-button"
                  onClick={() => props.onPatient(entry.patientId ?? '')}
                  aria-label={`Only entries about ${entry.patientLabel ?? 'this patient'}`}
                >
                  {entry.patientLabel}
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function outcomeClass(outcome: string): string {
  if (outcome === 'success') return 'status-ok';
  if (outcome === 'failure' || outcome === 'denied') return 'status-bad';
  return 'status-muted';
}
