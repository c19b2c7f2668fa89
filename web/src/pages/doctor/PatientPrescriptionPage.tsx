import { PatientBanner } from '../patient-banner/PatientBanner.js';
import { href } from '../../routes.js';
import { PrescriptionDetail } from '../prescriptions/PrescriptionDetail.js';
import { usePatientName } from './usePatientName.js';

/** A prescription of a patient, for a doctor (from the patient's records list). */
export function PatientPrescriptionPage(props: {
  readonly patientId: string;
  readonly prescriptionId: string;
}) {
  const patient = usePatientName(props.patientId);
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title" className="page-kicker">
        {patient.name ?? 'Patient'}
      </h1>
      <PatientBanner patientId={props.patientId} />
      <PrescriptionDetail
        prescriptionId={props.prescriptionId}
        backHref={href('patient', { patientId: props.patientId })}
        backLabel={`All records of ${patient.name ?? 'the patient'}`}
      />
    </section>
  );
}
