import { PatientBanner } from '../patient-banner/PatientBanner.js';
import { RecordDetail } from '../records/RecordDetail.js';
import { href, type RouteParams } from '../../routes.js';
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
      <PatientBanner patientId={props.patientId} />
      <RecordDetail
        recordId={props.recordId}
        backHref={href('patient', { patientId: props.patientId })}
        backLabel={`All records of ${patient.name ?? 'the patient'}`}
        canUpload
        notice={props.notice}
      />
    </section>
  );
}

/** The notice a record opens with after the new-record form saved it (`?saved=1[&uploadError=…]`). */
export function savedNotice(params: RouteParams<'patient-record'>): string | undefined {
  if (params.uploadError)
    return `The record is saved, but an image could not be uploaded: ${params.uploadError} Add it below.`;
  if (params.saved === '1') return 'Record saved.';
  return undefined;
}
