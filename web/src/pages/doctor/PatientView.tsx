import { PatientBanner } from '../patient-banner/PatientBanner.js';
import { href } from '../../routes.js';
import { RecordsBrowser } from '../records/RecordsBrowser.js';
import { recordOrPrescriptionHref } from '../records/record-href.js';
import { useFocusOnMount } from '../records/useFocusOnMount.js';
import { usePatientName } from './usePatientName.js';

/** One patient, for a doctor: their records by type, and a button to write a new one. */
export function PatientView(props: { readonly patientId: string }) {
  const { patientId } = props;
  const patient = usePatientName(patientId);
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const name = patient.name ?? 'Patient';
  return (
    <section className="page" aria-labelledby="page-title">
      <p className="breadcrumb">
        <a href={href('patients')}>← My patients</a>
      </p>
      <div className="page-heading-row">
        <div>
          <h1 id="page-title" ref={heading} tabIndex={-1} className="focus-heading">
            {name}
          </h1>
          <p className="page-summary">
            {patient.maskedSsn ? `SSN ${patient.maskedSsn}. ` : ''}Every record you open is written to the
            patient&apos;s access history.
          </p>
        </div>
        <div className="button-row">
          <a className="button button-primary" href={href('patient-new-record', { patientId })}>
            New record
          </a>
          <a className="button" href={href('prescribe', { patient: patientId })}>
            Prescribe
          </a>
        </div>
      </div>
      <PatientBanner patientId={patientId} />
      <section className="card" aria-labelledby="records-title">
        <h2 id="records-title">Records</h2>
        <RecordsBrowser
          patientId={patientId}
          idPrefix="doctor-records"
          emptyText={`${name} has no records yet.`}
          hrefOf={(record) =>
            recordOrPrescriptionHref(record, {
              record: (recordId) => href('patient-record', { patientId, recordId }),
              prescription: (prescriptionId) => href('patient-prescription', { patientId, prescriptionId }),
            })
          }
        />
      </section>
    </section>
  );
}
