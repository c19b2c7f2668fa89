import { useState } from 'react';
import type { RegisteredPatient } from '../../api/patients.js';
import type { PageProps } from '../page-props.js';
import { EnrolmentSlip } from './EnrolmentSlip.js';
import { RegisterPatientForm } from './RegisterPatientForm.js';

interface Registered extends RegisteredPatient {
  readonly fullName: string;
  readonly ssn: string;
}

/**
 * Registrar: register a patient (identity only), then print the enrolment slip to hand over. The
 * form is replaced by the slip so it cannot be missed; "Done" brings back an empty form. The
 * registrar never sets nor sees the patient's PIN, password or recovery code.
 */
export function RegisterPatientPage(props: PageProps) {
  const [registered, setRegistered] = useState<Registered>();
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{props.item.label}</h1>
      <p className="page-summary">
        Enter the patient&apos;s identity. The SSN, name and date of birth are stored encrypted. The patient
        then activates their account with the enrolment slip and chooses their own PIN and password.
      </p>
      <div className="card card-narrow">
        {registered ? (
          <EnrolmentSlip
            fullName={registered.fullName}
            patientId={registered.patientId}
            mrn={registered.mrn}
            maskedSsn={`***-**-${registered.ssn.slice(-4)}`}
            enrolmentCode={registered.enrolmentCode}
            expiresAt={registered.expiresAt}
            onDone={() => setRegistered(undefined)}
          />
        ) : (
          <RegisterPatientForm
            onRegistered={(patient, fullName, ssn) => setRegistered({ ...patient, fullName, ssn })}
          />
        )}
      </div>
    </section>
  );
}
