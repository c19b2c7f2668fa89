import { RecordDetail } from '../records/RecordDetail.js';
import { pageHref } from '../records/subroute.js';
import { usePatientName } from './usePatientName.js';

/** A record of a patient, for a doctor (who may add images to imaging studies). */
export function PatientRecordPage(props: {
  readonly patientId: string;
  readonly recordId: string;
  readonly notice: string | undefined;
}) {
  const patient = usePatientName(props.patientId);
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title" className="page-kicker">
        {patient.name ?? 'Patient'}
      </h1>
      <RecordDetail
        recordId={props.recordId}
        backHref={pageHref(['patients', props.patientId])}
        backLabel={`All records of ${patient.name ?? 'the patient'}`}
        canUpload
        notice={props.notice}
      />
    </section>
  );
}
