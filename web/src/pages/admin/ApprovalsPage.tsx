import { useState } from 'react';
import { listUsers, type StaffUser } from '../../api/admin.js';
import { getPatient } from '../../api/patients.js';
import type { Role } from '../../../../src/contract/vocabulary/roles.js';
import {
  approveRequest,
  listApprovals,
  refuseRequest,
  type Approval,
  type StaffInvite,
} from '../../api/approvals.js';
import { FormAlert } from '../../components/FormAlert.js';
import { InviteCode } from '../../components/InviteCode.js';
import { LoadState } from '../../components/LoadState.js';
import { useResource } from '../../data/useQuery.js';
import { useAction } from '../../forms/useAction.js';
import type { PageProps } from '../page-props.js';
import { ApprovalCard } from './ApprovalCard.js';
import { AskApprovalCard } from './AskApprovalCard.js';
import { APPROVAL_KIND_LABELS, subjectWords, type RequestPatient } from './approval-text.js';
import { OneTimeSecret } from '../../components/OneTimeSecret.js';
import { formatDateTime } from '../../format.js';

interface Requests {
  readonly approvals: readonly Approval[];
  /** To name whom a request is about; admins may list staff accounts. */
  readonly users: readonly StaffUser[];
  /** The patients of re-enrolment requests (registrars: name and MRN, to hand the code over). */
  readonly patients: ReadonlyMap<string, RequestPatient>;
}

/**
 * The requests this role decides (the server lists only those) and what names their subjects:
 * admins read the staff list; registrars read each re-enrolment's patient (a ledgered read).
 */
async function loadRequests(role: Role): Promise<Requests> {
  const [approvals, users] = await Promise.all([
    listApprovals(),
    role === 'admin' ? listUsers() : Promise.resolve([]),
  ]);
  const patientIds = [
    ...new Set(approvals.filter((a) => a.kind === 'patient.reenrol').map((a) => a.subjectId)),
  ];
  const found = await Promise.all(patientIds.map((id) => getPatient(id)));
  return {
    approvals,
    users,
    patients: new Map(found.map((p) => [p.id, { fullName: p.fullName, mrn: p.mrn }])),
  };
}

type Enrolment = { readonly patient: string; readonly code: string; readonly expiresAt: number };

/**
 * Admin: the two-person rule's requests (activating a staff account or an administrator,
 * re-enrolling someone, raising the privacy budget) that wait for a second administrator. A
 * decision the server answers with a one-time value (a re-enrolment's new invite code) shows it
 * this once.
 */
export function ApprovalsPage(props: PageProps) {
  const role = props.user.role;
  const requests = useResource(() => loadRequests(role));
  const action = useAction<string>();
  const [notice, setNotice] = useState<string>();
  const [invite, setInvite] = useState<{ readonly username: string; readonly invite: StaffInvite }>();
  const [enrolment, setEnrolment] = useState<Enrolment>();
  // Bumped by every decision: the policy shown beside the form is read again (an approval may change it).
  const [decisions, setDecisions] = useState(0);

  const data = requests.resource.status === 'ready' ? requests.resource.data : undefined;

  function decide(approval: Approval, subject: string, decision: 'approve' | 'refuse'): void {
    void action.run(`${decision}:${approval.id}`, async () => {
      try {
        const answer = await (decision === 'approve'
          ? approveRequest(approval.id)
          : refuseRequest(approval.id));
        const what = `${APPROVAL_KIND_LABELS[approval.kind]}: ${subject}`;
        setNotice(decision === 'approve' ? `Approved. ${what}.` : `Refused. ${what}.`);
        if (answer.invite !== undefined) {
          const holder = data?.users.find((user) => user.id === approval.subjectId);
          setInvite({ username: holder?.username ?? subject, invite: answer.invite });
        }
        if (answer.enrolment !== undefined)
          setEnrolment({
            patient: subject,
            code: answer.enrolment.enrolmentCode,
            expiresAt: answer.enrolment.expiresAt,
          });
      } finally {
        // Whatever the answer: a request another admin decided meanwhile leaves the list too.
        await requests.reload();
        setDecisions((n) => n + 1);
      }
    });
  }

  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{props.item.label}</h1>
      <p className="page-summary">
        {role === 'admin'
          ? 'What one administrator may not do alone waits here for a second: activating a staff account or an administrator, re-enrolling a staff member, raising the privacy budget, changing the second-factor policy.'
          : "A patient's re-enrolment asked for by another registrar waits here for you: approving it gives you the new enrolment code to hand to the patient in person."}{' '}
        Nobody decides their own request, and every request and decision is in the audit ledger.
      </p>
      <p className="notice-region notice-banner" role="status" aria-live="polite">
        {notice}
      </p>
      {invite && (
        <InviteCode username={invite.username} invite={invite.invite} onDone={() => setInvite(undefined)} />
      )}
      {enrolment && (
        <OneTimeSecret
          title={`Enrolment code for ${enrolment.patient}`}
          secret={enrolment.code}
          secretLabel={`Enrolment code for ${enrolment.patient}`}
          doneLabel="Done"
          onDone={() => setEnrolment(undefined)}
        >
          <p>
            Give it to the patient in person, after checking who they are; it works once, until{' '}
            {formatDateTime(enrolment.expiresAt)}. They choose <strong>First time here?</strong> on the
            sign-in page and enter their SSN and this code.
          </p>
        </OneTimeSecret>
      )}
      <FormAlert title="That did not work." message={action.error} />
      {role === 'admin' && (
        <AskApprovalCard
          key={decisions}
          onAsked={async (what) => {
            setNotice(`${what} It waits below for another administrator.`);
            await requests.reload();
          }}
        />
      )}
      <section className="section" aria-labelledby="approval-list-title">
        <h2 id="approval-list-title">Waiting for a decision</h2>
        <LoadState resource={requests.resource} what="requests" onRetry={() => void requests.reload()} />
        {data &&
          (data.approvals.length === 0 ? (
            <p className="empty-state">
              {role === 'admin'
                ? 'Nothing waits for a second administrator.'
                : 'No re-enrolment waits for you.'}
            </p>
          ) : (
            <div className="user-list">
              {data.approvals.map((approval) => {
                const subject = subjectWords(approval.kind, approval.subjectId, data.users, data.patients);
                return (
                  <ApprovalCard
                    key={approval.id}
                    approval={approval}
                    subject={subject}
                    isOwn={approval.requestedBy === props.user.id}
                    busy={action.running}
                    onDecide={(decision) => decide(approval, subject, decision)}
                  />
                );
              })}
            </div>
          ))}
      </section>
    </section>
  );
}
