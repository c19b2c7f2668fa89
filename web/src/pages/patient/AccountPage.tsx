import { useCallback, useEffect, useState } from 'react';
import {
  changePassword,
  changePin,
  endOtherSessions,
  listOwnSessions,
  renewRecoveryCode,
  type OwnSession,
} from '../../api/account.js';
import { OneTimeSecret } from '../../components/OneTimeSecret.js';
import type { PageProps } from '../page-props.js';
import { SecuritySection } from '../security/SecuritySection.js';
import { CredentialForm } from './CredentialForm.js';

/**
 * The patient's account: change password (current password + PIN), change PIN (current PIN +
 * password), a new recovery code (PIN + password), the open sessions and "sign out everywhere
 * else", and the Security section (second factors, shared with staff). Each change is in the
 * access history.
 */
export function AccountPage(props: PageProps) {
  const [notice, setNotice] = useState<string>();
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{props.item.label}</h1>
      <p className="page-summary">
        Change your password or PIN, take a new recovery code, manage your second factors and see where you
        are signed in. Each change appears in your access history.
      </p>
      {notice && (
        <div className="alert alert-success" role="status">
          {notice}
        </div>
      )}
      <div className="card card-narrow">
        <h2 className="panel-title">Change password</h2>
        <PasswordForm
          onDone={() => setNotice('Your password is changed. Your other sessions were signed out.')}
        />
      </div>
      <div className="card card-narrow">
        <h2 className="panel-title">Change PIN</h2>
        <PinForm onDone={() => setNotice('Your PIN is changed. Your other sessions were signed out.')} />
      </div>
      <div className="card card-narrow">
        <h2 className="panel-title">New recovery code</h2>
        <RecoveryCodeForm />
      </div>
      <SecuritySection />
      <div className="card card-narrow">
        <h2 className="panel-title">Where you are signed in</h2>
        <SessionsPanel />
      </div>
    </section>
  );
}

function PasswordForm(props: { readonly onDone: () => void }) {
  return (
    <CredentialForm
      idPrefix="acct-password"
      fields={[
        {
          name: 'currentPassword',
          label: 'Current password',
          kind: 'password',
          empty: 'Enter your current password.',
        },
        { name: 'pin', label: 'PIN', kind: 'pin', empty: 'Enter your PIN.' },
        { name: 'newPassword', label: 'New password', kind: 'new-password', empty: 'Choose a new password.' },
      ]}
      submitLabel="Change password"
      errorTitle="Could not change your password."
      onSubmit={async (v) => {
        await changePassword(v);
        props.onDone();
      }}
    />
  );
}

function PinForm(props: { readonly onDone: () => void }) {
  return (
    <CredentialForm
      idPrefix="acct-pin"
      fields={[
        { name: 'currentPin', label: 'Current PIN', kind: 'pin', empty: 'Enter your current PIN.' },
        { name: 'password', label: 'Password', kind: 'password', empty: 'Enter your password.' },
        { name: 'newPin', label: 'New PIN', kind: 'new-pin', empty: 'Choose a new 6-digit PIN.' },
      ]}
      submitLabel="Change PIN"
      errorTitle="Could not change your PIN."
      onSubmit={async (v) => {
        await changePin(v);
        props.onDone();
      }}
    />
  );
}

function RecoveryCodeForm() {
  const [code, setCode] = useState<string>();
  if (code !== undefined)
    return (
      <OneTimeSecret
        title="Your new recovery code"
        secret={code}
        secretLabel="New recovery code"
        doneLabel="Done"
        onDone={() => setCode(undefined)}
      >
        <p>Your old recovery code no longer works: keep this one somewhere safe.</p>
      </OneTimeSecret>
    );
  return (
    <CredentialForm
      idPrefix="acct-rc"
      fields={[
        { name: 'pin', label: 'PIN', kind: 'pin', empty: 'Enter your PIN.' },
        { name: 'password', label: 'Password', kind: 'password', empty: 'Enter your password.' },
      ]}
      submitLabel="Issue a new recovery code"
      errorTitle="Could not issue a new recovery code."
      onSubmit={async (v) => setCode(await renewRecoveryCode(v))}
      leavesOnSuccess
    />
  );
}

function SessionsPanel() {
  const [sessions, setSessions] = useState<OwnSession[]>();
  const [message, setMessage] = useState<string>();
  const load = useCallback(async () => {
    try {
      setSessions(await listOwnSessions());
    } catch (err) {
      setMessage(err instanceof Error ? err.message : String(err));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  async function endOthers(): Promise<void> {
    try {
      const ended = await endOtherSessions();
      setMessage(`Signed out ${ended} other session${ended === 1 ? '' : 's'}.`);
      await load();
    } catch (err) {
      setMessage(err instanceof Error ? err.message : String(err));
    }
  }
  return (
    <div className="stack">
      {sessions === undefined ? (
        <p>Loading…</p>
      ) : (
        <ul aria-label="Your sessions">
          {sessions.map((s) => (
            <li key={s.id}>
              Signed in {new Date(s.createdAt).toLocaleString()}, last used{' '}
              {new Date(s.lastSeenAt).toLocaleString()}
              {s.current ? ' (this session)' : ''}
            </li>
          ))}
        </ul>
      )}
      {message && <p role="status">{message}</p>}
      <button type="button" className="button" onClick={() => void endOthers()}>
        Sign out everywhere else
      </button>
    </div>
  );
}
