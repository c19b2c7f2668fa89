import type { PendingSecondFactor, SessionUser } from '../api/auth.js';
import {
  confirmTotpAtSignIn,
  enrolPasskeyAtSignIn,
  enrolTotpAtSignIn,
  signInWithCode,
  signInWithPasskey,
} from '../api/second-factors.js';
import { FormAlert } from '../components/FormAlert.js';
import { useAction } from '../forms/useAction.js';
import { AddSecondFactor, type FactorAdding } from './security/AddSecondFactor.js';
import { TotpCodeForm } from './security/TotpCodeForm.js';

/**
 * The second step of a sign-in (issue 14): a code from the authenticator app or a passkey; or,
 * when the hospital requires a second factor and the user has none, adding one now with the
 * same component as the account page's Security section, which completes the sign-in.
 */
export function SecondFactorStep(props: {
  readonly pending: PendingSecondFactor;
  readonly onLoggedIn: (user: SessionUser | undefined) => Promise<void>;
}) {
  const { pendingToken, stage, methods } = props.pending;
  const passkey = useAction();
  const adding: FactorAdding = {
    beginTotp: () => enrolTotpAtSignIn(pendingToken),
    confirmTotp: async (setup, code) =>
      props.onLoggedIn(await confirmTotpAtSignIn(pendingToken, setup.factorId, code)),
    addPasskey: async () => props.onLoggedIn(await enrolPasskeyAtSignIn(pendingToken)),
  };

  return (
    <section className="second-factor stack" aria-labelledby="second-factor-title">
      <h2 id="second-factor-title">{stage === 'verify' ? 'Second factor' : 'Add a second factor'}</h2>
      {stage === 'verify' && (
        <>
          {methods.includes('totp') && (
            <TotpCodeForm
              id="second-factor-code"
              submitLabel="Continue"
              errorTitle="Could not sign in."
              onCode={async (code) => props.onLoggedIn(await signInWithCode(pendingToken, code))}
            />
          )}
          {methods.includes('passkey') && (
            <>
              <FormAlert title="Could not sign in." message={passkey.error} />
              <button
                type="button"
                className="button button-block"
                disabled={passkey.running !== undefined}
                onClick={() =>
                  void passkey.run('run', async () => props.onLoggedIn(await signInWithPasskey(pendingToken)))
                }
              >
                {passkey.running !== undefined ? 'Waiting for the passkey…' : 'Use a passkey'}
              </button>
            </>
          )}
        </>
      )}
      {stage === 'enrol' && (
        <>
          <p>Your hospital requires a second factor. Add one to finish signing in.</p>
          <AddSecondFactor adding={adding} errorTitle="Could not sign in." />
        </>
      )}
    </section>
  );
}
