import { formatMrn, type FoundPatient } from '../../api/patient-search.js';

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
        <div className="table-scroll">
          <table className="table table-selectable">
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden">Selected</span>
                </th>
                <th scope="col">Name</th>
                <th scope="col">Born</th>
                <th scope="col">MRN</th>
              </tr>
            </thead>
            <tbody>
              {patients.map((patient) => {
                const inputId = `found-${patient.id}`;
                const checked = props.selected === patient.id;
                return (
                  <tr key={patient.id} className={checked ? 'row-selected' : undefined}>
                    <td className="cell-select">
                      <input
                        id={inputId}
                        type="radio"
                        name="found-patient"
                        value={patient.id}
                        checked={checked}
                        onChange={() => props.onSelect(patient.id)}
                      />
                    </td>
                    <td>
                      <label htmlFor={inputId}>{patient.fullName}</label>
                    </td>
                    <td>{patient.dateOfBirth}</td>
                    <td className="cell-mono">{formatMrn(patient.mrn)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {more && (
        <p className="muted">More patients match: add a word or the date of birth to narrow it down.</p>
      )}
    </fieldset>
  );
}
