import type { PatientList } from './usePatientList.js';

/** The patient list as a table of radio buttons: pick one patient to act on. */
export function PatientPicker(props: {
  readonly list: PatientList;
  readonly selected: string | undefined;
  readonly onSelect: (patientId: string) => void;
}) {
  const { list } = props;
  return (
    <fieldset className="fieldset fieldset-plain">
      <legend className="visually-hidden">Choose a patient</legend>
      {list.patients.length === 0 && !list.loading && !list.error && (
        <p className="empty-state">No patients are registered yet.</p>
      )}
      {list.patients.length > 0 && (
        <div className="table-scroll">
          <table className="table table-selectable">
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden">Selected</span>
                </th>
                <th scope="col">Name</th>
                <th scope="col">SSN</th>
              </tr>
            </thead>
            <tbody>
              {list.patients.map((patient) => {
                const inputId = `patient-${patient.id}`;
                const checked = props.selected === patient.id;
                return (
                  <tr key={patient.id} className={checked ? 'row-selected' : undefined}>
                    <td className="cell-select">
                      <input
                        id={inputId}
                        type="radio"
                        name="patient"
                        value={patient.id}
                        checked={checked}
                        onChange={() => props.onSelect(patient.id)}
                      />
                    </td>
                    <td>
                      <label htmlFor={inputId}>{patient.fullName}</label>
                    </td>
                    <td className="cell-mono">{patient.maskedSsn}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {list.loading && (
        <p className="muted" role="status">
          Loading patients…
        </p>
      )}
      {list.error && (
        <div className="alert alert-error load-error" role="alert">
          <span>Could not load patients: {list.error}</span>
          <button type="button" className="button button-secondary button-small" onClick={list.retry}>
            Retry
          </button>
        </div>
      )}
      {list.hasMore && !list.loading && !list.error && (
        <div className="button-row">
          <button type="button" className="button button-secondary" onClick={list.loadMore}>
            Load more patients
          </button>
        </div>
      )}
    </fieldset>
  );
}
