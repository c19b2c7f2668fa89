import { PatientBanner } from '../patient-banner/PatientBanner.js';
import { RecordForm, type SavedRecord } from '../records/RecordForm.js';
import type { WritableType } from '../records/record-types.js';
import { href, navigate } from '../../routes.js';
import { useFocusOnMount } from '../records/useFocusOnMount.js';
import { usePatientName } from './usePatientName.js';

/** A new record for the patient in view; on success, the record it made. */
export function PatientNewRecord(props: {
  readonly patientId: string;
  readonly initialType: WritableType | undefined;
}) {
  const { patientId } = props;
  const patient = usePatientName(patientId);
  const heading = useFocusOnMount<HTMLHeadingElement>();
  return (
    <section className="page" aria-labelledby="page-title">
      <p className="breadcrumb">
        <a href={href('patient', { patientId })}>← {patient.name ?? 'Patient'}</a>
      </p>
      <h1 id="page-title" ref={heading} tabIndex={-1} className="focus-heading">
        New record{patient.name ? ` for ${patient.name}` : ''}
      </h1>
      <PatientBanner patientId={props.patientId} />
      <p className="page-summary">The title, body and keywords are encrypted before they are stored.</p>
      <div className="card card-wide">
        <RecordForm patientId={patientId} initialType={props.initialType} onSaved={goToSaved} />
      </div>
    </section>
  );
}

/** After saving: the new record, with a notice (and the upload error, if any). */
export function goToSaved(saved: SavedRecord): void {
  navigate(
    href('patient-record', {
      patientId: saved.patientId,
      recordId: saved.recordId,
      saved: '1',
      uploadError: saved.uploadError,
    }),
  );
}
