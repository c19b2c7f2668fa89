import { useEffect, useState } from 'react';
import type { PatientSummary } from '../../api/patients.js';
import { latestReenrolment, requestReenrolment, type ReenrolmentRequest } from '../../api/reenrolment.js';
import { FormAlert } from '../../components/FormAlert.js';
import { useAction } from '../../forms/useAction.js';
import { formatDateTime } from '../../format.js';

const STATE: Record<ReenrolmentRequest['status'], string> = {
  pending: 'Waiting for another registrar to approve it',
  approved: 'Approved: the approving registrar received the new enrolment code',
  refused: 'Refused',
  expired: 'Expired without a decision',
};

/**
 * Re-enrolment of a patient who lost PIN, password AND recovery code (two-person rule): this
 * registrar only asks; another registrar approves on the Approvals page and receives the new
 * enrolment code to hand over. Shows the newest request's state.
 */
export function ReenrolPanel(props: { readonly patient: Pick<PatientSummary, 'id' | 'fullName'> }) {
  const { patient } = props;
  const [latest, setLatest] = useState<ReenrolmentRequest | null>();
  const action = useAction<'load' | 'request'>();
  const busy = action.running !== undefined;

  useEffect(() => {
    void action.run('load', async () => setLatest(await latestReenrolment(patient.id)));
    // One load per patient (the panel is keyed by patient).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [patient.id]);

  function request(): void {
    void action.run('request', async () => setLatest(await requestReenrolment(patient.id)));
  }

  const pending = latest?.status === 'pending';
  return (
    <div className="stack">
      <p className="muted">
        Only for a patient who lost their PIN, password and recovery code. Approval removes them, the
        patient&apos;s passkeys, authenticator apps and sessions, and gives the approving registrar a new
        enrolment code to hand over in person.
      </p>
      {latest && (
        <p data-testid="reenrol-state">
          <strong>{STATE[latest.status]}</strong> (asked {formatDateTime(latest.createdAt)}
          {latest.requestedByName ? ` by ${latest.requestedByName}` : ''}).
        </p>
      )}
      <FormAlert title="Could not ask for the re-enrolment." message={action.error} />
      <div className="button-row">
        <button
          type="button"
          className="button button-secondary"
          onClick={request}
          disabled={busy || pending || latest === undefined}
        >
          {action.running === 'request' ? 'Asking…' : pending ? 'Re-enrolment requested' : 'Re-enrol patient'}
        </button>
      </div>
    </div>
  );
}
