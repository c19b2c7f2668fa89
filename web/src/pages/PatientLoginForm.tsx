import { useState, type FormEvent } from 'react';
import { loginPatient, type SessionUser } from '../api/auth.js';
import { describeError } from '../api/client.js';
import { FormAlert } from '../components/FormAlert.js';
import { TextField } from '../components/TextField.js';
import {
  hasErrors,
  normaliseSsn,
  pinError,
  requiredError,
  ssnError,
  type FieldErrors,
} from '../validation.js';

type Field = 'ssn' | 'pin' | 'password';

/** Patient sign-in: SSN + 6-digit PIN + password → POST /api/v1/auth/patient/login. */
export function PatientLoginForm(props: {
  readonly onLoggedIn: (user: SessionUser | undefined) => Promise<void>;
}) {
  const [ssn, setSsn] = useState('');
  const [pin, setPin] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [serverError, setServerError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (busy) return;
    const found: FieldErrors<Field> = {
      ssn: ssnError(ssn),
      pin: pinError(pin),
      password: requiredError(password, 'Enter your password.'),
    };
    setErrors(found);
    setServerError(undefined);
    if (hasErrors(found)) return;

    setBusy(true);
    try {
      const user = await loginPatient({ ssn: normaliseSsn(ssn), pin, password });
      await props.onLoggedIn(user);
    } catch (error) {
      setServerError(describeError(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="login-form" noValidate onSubmit={(event) => void submit(event)} aria-busy={busy}>
      <TextField
        id="patient-ssn"
        label="Social Security number"
        value={ssn}
        onChange={setSsn}
        autoComplete="off"
        inputMode="numeric"
        placeholder="123-45-6789"
        maxLength={11}
        error={errors.ssn}
      />
      <TextField
        id="patient-pin"
        label="PIN"
        type="password"
        value={pin}
        onChange={setPin}
        autoComplete="off"
        inputMode="numeric"
        maxLength={6}
        hint="The 6-digit PIN you chose at registration."
        error={errors.pin}
      />
      <TextField
        id="patient-password"
        label="Password"
        type="password"
        value={password}
        onChange={setPassword}
        autoComplete="current-password"
        error={errors.password}
      />
      <FormAlert title="Could not sign in." message={serverError} />
      <button type="submit" className="button button-primary button-block" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
