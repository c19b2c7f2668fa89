import { formatMrn, type FoundPatient } from '../../api/patient-search.js';
import { PatientRadioRow, PatientRadioTable } from './PatientRadioRow.js';

/** The patients a search found, as radio buttons: name, date of birth and MRN to tell them apart. */
export function FoundPatientsPicker(props: {
  readonly found: { readonly patients: readonly FoundPatient[]; readonly more: boolean };
  readonly selected: string | undefined;
  readonly onSelect: (patientId: string) => void;
}) {
  const { patients, more } = props.found;
  return (
    <fieldset className="fieldset fieldset-plain">
      <legend className="visually-hidden">Choose a patient found</legend>
      {patients.length === 0 ? (
        <p className="empty-state" role="status">
          No patient matches. Check the spelling, or search by MRN or date of birth.
        </p>
      ) : (
        <PatientRadioTable columns={['Born', 'MRN']}>
          {patients.map((patient) => (
            <PatientRadioRow
              key={patient.id}
              group="found"
              name="found-patient"
              patientId={patient.id}
              fullName={patient.fullName}
              selected={props.selected}
              onSelect={props.onSelect}
            >
              <td>{patient.dateOfBirth}</td>
              <td className="cell-mono">{formatMrn(patient.mrn)}</td>
            </PatientRadioRow>
          ))}
        </PatientRadioTable>
      )}
      {more && (
        <p className="muted">More patients match: add a word or the date of birth to narrow it down.</p>
      )}
    </fieldset>
  );
}
