import { useState } from 'react';
import {
  isPending,
  loginStaff,
  requestStaffChallenge,
  type PendingSecondFactor,
  type SessionUser,
} from '../api/auth.js';
import { SecondFactorStep } from './SecondFactorStep.js';
import { describeError } from '../messages.js';
import { FormAlert } from '../components/FormAlert.js';
import { TextField } from '../components/TextField.js';
import {
  importSigningKeyFromPem,
  KeyFileError,
  signLoginChallenge,
  type SigningKey,
} from '../crypto/sign.js';
import { MAX_KEY_FILE_BYTES, readFileAsText } from '../files.js';
import { InvalidFields, useForm } from '../forms/useForm.js';
import { requiredError } from '../validation.js';

interface Values {
  readonly username: string;
  readonly password: string;
  readonly keyFile: File | undefined;
}

async function loadKey(file: File): Promise<SigningKey> {
  if (file.size > MAX_KEY_FILE_BYTES) {
    throw new KeyFileError('This file is too large to be a PEM private key.');
  }
  return importSigningKeyFromPem(await readFileAsText(file));
}

/**
 * Staff sign-in: username + password + proof of the private key.
 * 1. read and import the PEM here (before any request, so a wrong file costs no challenge);
 * 2. POST /auth/staff/challenge {username} → {challengeId, challenge};
 * 3. check `challenge` is a staff login challenge for this origin and this username, and sign its
 *    domain-separated login message in this browser (never what the server sent as it is: the
 *    same key signs prescriptions);
 * 4. POST /auth/staff/login {username, password, challengeId, signature (base64)}.
 */
export function StaffLoginForm(props: {
  readonly onLoggedIn: (user: SessionUser | undefined) => Promise<void>;
  /** Filled in after enrolling ("Have an invite code?"). */
  readonly initialUsername?: string | undefined;
}) {
  const [pending, setPending] = useState<PendingSecondFactor | undefined>(undefined);
  const form = useForm<Values, keyof Values>({
    unsavedWork: false, // not typed work: leaving never asks
    initial: { username: props.initialUsername ?? '', password: '', keyFile: undefined },
    validate: (values) => ({
      username: requiredError(values.username, 'Enter your username.'),
      password: requiredError(values.password, 'Enter your password.'),
      keyFile: values.keyFile ? undefined : 'Choose your private key file (.pem).',
    }),
    onSubmit: async ({ username, password, keyFile }) => {
      if (!keyFile) return;
      let signingKey: SigningKey;
      try {
        signingKey = await loadKey(keyFile);
      } catch (error) {
        throw new InvalidFields({ keyFile: describeError(error) });
      }
      const name = username.trim();
      const { challengeId, challenge } = await requestStaffChallenge(name);
      const signature = await signLoginChallenge(signingKey, challenge, {
        origin: window.location.origin,
        username: name,
      });
      const user = await loginStaff({ username: name, password, challengeId, signature });
      if (isPending(user)) setPending(user);
      else await props.onLoggedIn(user);
    },
  });
  const busy = form.submitting;
  const keyError = form.errors.keyFile;

  const keyHintId = 'staff-key-hint';
  const keyErrorId = 'staff-key-error';
  if (pending !== undefined) return <SecondFactorStep pending={pending} onLoggedIn={props.onLoggedIn} />;
  return (
    <form className="login-form" noValidate onSubmit={form.handleSubmit} aria-busy={busy}>
      <TextField id="staff-username" label="Username" {...form.field('username')} autoComplete="username" />
      <TextField
        id="staff-password"
        label="Password"
        type="password"
        {...form.field('password')}
        autoComplete="current-password"
      />
      <div className={keyError ? 'field field-invalid' : 'field'}>
        <label htmlFor="staff-key">Private key file</label>
        <input
          id="staff-key"
          name="staff-key"
          type="file"
          accept=".pem,.key,application/x-pem-file,text/plain"
          onChange={(event) => form.setValue('keyFile', event.target.files?.[0])}
          aria-invalid={keyError ? true : undefined}
          aria-describedby={keyError ? `${keyHintId} ${keyErrorId}` : keyHintId}
        />
        <p id={keyHintId} className="field-hint">
          PKCS#8 PEM, RSA or Ed25519. The key is used only inside this browser and is never uploaded.
        </p>
        {keyError && (
          <p id={keyErrorId} className="field-error">
            {keyError}
          </p>
        )}
      </div>
      <FormAlert title="Could not sign in." message={form.serverError} />
      <button type="submit" className="button button-primary button-block" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in with key'}
      </button>
    </form>
  );
}
