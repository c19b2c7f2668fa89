import { useState } from 'react';
import { startPinReset, type PatientSummary, type PinResetToken } from '../../api/patients.js';
import { FormAlert } from '../../components/FormAlert.js';
import { OneTimeSecret } from '../../components/OneTimeSecret.js';
import { useAction } from '../../forms/useAction.js';
import { formatDateTime } from '../../format.js';

/**
 * Registrar-assisted PIN reset: after checking the patient's identity in person, the registrar
 * asks for a one-time token and hands it over; the patient sets a new PIN with it on the
 * sign-in page ("Forgot PIN?").
 */
export function PinResetPanel(props: {
  readonly patient: Pick<PatientSummary, 'id' | 'fullName'> | undefined;
}) {
  const [token, setToken] = useState<PinResetToken & { readonly name: string }>();
  const action = useAction();
  const busy = action.running !== undefined;
  const { patient } = props;

  function start(): void {
    if (!patient) return;
    void action.run('run', async () => {
      setToken({ ...(await startPinReset(patient.id)), name: patient.fullName });
    });
  }

  if (token) {
    return (
      <OneTimeSecret
        title="PIN reset token"
        secret={token.resetToken}
        secretLabel={`PIN reset token for ${token.name}`}
        doneLabel="Done"
        onDone={() => setToken(undefined)}
      >
        <p>
          Give this token to <strong>{token.name}</strong>. On the sign-in page they choose{' '}
          <em>Forgot PIN?</em>, then <em>I have a reset token</em>, and set a new PIN.
        </p>
        {token.expiresAt !== undefined && <p>It works once, until {formatDateTime(token.expiresAt)}.</p>}
      </OneTimeSecret>
    );
  }
  return (
    <div className="stack">
      <p className="muted">
        Check the patient&apos;s identity in person first. The token lets them set a new PIN; their password
        is still needed.
      </p>
      <FormAlert title="Could not start the PIN reset." message={action.error} />
      <div className="button-row">
        <button type="button" className="button button-secondary" onClick={start} disabled={!patient || busy}>
          {busy ? 'Starting…' : patient ? `Start PIN reset for ${patient.fullName}` : 'Start PIN reset'}
        </button>
      </div>
    </div>
  );
}
