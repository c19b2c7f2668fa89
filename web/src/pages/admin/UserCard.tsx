import {
  ALGORITHM_LABELS,
  disableUser,
  requestReenrol,
  revokeKey,
  type StaffKey,
  type StaffUser,
} from '../../api/admin.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { FormAlert } from '../../components/FormAlert.js';
import { useAction } from '../../forms/useAction.js';
import { formatDate } from '../../format.js';
import { ROLE_LABELS } from '../../nav.js';
import { href } from '../../routes.js';

/**
 * One staff account: who, role, status, its keys (revoke), disable, and asking for a re-enrolment
 * (lost key and password: a second admin approves it on the Approvals page, which hands out the
 * new invite code). Admins never add a key: the holder does.
 */
export function UserCard(props: {
  readonly user: StaffUser;
  /** The signed-in admin's own account: it cannot be disabled from here. */
  readonly isSelf: boolean;
  readonly onChanged: (notice: string) => Promise<void>;
}) {
  const { user } = props;
  // Which button is at work: 'disable', 'reenrol', or the id of the key being revoked.
  const action = useAction<string>();
  const busy = action.running;
  const titleId = `user-${user.id}-title`;

  function act(what: string, run: () => Promise<void>, notice: string): void {
    void action.run(what, async () => {
      await run();
      await props.onChanged(notice);
    });
  }

  const disabled = user.status === 'disabled';
  const name = user.displayName ?? user.username;
  const activeKeys = user.keys.filter((key) => key.revokedAt === null).length;
  return (
    <article className="user-card" aria-labelledby={titleId}>
      <header className="user-card-header">
        <div>
          <h3 id={titleId}>{name}</h3>
          <p className="muted">
            {name !== user.username && (
              <>
                <span className="mono">{user.username}</span> ·{' '}
              </>
            )}
            {ROLE_LABELS[user.role]}
            {props.isSelf && ' · you'}
          </p>
        </div>
        <div className="user-card-actions">
          <span className={disabled ? 'status status-muted' : 'status status-ok'}>
            {disabled ? 'Disabled' : user.status === 'pending' ? 'Waiting for approval' : 'Active'}
          </span>
          {user.status === 'active' && !props.isSelf && (
            <ConfirmButton
              label="Re-enrol"
              accessibleLabel={`Re-enrol ${user.username}`}
              question={`Re-enrol ${user.username}? Once a second administrator approves, their keys, password and sessions end and a new invite code is issued.`}
              confirmLabel="Ask for re-enrolment"
              busy={busy === 'reenrol'}
              disabled={busy !== undefined}
              onConfirm={() =>
                act(
                  'reenrol',
                  () => requestReenrol(user.id),
                  `Re-enrolment of ${user.username} requested; a second administrator must approve it on the Approvals page.`,
                )
              }
            />
          )}
          {!disabled && !props.isSelf && (
            <ConfirmButton
              label="Disable"
              accessibleLabel={`Disable ${user.username}`}
              question={`Disable ${user.username}? Their sessions end at once.`}
              confirmLabel="Disable account"
              busy={busy === 'disable'}
              disabled={busy !== undefined}
              onConfirm={() => act('disable', () => disableUser(user.id), `${user.username} is disabled.`)}
            />
          )}
        </div>
      </header>
      <FormAlert title="That did not work." message={action.error} />
      <KeyTable
        user={user}
        busyKey={busy}
        onRevoke={(key) =>
          act(
            key.keyId,
            () => revokeKey(user.id, key.keyId),
            `Key ${key.keyId} of ${user.username} is revoked.`,
          )
        }
      />
      {user.status === 'pending' && (
        <p className="field-hint">
          A second administrator approves this account on the <a href={href('approvals')}>Approvals</a> page.
        </p>
      )}
      {activeKeys === 0 && !disabled && (
        <p className="field-hint">
          No active key: {user.username} cannot sign in until they enrol with an invite code (a re-enrolment,
          once a second administrator approves it, issues one).
        </p>
      )}
    </article>
  );
}

function KeyTable(props: {
  readonly user: StaffUser;
  readonly busyKey: string | undefined;
  readonly onRevoke: (key: StaffKey) => void;
}) {
  if (props.user.keys.length === 0) return <p className="muted">No keys registered.</p>;
  return (
    <div className="table-scroll">
      <table className="table table-compact table-stack">
        <caption className="visually-hidden">Keys of {props.user.username}</caption>
        <thead>
          <tr>
            <th scope="col">Key id</th>
            <th scope="col">Algorithm</th>
            <th scope="col">Added</th>
            <th scope="col">Status</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {props.user.keys.map((key) => (
            <tr key={key.keyId}>
              <th scope="row" className="cell-mono">
                {key.keyId}
              </th>
              <td data-label="Algorithm">{ALGORITHM_LABELS[key.algorithm]}</td>
              <td data-label="Added">{formatDate(key.createdAt)}</td>
              <td data-label="Status">
                {key.revokedAt === null ? (
                  <span className="status status-ok">Active</span>
                ) : (
                  <span className="status status-muted">Revoked {formatDate(key.revokedAt)}</span>
                )}
              </td>
              <td className="cell-actions">
                {key.revokedAt === null && (
                  <ConfirmButton
                    label="Revoke"
                    accessibleLabel={`Revoke key ${key.keyId} of ${props.user.username}`}
                    question="Revoke this key? It can no longer sign in or sign."
                    confirmLabel="Revoke key"
                    busy={props.busyKey === key.keyId}
                    disabled={props.busyKey !== undefined}
                    onConfirm={() => props.onRevoke(key)}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
