import { useState, type FormEvent } from 'react';
import { describeError } from '../api/client.js';
import { recoverPin, resetPinWithToken } from '../api/pin-recovery.js';
import { FormAlert } from '../components/FormAlert.js';
import { TextField } from '../components/TextField.js';
import { todayLocal } from '../dates.js';
import {
  dateOfBirthError,
  hasErrors,
  normaliseSsn,
  pinError,
  requiredError,
  ssnError,
  type FieldErrors,
} from '../validation.js';
import { focusFirstInvalid } from '../focus.js';

type Field = 'ssn' | 'password' | 'dateOfBirth' | 'recoveryCode' | 'resetToken' | 'newPin' | 'repeatPin';
type Proof = 'code' | 'token';

/** What happened: a new PIN, and the new recovery code when the server issued one. */
export interface PinChanged {
  readonly recoveryCode: string | undefined;
}

/**
 * "Forgot PIN?": set a new PIN with SSN + password and either the recovery code and date of
 * birth (self-service), or the one-time token a registrar gave after checking identity.
 */
export function ForgotPinForm(props: { readonly onChanged: (result: PinChanged) => void }) {
  const [proof, setProof] = useState<Proof>('code');
  const [ssn, setSsn] = useState('');
  const [password, setPassword] = useState('');
  const [dateOfBirth, setDateOfBirth] = useState('');
  const [recoveryCode, setRecoveryCode] = useState('');
  const [resetToken, setResetToken] = useState('');
  const [newPin, setNewPin] = useState('');
  const [repeatPin, setRepeatPin] = useState('');
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [serverError, setServerError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (busy) return;
    const byCode = proof === 'code';
    const found: FieldErrors<Field> = {
      ssn: ssnError(ssn),
      password: requiredError(password, 'Enter your password.'),
      dateOfBirth: byCode ? dateOfBirthError(dateOfBirth) : undefined,
      recoveryCode: byCode ? requiredError(recoveryCode, 'Enter your recovery code.') : undefined,
      resetToken: byCode ? undefined : requiredError(resetToken, 'Enter the reset token.'),
      newPin: pinError(newPin, 'Choose a new 6-digit PIN.'),
      repeatPin: repeatPin === newPin ? undefined : 'The two PINs differ.',
    };
    setErrors(found);
    setServerError(undefined);
    if (hasErrors(found)) {
      focusFirstInvalid(event.currentTarget);
      return;
    }

    setBusy(true);
    try {
      const base = { ssn: normaliseSsn(ssn), password, newPin };
      const code = byCode
        ? await recoverPin({ ...base, dateOfBirth, recoveryCode: recoveryCode.trim() })
        : await resetPinWithToken({ ...base, resetToken: resetToken.trim() });
      props.onChanged({ recoveryCode: code });
    } catch (error) {
      setServerError(describeError(error));
      setBusy(false);
    }
  }

  return (
    <form className="login-form" noValidate onSubmit={(event) => void submit(event)} aria-busy={busy}>
      <fieldset className="fieldset fieldset-plain">
        <legend>How will you confirm it is you?</legend>
        <label className="choice">
          <input type="radio" name="pin-proof" checked={proof === 'code'} onChange={() => setProof('code')} />
          I have my recovery code
        </label>
        <label className="choice">
          <input
            type="radio"
            name="pin-proof"
            checked={proof === 'token'}
            onChange={() => setProof('token')}
          />
          I have a reset token from a registrar
        </label>
      </fieldset>
      <TextField
        id="recover-ssn"
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
        id="recover-password"
        label="Password"
        type="password"
        value={password}
        onChange={setPassword}
        autoComplete="current-password"
        error={errors.password}
      />
      {proof === 'code' ? (
        <>
          <TextField
            id="recover-dob"
            label="Date of birth"
            type="date"
            value={dateOfBirth}
            onChange={setDateOfBirth}
            max={todayLocal()}
            error={errors.dateOfBirth}
          />
          <TextField
            id="recover-code"
            label="Recovery code"
            value={recoveryCode}
            onChange={setRecoveryCode}
            autoComplete="off"
            hint="The code you were given at registration, or after your last PIN recovery."
            error={errors.recoveryCode}
          />
        </>
      ) : (
        <TextField
          id="recover-token"
          label="Reset token"
          value={resetToken}
          onChange={setResetToken}
          autoComplete="off"
          error={errors.resetToken}
        />
      )}
      <TextField
        id="recover-new-pin"
        label="New PIN"
        type="password"
        value={newPin}
        onChange={setNewPin}
        autoComplete="new-password"
        inputMode="numeric"
        maxLength={6}
        hint="Exactly 6 digits."
        error={errors.newPin}
      />
      <TextField
        id="recover-repeat-pin"
        label="Repeat PIN"
        type="password"
        value={repeatPin}
        onChange={setRepeatPin}
        autoComplete="new-password"
        inputMode="numeric"
        maxLength={6}
        error={errors.repeatPin}
      />
      <FormAlert title="Could not set a new PIN." message={serverError} />
      <button type="submit" className="button button-primary button-block" disabled={busy}>
        {busy ? 'Setting the new PIN…' : 'Set new PIN'}
      </button>
    </form>
  );
}
