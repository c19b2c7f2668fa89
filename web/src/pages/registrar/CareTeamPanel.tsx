import {
  memberName,
  removeFromCareTeam,
  type CareTeamMember,
  type Doctor,
  type PatientSummary,
} from '../../api/patients.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { FormAlert } from '../../components/FormAlert.js';
import { LoadState } from '../../components/LoadState.js';
import { useAction } from '../../forms/useAction.js';
import { formatDate } from '../../format.js';
import type { Resource } from '../../data/resource.js';
import { patientQuery } from '../../data/queries.js';
import { useQuery } from '../../data/useQuery.js';
import { AssignDoctorForm } from './AssignDoctorForm.js';

/** The chosen patient's care team: who is on it (remove), and a form to add a doctor. */
export function CareTeamPanel(props: {
  readonly patient: Pick<PatientSummary, 'id' | 'fullName'>;
  readonly doctors: Resource<readonly Doctor[]>;
  readonly onRetryDoctors: () => void;
}) {
  const { patient } = props;
  // Loaded again on arrival: another registrar may have changed the care team meanwhile.
  const details = useQuery(patientQuery(patient.id), { refreshOnMount: true });
  // The doctor being removed, whose button is at work.
  const action = useAction<string>();
  const removing = action.running;

  function remove(member: CareTeamMember): void {
    void action.run(member.doctorId, async () => {
      await removeFromCareTeam(patient.id, member.doctorId);
      await details.reload();
    });
  }

  return (
    <div className="stack">
      <LoadState resource={details.resource} what="the care team" onRetry={() => void details.reload()} />
      {details.resource.status === 'ready' &&
        (details.resource.data.careTeam.length === 0 ? (
          <p className="empty-state">No doctor is on {patient.fullName}&apos;s care team yet.</p>
        ) : (
          <ul className="member-list" aria-label={`Care team of ${patient.fullName}`}>
            {details.resource.data.careTeam.map((member) => (
              <li key={member.doctorId}>
                <span>
                  <strong>{memberName(member)}</strong>
                  {member.assignedAt !== undefined && (
                    <span className="cell-note">Since {formatDate(member.assignedAt)}</span>
                  )}
                </span>
                <ConfirmButton
                  label="Remove"
                  accessibleLabel={`Remove ${memberName(member)} from the care team`}
                  question="Remove from the care team?"
                  confirmLabel="Remove"
                  busy={removing === member.doctorId}
                  disabled={removing !== undefined}
                  onConfirm={() => remove(member)}
                />
              </li>
            ))}
          </ul>
        ))}
      <FormAlert title="Could not remove the doctor." message={action.error} />
      <AssignDoctorForm
        patient={patient}
        doctors={props.doctors}
        onRetryDoctors={props.onRetryDoctors}
        onAssigned={details.reload}
      />
    </div>
  );
}
