import { useEffect, useRef, useState } from 'react';
import type { SessionUser } from '../api/auth.js';
import { OneTimeSecret } from '../components/OneTimeSecret.js';
import { ForgotPinForm, type PinChanged } from './ForgotPinForm.js';
import { PatientLoginForm } from './PatientLoginForm.js';

type View =
  { readonly name: 'login' } | { readonly name: 'recover' } | ({ readonly name: 'done' } & PinChanged);

/** The Patient tab: sign in, or recover a forgotten PIN and come back. */
export function PatientSignIn(props: {
  readonly onLoggedIn: (user: SessionUser | undefined) => Promise<void>;
}) {
  const [view, setView] = useState<View>({ name: 'login' });
  const [notice, setNotice] = useState<string>();
  const back = (message?: string): void => {
    setNotice(message);
    setView({ name: 'login' });
  };

  if (view.name === 'recover') {
    return (
      <div className="stack">
        <RecoverHeading />
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
    </div>
  );
}

/** The recovery view's heading, focused when it opens so the switch is announced. */
function RecoverHeading() {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <h2 className="panel-title" ref={heading} tabIndex={-1}>
      Set a new PIN
    </h2>
  );
}
