import { useState, type FormEvent } from 'react';
import { loginStaff, requestStaffChallenge, type SessionUser } from '../api/auth.js';
import { describeError } from '../api/client.js';
import { FormAlert } from '../components/FormAlert.js';
import { TextField } from '../components/TextField.js';
import { importSigningKeyFromPem, KeyFileError, signUtf8, type SigningKey } from '../crypto/sign.js';
import { MAX_KEY_FILE_BYTES, readFileAsText } from '../files.js';
import { hasErrors, requiredError, type FieldErrors } from '../validation.js';

type Field = 'username' | 'password' | 'keyFile';

/**
 * Staff sign-in: username + password + proof of the private key.
 * 1. read and import the PEM here (before any request, so a wrong file costs no challenge);
 * 2. POST /auth/staff/challenge {username} → {challengeId, challenge};
 * 3. sign the UTF-8 bytes of `challenge` exactly, in this browser;
 * 4. POST /auth/staff/login {username, password, challengeId, signature (base64)}.
 */
export function StaffLoginForm(props: {
  readonly onLoggedIn: (user: SessionUser | undefined) => Promise<void>;
}) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [keyFile, setKeyFile] = useState<File>();
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [serverError, setServerError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function loadKey(file: File): Promise<SigningKey> {
    if (file.size > MAX_KEY_FILE_BYTES) {
      throw new KeyFileError('This file is too large to be a PEM private key.');
    }
    return importSigningKeyFromPem(await readFileAsText(file));
  }

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (busy) return;
    const found: FieldErrors<Field> = {
      username: requiredError(username, 'Enter your username.'),
      password: requiredError(password, 'Enter your password.'),
      keyFile: keyFile ? undefined : 'Choose your private key file (.pem).',
    };
    setErrors(found);
    setServerError(undefined);
    if (hasErrors(found) || !keyFile) return;

    setBusy(true);
    try {
      let signingKey: SigningKey;
      try {
        signingKey = await loadKey(keyFile);
      } catch (error) {
        setErrors({ keyFile: describeError(error) });
        return;
      }
      const name = username.trim();
      const { challengeId, challenge } = await requestStaffChallenge(name);
      const signature = await signUtf8(signingKey, challenge);
      const user = await loginStaff({ username: name, password, challengeId, signature });
      await props.onLoggedIn(user);
    } catch (error) {
      setServerError(describeError(error));
    } finally {
      setBusy(false);
    }
  }

  const keyHintId = 'staff-key-hint';
  const keyErrorId = 'staff-key-error';
  return (
    <form className="login-form" noValidate onSubmit={(event) => void submit(event)} aria-busy={busy}>
      <TextField
        id="staff-username"
        label="Username"
        value={username}
        onChange={setUsername}
        autoComplete="username"
        error={errors.username}
      />
      <TextField
        id="staff-password"
        label="Password"
        type="password"
        value={password}
        onChange={setPassword}
        autoComplete="current-password"
        error={errors.password}
      />
      <div className={errors.keyFile ? 'field field-invalid' : 'field'}>
        <label htmlFor="staff-key">Private key file</label>
        <input
          id="staff-key"
          name="staff-key"
          type="file"
          accept=".pem,.key,application/x-pem-file,text/plain"
          onChange={(event) => setKeyFile(event.target.files?.[0])}
          aria-invalid={errors.keyFile ? true : undefined}
          aria-describedby={errors.keyFile ? `${keyHintId} ${keyErrorId}` : keyHintId}
        />
        <p id={keyHintId} className="field-hint">
          PKCS#8 PEM, RSA or Ed25519. The key is used only inside this browser and is never uploaded.
        </p>
        {errors.keyFile && (
          <p id={keyErrorId} className="field-error">
            {errors.keyFile}
          </p>
        )}
      </div>
      <FormAlert title="Could not sign in." message={serverError} />
      <button type="submit" className="button button-primary button-block" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in with key'}
      </button>
    </form>
  );
}
