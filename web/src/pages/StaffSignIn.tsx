import { useState } from 'react';
import type { SessionUser } from '../api/auth.js';
import { PrivateKeyDownload } from '../components/PrivateKeyDownload.js';
import { ROLE_LABELS } from '../nav.js';
import { AcceptInviteForm, type AcceptedInvite } from './AcceptInviteForm.js';
import { PanelHeading } from './PanelHeading.js';
import { StaffLoginForm } from './StaffLoginForm.js';

type View =
  | { readonly name: 'login'; readonly notice?: string; readonly username?: string }
  | { readonly name: 'invite' }
  | { readonly name: 'enrolled'; readonly accepted: AcceptedInvite };

/** The Staff tab: sign in with password and key, or enrol with an invite code ("Have an invite code?"). */
export function StaffSignIn(props: {
  readonly onLoggedIn: (user: SessionUser | undefined) => Promise<void>;
}) {
  const [view, setView] = useState<View>({ name: 'login' });

  if (view.name === 'invite') {
    return (
      <div className="stack">
        <PanelHeading text="Accept your invite" />
        <AcceptInviteForm onEnrolled={(accepted) => setView({ name: 'enrolled', accepted })} />
        <button type="button" className="link-button" onClick={() => setView({ name: 'login' })}>
          Back to sign in
        </button>
      </div>
    );
  }
  if (view.name === 'enrolled') {
    const { accepted } = view;
    const next = accepted.active
      ? 'Sign in with your username, your password and this key file.'
      : 'You can sign in once a second administrator has approved your account.';
    return (
      <PrivateKeyDownload
        title="Save your private key"
        fileName={`${accepted.username}.pem`}
        privateKeyPem={accepted.privateKeyPem}
        doneLabel="Continue to sign in"
        discardLabel="Continue without saving the key"
        onDone={() =>
          setView({ name: 'login', username: accepted.username, notice: `You are enrolled. ${next}` })
        }
      >
        <p>
          You are enrolled as {ROLE_LABELS[accepted.role].toLowerCase()} <strong>{accepted.username}</strong>{' '}
          (key <span className="mono">{accepted.keyId}</span>). Your browser made this key; MedVault received
          only its public half. Keep the file where only you can reach it: you pick it at every sign-in, and
          it signs what you sign. {next}
        </p>
      </PrivateKeyDownload>
    );
  }
  return (
    <div className="stack">
      {view.notice && (
        <div className="alert alert-success" role="status">
          {view.notice}
        </div>
      )}
      <StaffLoginForm onLoggedIn={props.onLoggedIn} initialUsername={view.username} />
      <button type="button" className="link-button" onClick={() => setView({ name: 'invite' })}>
        Have an invite code?
      </button>
    </div>
  );
}
