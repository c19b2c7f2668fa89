import { useCallback, useEffect, useState } from 'react';
import {
  changePassword,
  changePin,
  endOtherSessions,
  listOwnSessions,
  renewRecoveryCode,
  type OwnSession,
} from '../../api/account.js';
import { FormAlert } from '../../components/FormAlert.js';
import { OneTimeSecret } from '../../components/OneTimeSecret.js';
import { TextField } from '../../components/TextField.js';
import { useForm } from '../../forms/useForm.js';
import { MIN_PASSWORD_LENGTH, newPasswordError, pinError, requiredError } from '../../validation.js';
import type { PageProps } from '../page-props.js';

/**
 * The patient's account: change password (current password + PIN), change PIN (current PIN +
 * password), a new recovery code (PIN + password), the open sessions and "sign out everywhere
 * else". Each change is in the access history.
 */
export function AccountPage(props: PageProps) {
  const [notice, setNotice] = useState<string>();
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{props.item.label}</h1>
      <p className="page-summary">
        Change your password or PIN, take a new recovery code, and see where you are signed in. Each change
        appears in your access history.
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
      <div className="card card-narrow">
        <h2 className="panel-title">Where you are signed in</h2>
        <SessionsPanel />
      </div>
    </section>
  );
}

function PasswordForm(props: { readonly onDone: () => void }) {
  const form = useForm({
    initial: { currentPassword: '', pin: '', newPassword: '' },
    validate: (v) => ({
      currentPassword: requiredError(v.currentPassword, 'Enter your current password.'),
      pin: pinError(v.pin, 'Enter your PIN.'),
      newPassword: newPasswordError(v.newPassword, 'Choose a new password.'),
    }),
    onSubmit: async (v) => {
      await changePassword(v);
      form.reset();
      props.onDone();
    },
  });
  return (
    <form className="form" noValidate onSubmit={form.handleSubmit} aria-busy={form.submitting}>
      <TextField
        id="acct-current-password"
        label="Current password"
        type="password"
        {...form.field('currentPassword')}
        autoComplete="current-password"
      />
      <TextField
        id="acct-pw-pin"
        label="PIN"
        type="password"
        {...form.field('pin')}
        autoComplete="off"
        inputMode="numeric"
        maxLength={6}
      />
      <TextField
        id="acct-new-password"
        label="New password"
        type="password"
        {...form.field('newPassword')}
        autoComplete="new-password"
        hint={`At least ${MIN_PASSWORD_LENGTH} characters. Common passwords are refused.`}
      />
      <FormAlert title="Could not change your password." message={form.serverError} />
      <button type="submit" className="button button-primary" disabled={form.submitting}>
        Change password
      </button>
    </form>
  );
}

function PinForm(props: { readonly onDone: () => void }) {
  const form = useForm({
    initial: { currentPin: '', password: '', newPin: '' },
    validate: (v) => ({
      currentPin: pinError(v.currentPin, 'Enter your current PIN.'),
      password: requiredError(v.password, 'Enter your password.'),
      newPin: pinError(v.newPin, 'Choose a new 6-digit PIN.'),
    }),
    onSubmit: async (v) => {
      await changePin(v);
      form.reset();
      props.onDone();
    },
  });
  return (
    <form className="form" noValidate onSubmit={form.handleSubmit} aria-busy={form.submitting}>
      <TextField
        id="acct-current-pin"
        label="Current PIN"
        type="password"
        {...form.field('currentPin')}
        autoComplete="off"
        inputMode="numeric"
        maxLength={6}
      />
      <TextField
        id="acct-pin-password"
        label="Password"
        type="password"
        {...form.field('password')}
        autoComplete="current-password"
      />
      <TextField
        id="acct-new-pin"
        label="New PIN"
        type="password"
        {...form.field('newPin')}
        autoComplete="off"
        inputMode="numeric"
        maxLength={6}
      />
      <FormAlert title="Could not change your PIN." message={form.serverError} />
      <button type="submit" className="button button-primary" disabled={form.submitting}>
        Change PIN
      </button>
    </form>
  );
}

function RecoveryCodeForm() {
  const [code, setCode] = useState<string>();
  const form = useForm({
    initial: { pin: '', password: '' },
    validate: (v) => ({
      pin: pinError(v.pin, 'Enter your PIN.'),
      password: requiredError(v.password, 'Enter your password.'),
    }),
    onSubmit: async (v) => {
      setCode(await renewRecoveryCode(v));
    },
    leavesOnSuccess: true,
  });
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
    <form className="form" noValidate onSubmit={form.handleSubmit} aria-busy={form.submitting}>
      <TextField
        id="acct-rc-pin"
        label="PIN"
        type="password"
        {...form.field('pin')}
        autoComplete="off"
        inputMode="numeric"
        maxLength={6}
      />
      <TextField
        id="acct-rc-password"
        label="Password"
        type="password"
        {...form.field('password')}
        autoComplete="current-password"
      />
      <FormAlert title="Could not issue a new recovery code." message={form.serverError} />
      <button type="submit" className="button button-primary" disabled={form.submitting}>
        Issue a new recovery code
      </button>
    </form>
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
