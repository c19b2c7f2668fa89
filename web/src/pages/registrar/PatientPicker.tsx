import { PatientRadioRow, PatientRadioTable } from './PatientRadioRow.js';
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
        <PatientRadioTable columns={['SSN']}>
          {list.patients.map((patient) => (
            <PatientRadioRow
              key={patient.id}
              group="patient"
              name="patient"
              patientId={patient.id}
              fullName={patient.fullName}
              selected={props.selected}
              onSelect={props.onSelect}
            >
              <td className="cell-mono">{patient.maskedSsn}</td>
            </PatientRadioRow>
          ))}
        </PatientRadioTable>
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
