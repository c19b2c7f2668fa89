import { useState } from 'react';
import type { PendingSecondFactor, SessionUser } from '../api/auth.js';
import {
  confirmTotpAtSignIn,
  enrolPasskeyAtSignIn,
  enrolTotpAtSignIn,
  signInWithCode,
  signInWithPasskey,
  type TotpSetup,
} from '../api/second-factors.js';
import { FormAlert } from '../components/FormAlert.js';
import { TextField } from '../components/TextField.js';
import { describeError } from '../messages.js';

const CODE_RE = /^[0-9]{6}$/;

/**
 * The second step of a sign-in (issue 14): a code from the authenticator app or a passkey; or,
 * when the hospital requires a second factor and the user has none, adding one now (the secret
 * is shown once), which completes the sign-in.
 */
export function SecondFactorStep(props: {
  readonly pending: PendingSecondFactor;
  readonly onLoggedIn: (user: SessionUser | undefined) => Promise<void>;
}) {
  const { pendingToken, stage, methods } = props.pending;
  const [code, setCode] = useState('');
  const [setup, setSetup] = useState<TotpSetup | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const run = async (work: () => Promise<SessionUser | undefined | void>) => {
    setBusy(true);
    setError(undefined);
    try {
      const user = await work();
      if (user !== undefined) await props.onLoggedIn(user);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };
  const submitCode = (e: React.FormEvent) => {
    e.preventDefault();
    if (!CODE_RE.test(code.trim())) {
      setError('Enter the 6-digit code from your authenticator app.');
      return;
    }
    void run(() =>
      setup === undefined
        ? signInWithCode(pendingToken, code.trim())
        : confirmTotpAtSignIn(pendingToken, setup.factorId, code.trim()),
    );
  };

  const codeForm = (
    <form className="login-form" noValidate onSubmit={submitCode} aria-busy={busy}>
      <TextField
        id="second-factor-code"
        label="Code from your authenticator app"
        value={code}
        onChange={setCode}
        autoComplete="one-time-code"
        inputMode="numeric"
        maxLength={6}
      />
      <button type="submit" className="button button-primary button-block" disabled={busy}>
        {busy ? 'Checking…' : 'Continue'}
      </button>
    </form>
  );

  return (
    <section className="second-factor" aria-labelledby="second-factor-title">
      <h2 id="second-factor-title">{stage === 'verify' ? 'Second factor' : 'Add a second factor'}</h2>
      <FormAlert title="Could not sign in." message={error} />
      {stage === 'verify' && (
        <>
          {methods.includes('totp') && codeForm}
          {methods.includes('passkey') && (
            <button
              type="button"
              className="button button-block"
              disabled={busy}
              onClick={() => void run(() => signInWithPasskey(pendingToken))}
            >
              Use a passkey
            </button>
          )}
        </>
      )}
      {stage === 'enrol' && setup === undefined && (
        <>
          <p>Your hospital requires a second factor. Add one to finish signing in.</p>
          <button
            type="button"
            className="button button-primary button-block"
            disabled={busy}
            onClick={() => void run(async () => setSetup(await enrolTotpAtSignIn(pendingToken)))}
          >
            Set up an authenticator app
          </button>
          <button
            type="button"
            className="button button-block"
            disabled={busy}
            onClick={() => void run(() => enrolPasskeyAtSignIn(pendingToken))}
          >
            Add a passkey
          </button>
        </>
      )}
      {stage === 'enrol' && setup !== undefined && (
        <>
          <TotpSecret setup={setup} />
          {codeForm}
        </>
      )}
    </section>
  );
}

/** The new TOTP secret, shown once: the otpauth:// URI and the base32 key. */
export function TotpSecret(props: { readonly setup: TotpSetup }) {
  return (
    <div className="one-time-secret">
      <p>Add this key to your authenticator app, then enter the code it shows. It is shown only once.</p>
      <p>
        Key: <code data-testid="totp-secret">{props.setup.secret}</code>
      </p>
      <p>
        <a href={props.setup.uri} data-testid="totp-uri">
          Open in an authenticator app
        </a>
      </p>
    </div>
  );
}
