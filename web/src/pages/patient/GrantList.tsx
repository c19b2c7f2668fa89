import { GRANT_SCOPE_LABELS, RECORD_TYPE_LABELS, RECORD_TYPES, type Grant } from '../../api/grants.js';
import { formatDate, formatDateTime } from '../../format.js';

export interface GrantListProps {
  readonly grants: readonly Grant[];
  readonly nameOf: (grant: Grant) => string;
  /** Id of the grant being revoked, whose button is busy. */
  readonly revoking: string | undefined;
  readonly onRevoke: (grant: Grant) => void;
}

/**
 * The patient's grants: current and expired ones in a table (current ones can be revoked),
 * revoked ones folded away below, for the record.
 */
export function GrantList(props: GrantListProps) {
  const current = props.grants.filter((grant) => grant.status !== 'revoked');
  const revoked = props.grants.filter((grant) => grant.status === 'revoked');
  return (
    <>
      {current.length === 0 ? (
        <p className="empty-state">You are not sharing your records with any other doctor.</p>
      ) : (
        <CurrentGrants {...props} grants={current} />
      )}
      {revoked.length > 0 && (
        <details className="disclosure">
          <summary>Revoked ({revoked.length})</summary>
          <ul className="plain-list">
            {revoked.map((grant) => (
              <li key={grant.id}>
                {props.nameOf(grant)}: {typesText(grant)} ({GRANT_SCOPE_LABELS[grant.scope].toLowerCase()}),
                revoked {formatDateTime(grant.revokedAt)}
              </li>
            ))}
          </ul>
        </details>
      )}
    </>
  );
}

function typesText(grant: Grant): string {
  const types = grant.recordTypes;
  return types === null
    ? 'All records'
    : RECORD_TYPES.filter((type) => types.includes(type))
        .map((type) => RECORD_TYPE_LABELS[type])
        .join(', ');
}

function CurrentGrants(props: GrantListProps) {
  return (
    <div className="table-scroll">
      <table className="table table-stack">
        <caption className="visually-hidden">Doctors who may read (or read and write) your records</caption>
        <thead>
          <tr>
            <th scope="col">Doctor</th>
            <th scope="col">Records</th>
            <th scope="col">Access</th>
            <th scope="col">Access ends</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.grants.map((grant) => {
            const name = props.nameOf(grant);
            const expired = grant.status === 'expired';
            return (
              <tr key={grant.id}>
                <th scope="row">
                  {name}
                  {grant.createdAt !== undefined && (
                    <span className="cell-note">Granted {formatDate(grant.createdAt)}</span>
                  )}
                </th>
                <td data-label="Records">{typesText(grant)}</td>
                <td data-label="Access">{GRANT_SCOPE_LABELS[grant.scope]}</td>
                <td data-label="Ends">
                  {expired ? (
                    <span className="status status-muted">Expired</span>
                  ) : grant.expiresAt === null ? (
                    'When you revoke it'
                  ) : (
                    formatDate(grant.expiresAt)
                  )}
                </td>
                <td className="cell-actions">
                  {!expired && (
                    <button
                      type="button"
                      className="button button-danger button-small"
                      onClick={() => props.onRevoke(grant)}
                      disabled={props.revoking !== undefined}
                      aria-label={`Revoke access for ${name}`}
                    >
                      {props.revoking === grant.id ? 'Revoking…' : 'Revoke'}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
