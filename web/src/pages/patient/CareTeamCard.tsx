import { memberName, type PatientDetails } from '../../api/patients.js';
import { LoadState } from '../../components/LoadState.js';
import { href } from '../../routes.js';
import type { Resource } from '../../data/resource.js';

/** The doctors a registrar put on the patient's care team: they may read the records. */
export function CareTeamCard(props: {
  readonly resource: Resource<PatientDetails>;
  readonly onRetry: () => void;
}) {
  const { resource } = props;
  return (
    <section className="card" aria-labelledby="care-team-title">
      <h2 id="care-team-title">Your care team</h2>
      <LoadState resource={resource} what="your care team" onRetry={props.onRetry} />
      {resource.status === 'ready' &&
        (resource.data.careTeam.length === 0 ? (
          <p className="muted">
            No doctor is on your care team yet. The hospital&apos;s registration desk assigns them.
          </p>
        ) : (
          <ul className="chip-list" aria-label="Doctors on your care team">
            {resource.data.careTeam.map((member) => (
              <li key={member.doctorId} className="chip">
                {memberName(member)}
              </li>
            ))}
          </ul>
        ))}
      <p className="field-hint">
        They can read your records. To let another doctor read them, use <a href={href('sharing')}>Sharing</a>
        .
      </p>
    </section>
  );
}
