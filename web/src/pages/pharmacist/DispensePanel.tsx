import { useCallback, useState } from 'react';
import { medicineLabel } from '../../api/medicines.js';
import { dispensePrescription, getPrescription } from '../../api/prescriptions.js';
import { FormAlert } from '../../components/FormAlert.js';
import { LoadState } from '../../components/LoadState.js';
import { formatDateTime } from '../../format.js';
import { useResource } from '../../data/useQuery.js';
import { useAction } from '../../forms/useAction.js';
import { OverrideNotice } from '../prescriptions/OverrideNotice.js';
import { VerificationResult } from './VerificationResult.js';

/**
 * One prescription as the pharmacist checks it: the server's verification result first (who
 * signed, key id, algorithm, valid or why not), then what to hand out. The dispense button is
 * enabled only for a prescription that verifies and has a fill left; the server verifies again
 * when it is pressed.
 */
export function DispensePanel(props: { readonly id: string; readonly onDispensed: () => void }) {
  const load = useCallback(() => getPrescription(props.id), [props.id]);
  const rx = useResource(load);
  const action = useAction();
  const busy = action.running !== undefined;
  const [notice, setNotice] = useState<string>();

  function dispense(): void {
    void action.run('run', async () => {
      try {
        const result = await dispensePrescription(props.id);
        setNotice(
          `Dispensed fill ${result.fillNumber}; ${result.fillsRemaining} ${result.fillsRemaining === 1 ? 'refill' : 'refills'} left.`,
        );
        props.onDispensed();
      } finally {
        // Dispensed or refused, show what the server now says about the prescription.
        await rx.reload();
      }
    });
  }

  return (
    <section className="card" aria-labelledby="dispense-title">
      <h2 id="dispense-title">Verify and dispense</h2>
      <LoadState resource={rx.resource} what="the prescription" onRetry={() => void rx.reload()} />
      {rx.resource.status === 'ready' &&
        (() => {
          const p = rx.resource.data;
          const d = p.details;
          const canDispense = p.verification.valid && p.status === 'active' && p.fillsRemaining > 0;
          return (
            <div className="stack">
              <VerificationResult prescription={p} />
              <OverrideNotice details={d} />
              <dl className="fact-list">
                <dt>Patient</dt>
                <dd>
                  {p.patient.name ?? p.patient.id}
                  {p.patientDateOfBirth && ` (born ${p.patientDateOfBirth})`}
                </dd>
                {d && (
                  <>
                    <dt>Medicine</dt>
                    <dd>{medicineLabel(d.medicine)}</dd>
                    <dt>Dose</dt>
                    <dd>
                      {d.dose}, {d.route}, {d.frequency}
                    </dd>
                    <dt>Quantity</dt>
                    <dd>{d.quantity}</dd>
                    {d.instructions && (
                      <>
                        <dt>Instructions</dt>
                        <dd className="preserve-lines">{d.instructions}</dd>
                      </>
                    )}
                  </>
                )}
                <dt>Fills left</dt>
                <dd>{p.fillsRemaining}</dd>
                <dt>Issued</dt>
                <dd>{formatDateTime(p.issuedAt)}</dd>
                <dt>Expires</dt>
                <dd>{formatDateTime(p.expiresAt)}</dd>
              </dl>
              <p className="notice-region" role="status" aria-live="polite">
                {notice}
              </p>
              <FormAlert title="Not dispensed." message={action.error} />
              <button
                type="button"
                className="button button-primary"
                disabled={!canDispense || busy}
                onClick={dispense}
              >
                {busy ? 'Dispensing…' : 'Dispense'}
              </button>
              {!canDispense && (
                <p className="button-row-note">
                  {p.verification.valid
                    ? 'Nothing left to dispense.'
                    : 'A prescription that does not verify cannot be dispensed.'}
                </p>
              )}
            </div>
          );
        })()}
    </section>
  );
}
