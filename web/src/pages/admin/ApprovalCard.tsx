import type { Approval } from '../../api/approvals.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { formatDateTime } from '../../format.js';
import { APPROVAL_KIND_LABELS } from './approval-text.js';

/**
 * One request of the two-person rule, in words: what approving does, for whom, who asked and
 * when, until when it waits. Approve and Refuse ask once more before acting; on the requester's
 * own request there are none, only why (the server refuses it too, and ledgers the attempt).
 */
export function ApprovalCard(props: {
  readonly approval: Approval;
  /** Whom it is about, in words (approval-text.ts). */
  readonly subject: string;
  /** The signed-in admin asked for it. */
  readonly isOwn: boolean;
  /** Which decision is at work on this page ('approve:<id>', 'refuse:<id>'), if any. */
  readonly busy: string | undefined;
  readonly onDecide: (decision: 'approve' | 'refuse') => void;
}) {
  const { approval } = props;
  const titleId = `approval-${approval.id}-title`;
  const kind = APPROVAL_KIND_LABELS[approval.kind];
  const requester = props.isOwn ? 'You' : (approval.requestedByName ?? approval.requestedBy);
  return (
    <article className="user-card" aria-labelledby={titleId}>
      <header className="user-card-header">
        <div>
          <h3 id={titleId}>
            {kind}: {props.subject}
          </h3>
          <p>{approval.summary}</p>
        </div>
        <span className="status status-muted">
          {approval.status === 'pending' ? 'Waiting for a second administrator' : approval.status}
        </span>
      </header>
      <dl className="fact-list">
        <div>
          <dt>For</dt>
          <dd>{props.subject}</dd>
        </div>
        <div>
          <dt>Asked by</dt>
          <dd>
            {requester}, {formatDateTime(approval.createdAt)}
          </dd>
        </div>
        <div>
          <dt>Expires</dt>
          <dd>{formatDateTime(approval.expiresAt)}</dd>
        </div>
      </dl>
      {props.isOwn ? (
        <p className="field-hint">You asked for this: a different administrator must approve or refuse it.</p>
      ) : (
        <div className="button-row">
          <ConfirmButton
            label="Approve"
            accessibleLabel={`Approve: ${kind}, ${props.subject}`}
            question={`${approval.summary} Approve?`}
            confirmLabel="Approve"
            tone="primary"
            busy={props.busy === `approve:${approval.id}`}
            disabled={props.busy !== undefined}
            onConfirm={() => props.onDecide('approve')}
          />
          <ConfirmButton
            label="Refuse"
            accessibleLabel={`Refuse: ${kind}, ${props.subject}`}
            question="Refuse this request? Nothing changes; the refusal is recorded."
            confirmLabel="Refuse"
            busy={props.busy === `refuse:${approval.id}`}
            disabled={props.busy !== undefined}
            onConfirm={() => props.onDecide('refuse')}
          />
        </div>
      )}
    </article>
  );
}
