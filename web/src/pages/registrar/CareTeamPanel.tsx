import { useState } from 'react';
import { describeError } from '../../api/client.js';
import {
  removeFromCareTeam,
  type CareTeamMember,
  type Doctor,
  type PatientSummary,
} from '../../api/patients.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { FormAlert } from '../../components/FormAlert.js';
import { LoadState } from '../../components/LoadState.js';
import { formatDate } from '../../format.js';
import type { Resource } from '../../data/resource.js';
import { patientQuery } from '../../data/queries.js';
import { useQuery } from '../../data/useQuery.js';
import { AssignDoctorForm } from './AssignDoctorForm.js';

/** The chosen patient's care team: who is on it (remove), and a form to add a doctor. */
export function CareTeamPanel(props: {
  readonly patient: PatientSummary;
  readonly doctors: Resource<readonly Doctor[]>;
  readonly onRetryDoctors: () => void;
}) {
  const { patient } = props;
  // Loaded again on arrival: another registrar may have changed the care team meanwhile.
  const details = useQuery(patientQuery(patient.id), { refreshOnMount: true });
  const [removing, setRemoving] = useState<string>();
  const [error, setError] = useState<string>();

  async function remove(member: CareTeamMember): Promise<void> {
    setRemoving(member.doctorId);
    setError(undefined);
    try {
      await removeFromCareTeam(patient.id, member.doctorId);
      await details.reload();
    } catch (caught) {
      setError(describeError(caught));
    } finally {
      setRemoving(undefined);
    }
  }

  return (
    <div className="stack">
      <LoadState resource={details.resource} what="the care team" onRetry={() => void details.reload()} />
      {details.resource.status === 'ready' &&
        (details.resource.data.careTeam.length === 0 ? (
          <p className="empty-state">No doctor is on {patient.name}&apos;s care team yet.</p>
        ) : (
          <ul className="member-list" aria-label={`Care team of ${patient.name}`}>
            {details.resource.data.careTeam.map((member) => (
              <li key={member.doctorId}>
                <span>
                  <strong>{member.displayName}</strong>
                  {member.assignedAt !== undefined && (
                    <span className="cell-note">Since {formatDate(member.assignedAt)}</span>
                  )}
                </span>
                <ConfirmButton
                  label="Remove"
                  accessibleLabel={`Remove ${member.displayName} from the care team`}
                  question="Remove from the care team?"
                  confirmLabel="Remove"
                  busy={removing === member.doctorId}
                  disabled={removing !== undefined}
                  onConfirm={() => void remove(member)}
                />
              </li>
            ))}
          </ul>
        ))}
      <FormAlert title="Could not remove the doctor." message={error} />
      <AssignDoctorForm
        patient={patient}
        doctors={props.doctors}
        onRetryDoctors={props.onRetryDoctors}
        onAssigned={details.reload}
      />
    </div>
  );
}
