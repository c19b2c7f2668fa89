import { useEffect, useRef, useState } from 'react';
import { COMMON_AUDIT_ACTIONS, listAuditEntries, type AuditEntry } from '../../api/audit.js';
import { LoadState } from '../../components/LoadState.js';
import { formatDateTime } from '../../format.js';
import { useResource } from '../../data/useQuery.js';

const PAGE_SIZE = 50;

/**
 * Ledger entries newest first, filtered by action, paged backwards with the server's
 * `nextBefore` cursor. A stack of cursors lets "Newer entries" step back.
 */
export function AuditEntries() {
  const [action, setAction] = useState('');
  // cursors[i] is the `before` of page i; the newest page has none.
  const [cursors, setCursors] = useState<readonly (number | undefined)[]>([undefined]);
  const [generation, setGeneration] = useState(0);
  const [moved, setMoved] = useState(false);
  const cursor = cursors[cursors.length - 1];

  function choose(next: string): void {
    setAction(next);
    setCursors([undefined]);
    setMoved(false);
  }

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
        <button type="button" className="button button-secondary" onClick={refresh}>
          Refresh
        </button>
      </div>
      <EntriesPage
        key={`${action}|${cursor ?? 'newest'}|${generation}`}
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
  readonly action: string;
  readonly before: number | undefined;
  readonly pageNumber: number;
  /** After paging, focus moves to the table so keyboard users land on the new rows. */
  readonly focusOnLoad: boolean;
  readonly onOlder: (nextBefore: number) => void;
  readonly onNewer: (() => void) | undefined;
}

function EntriesPage(props: EntriesPageProps) {
  const { action, before } = props;
  const page = useResource(() =>
    listAuditEntries({
      ...(action ? { action } : {}),
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
          {action ? `No ${action} entries${before === undefined ? '' : ' before these'}.` : 'No entries yet.'}
        </p>
      ) : (
        <div
          className="table-scroll"
          ref={tableRef}
          tabIndex={-1}
          role="group"
          aria-label={`Entries, page ${props.pageNumber}`}
        >
          <EntriesTable entries={entries} />
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

function EntriesTable({ entries }: { readonly entries: readonly AuditEntry[] }) {
  return (
    <table className="table table-compact table-stack audit-table">
      <caption className="visually-hidden">Audit ledger entries, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Seq</th>
          <th scope="col">Time</th>
          <th scope="col">Actor</th>
          <th scope="col">Action</th>
          <th scope="col">Target</th>
          <th scope="col">Outcome</th>
          <th scope="col">Patient</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((entry) => (
          <tr key={entry.seq}>
            <th scope="row" className="cell-mono">
              {entry.seq}
            </th>
            <td data-label="Time">{formatDateTime(entry.time)}</td>
            <td data-label="Actor">
              {entry.actor ? (
                <>
                  {entry.actor.role || 'unknown role'}
                  <span className="cell-note cell-mono">{entry.actor.userId}</span>
                </>
              ) : (
                <span className="muted">none</span>
              )}
            </td>
            <td data-label="Action" className="cell-mono">
              {entry.action}
            </td>
            <td data-label="Target">
              {entry.target ? (
                <>
                  {entry.target.type}
                  <span className="cell-note cell-mono">{entry.target.id}</span>
                </>
              ) : (
                <span className="muted">—</span>
              )}
            </td>
            <td data-label="Outcome">
              <span className={`status ${outcomeClass(entry.outcome)}`}>{entry.outcome}</span>
            </td>
            <td data-label="Patient" className="cell-mono">
              {entry.patientId ?? <span className="muted">—</span>}
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
