import { formatMrn } from '../../api/patient-search.js';
import { patientQuery } from '../../data/queries.js';
import { useQuery } from '../../data/useQuery.js';
import { accessText, ageOn, allergyText } from './banner-text.js';

/**
 * Who is this patient? (issue 20, point 2). On every staff page about one patient: name, age
 * and date of birth, allergies (or "No known allergies"), and how the viewer reached the chart —
 * care team, the patient's grant, or break-glass — as the server's access scope decided it (the
 * demographics answer's `access`; nothing is worked out here). The medical record number (issue 20,
 * point 1) ends the first line.
 */
export function PatientBanner(props: { readonly patientId: string }) {
  const { resource } = useQuery(patientQuery(props.patientId));
  if (resource.status !== 'ready') return null;
  const p = resource.data;
  const age = ageOn(p.dateOfBirth);
  const allergic = p.allergies !== undefined && p.allergies !== null && p.allergies.length > 0;
  return (
    <section className="patient-banner" aria-label="Patient">
      <p className="patient-banner-who">
        <strong>{p.fullName}</strong>
        <span>
          {age === undefined ? '' : `${age} years, `}born {p.dateOfBirth}
        </span>
        <span>MRN {formatMrn(p.mrn)}</span>
      </p>
      <dl className="patient-banner-facts">
        <div className={allergic ? 'patient-banner-allergies allergic' : 'patient-banner-allergies'}>
          <dt>Allergies</dt>
          <dd>{allergyText(p.allergies)}</dd>
        </div>
        {p.access && (
          <div>
            <dt>Your access</dt>
            <dd>{accessText(p.access)}</dd>
          </div>
        )}
      </dl>
    </section>
  );
}
