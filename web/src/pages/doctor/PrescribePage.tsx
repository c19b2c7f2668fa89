import { useState } from 'react';
import type { SubmittedPrescription } from '../../api/prescriptions.js';
import type { ReachablePatient } from '../../api/reachable-patients.js';
import { LoadState } from '../../components/LoadState.js';
import { reachablePatientsQuery } from '../../data/queries.js';
import { useQuery } from '../../data/useQuery.js';
import type { PageProps } from '../page-props.js';
import { PrescribeForm } from './PrescribeForm.js';

/**
 * The doctor's prescribing page: choose one of the patients they can reach, fill the form,
 * pick their key file, and the browser signs. After submission it shows what was signed with
 * which key, and offers another.
 */
export function PrescribePage(props: PageProps & { readonly patientId?: string | undefined }) {
  const patients = useQuery(reachablePatientsQuery, { refreshOnMount: true });
  const [done, setDone] = useState<{ result: SubmittedPrescription; patient: ReachablePatient }>();
  const [round, setRound] = useState(0);

  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{props.item.label}</h1>
      <p className="page-summary">
        Prescriptions are signed with your own private key, in this browser. MedVault stores the signature and
        checks it again before anything is dispensed.
      </p>
      {done && (
        <div className="alert alert-success" role="status">
          <strong>Prescription signed and submitted</strong> for {done.patient.fullName}. Key{' '}
          <span className="mono">{done.result.keyId}</span> ({done.result.algorithm}), prescription{' '}
          <span className="mono">{done.result.id}</span>.{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setDone(undefined);
              setRound((r) => r + 1);
            }}
          >
            Write another
          </button>
        </div>
      )}
      <section className="card card-wide" aria-labelledby="prescribe-title" hidden={done !== undefined}>
        <h2 id="prescribe-title">New prescription</h2>
        <LoadState resource={patients.resource} what="your patients" onRetry={() => void patients.reload()} />
        {patients.resource.status === 'ready' &&
          (patients.resource.data.length === 0 ? (
            <p className="empty-state">No patients are in your care or shared with you yet.</p>
          ) : (
            <PrescribeForm
              key={round}
              doctorId={props.user.id}
              initialPatientId={props.patientId}
              patients={patients.resource.data}
              onSubmitted={(result, patient) => setDone({ result, patient })}
            />
          ))}
      </section>
    </section>
  );
}
