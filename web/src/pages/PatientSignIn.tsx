import { useState } from 'react';
import type { SessionUser } from '../api/auth.js';
import { OneTimeSecret } from '../components/OneTimeSecret.js';
import { EnrolForm } from './EnrolForm.js';
import { ForgotPinForm, type PinChanged } from './ForgotPinForm.js';
import { PanelHeading } from './PanelHeading.js';
import { PatientLoginForm } from './PatientLoginForm.js';

type View =
  | { readonly name: 'login' }
  | { readonly name: 'recover' }
  | { readonly name: 'enrol' }
  | { readonly name: 'enrolled'; readonly recoveryCode: string }
  | ({ readonly name: 'done' } & PinChanged);

/** The Patient tab: sign in, activate a new account ("First time here?"), or recover a forgotten PIN. */
export function PatientSignIn(props: {
  readonly onLoggedIn: (user: SessionUser | undefined) => Promise<void>;
}) {
  const [view, setView] = useState<View>({ name: 'login' });
  const [notice, setNotice] = useState<string>();
  const back = (message?: string): void => {
    setNotice(message);
    setView({ name: 'login' });
  };

  if (view.name === 'enrol') {
    return (
      <div className="stack">
        <PanelHeading text="Activate your account" />
        <EnrolForm onEnrolled={(recoveryCode) => setView({ name: 'enrolled', recoveryCode })} />
        <button type="button" className="link-button" onClick={() => back()}>
          Back to sign in
        </button>
      </div>
    );
  }
  if (view.name === 'enrolled') {
    return (
      <OneTimeSecret
        title="Your recovery code"
        secret={view.recoveryCode}
        secretLabel="Recovery code for your account"
        doneLabel="Continue to sign in"
        onDone={() => back('Your account is active. Sign in with your SSN, PIN and password.')}
      >
        <p>
          Your account is active. Keep this recovery code somewhere safe: with your password and date of birth
          it sets a new PIN if you forget yours. Nobody else has it.
        </p>
      </OneTimeSecret>
    );
  }
  if (view.name === 'recover') {
    return (
      <div className="stack">
        <PanelHeading text="Set a new PIN" />
        <ForgotPinForm onChanged={(result) => setView({ name: 'done', ...result })} />
        <button type="button" className="link-button" onClick={() => back()}>
          Back to sign in
        </button>
      </div>
    );
  }
  if (view.name === 'done') {
    const signInNotice = 'Your PIN is changed. Sign in with your new PIN.';
    return view.recoveryCode ? (
      <OneTimeSecret
        title="Your new recovery code"
        secret={view.recoveryCode}
        secretLabel="New recovery code"
        doneLabel="Back to sign in"
        onDone={() => back(signInNotice)}
      >
        <p>Your PIN is changed. Your old recovery code no longer works: keep this new one somewhere safe.</p>
      </OneTimeSecret>
    ) : (
      <div className="stack">
        <p role="status">{signInNotice}</p>
        <button
          type="button"
          className="button button-primary button-block"
          onClick={() => back(signInNotice)}
        >
          Back to sign in
        </button>
      </div>
    );
  }
  return (
    <div className="stack">
      {notice && (
        <div className="alert alert-success" role="status">
          {notice}
        </div>
      )}
      <PatientLoginForm onLoggedIn={props.onLoggedIn} />
      <button type="button" className="link-button" onClick={() => setView({ name: 'recover' })}>
        Forgot PIN?
      </button>
      <button type="button" className="link-button" onClick={() => setView({ name: 'enrol' })}>
        First time here?
      </button>
    </div>
  );
}
