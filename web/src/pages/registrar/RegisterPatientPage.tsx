import { useState } from 'react';
import type { RegisteredPatient } from '../../api/patients.js';
import { OneTimeSecret } from '../../components/OneTimeSecret.js';
import type { PageProps } from '../page-props.js';
import { RegisterPatientForm } from './RegisterPatientForm.js';

interface Registered extends RegisteredPatient {
  readonly fullName: string;
}

/**
 * Registrar: register a patient, then show the one-time recovery code to hand over. The form is
 * replaced by the code so it cannot be missed; "Done" brings back an empty form.
 */
export function RegisterPatientPage(props: PageProps) {
  const [registered, setRegistered] = useState<Registered>();
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{props.item.label}</h1>
      <p className="page-summary">
        Enter the patient&apos;s details. The patient chooses their PIN and password; the SSN, name and date
        of birth are stored encrypted.
      </p>
      <div className="card card-narrow">
        {registered ? (
          <OneTimeSecret
            title="Recovery code"
            secret={registered.recoveryCode}
            secretLabel={`Recovery code for ${registered.fullName}`}
            doneLabel="Done, register another patient"
            onDone={() => setRegistered(undefined)}
          >
            <p>
              <strong>{registered.fullName}</strong> is registered (patient id{' '}
              <code>{registered.patientId}</code>).
            </p>
            <p>
              <strong>Give this recovery code to the patient.</strong> They need it, with their password and
              date of birth, to set a new PIN if they forget theirs.
            </p>
          </OneTimeSecret>
        ) : (
          <RegisterPatientForm
            onRegistered={(patient, fullName) => setRegistered({ ...patient, fullName })}
          />
        )}
      </div>
    </section>
  );
}
