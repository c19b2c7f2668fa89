import { recoverPin, resetPinWithToken } from '../api/pin-recovery.js';
import { FormAlert } from '../components/FormAlert.js';
import { NewPinFields, SsnField } from '../components/IdentityFields.js';
import { TextField } from '../components/TextField.js';
import { todayLocal } from '../dates.js';
import { useForm } from '../forms/useForm.js';
import {
  dateOfBirthError,
  normaliseSsn,
  pinError,
  repeatPinError,
  requiredError,
  ssnError,
} from '../validation.js';

type Proof = 'code' | 'token';

interface Values {
  readonly proof: Proof;
  readonly ssn: string;
  readonly password: string;
  readonly dateOfBirth: string;
  readonly recoveryCode: string;
  readonly resetToken: string;
  readonly newPin: string;
  readonly repeatPin: string;
}

/** What happened: a new PIN, and the new recovery code when the server issued one. */
export interface PinChanged {
  readonly recoveryCode: string | undefined;
}

/**
 * "Forgot PIN?": set a new PIN with SSN + password and either the recovery code and date of
 * birth (self-service), or the one-time token a registrar gave after checking identity.
 */
export function ForgotPinForm(props: { readonly onChanged: (result: PinChanged) => void }) {
  const form = useForm<Values>({
    unsavedWork: false, // not typed work: leaving never asks
    initial: {
      proof: 'code',
      ssn: '',
      password: '',
      dateOfBirth: '',
      recoveryCode: '',
      resetToken: '',
      newPin: '',
      repeatPin: '',
    },
    validate: (values) => {
      const byCode = values.proof === 'code';
      return {
        ssn: ssnError(values.ssn),
        password: requiredError(values.password, 'Enter your password.'),
        dateOfBirth: byCode ? dateOfBirthError(values.dateOfBirth) : undefined,
        recoveryCode: byCode ? requiredError(values.recoveryCode, 'Enter your recovery code.') : undefined,
        resetToken: byCode ? undefined : requiredError(values.resetToken, 'Enter the reset token.'),
        newPin: pinError(values.newPin, 'Choose a new 6-digit PIN.'),
        repeatPin: repeatPinError(values.repeatPin, values.newPin),
      };
    },
    onSubmit: async (values) => {
      const base = { ssn: normaliseSsn(values.ssn), password: values.password, newPin: values.newPin };
      const code =
        values.proof === 'code'
          ? await recoverPin({
              ...base,
              dateOfBirth: values.dateOfBirth,
              recoveryCode: values.recoveryCode.trim(),
            })
          : await resetPinWithToken({ ...base, resetToken: values.resetToken.trim() });
      props.onChanged({ recoveryCode: code });
    },
    // The form gives way to the new recovery code.
    leavesOnSuccess: true,
  });
  const busy = form.submitting;
  const proof = form.values.proof;

  return (
    <form className="login-form" noValidate onSubmit={form.handleSubmit} aria-busy={busy}>
      <fieldset className="fieldset fieldset-plain">
        <legend>How will you confirm it is you?</legend>
        <label className="choice">
          <input
            type="radio"
            name="pin-proof"
            checked={proof === 'code'}
            onChange={() => form.setValue('proof', 'code')}
          />
          I have my recovery code
        </label>
        <label className="choice">
          <input
            type="radio"
            name="pin-proof"
            checked={proof === 'token'}
            onChange={() => form.setValue('proof', 'token')}
          />
          I have a reset token from a registrar
        </label>
      </fieldset>
      <SsnField id="recover-ssn" {...form.field('ssn')} />
      <TextField
        id="recover-password"
        label="Password"
        type="password"
        {...form.field('password')}
        autoComplete="current-password"
      />
      {proof === 'code' ? (
        <>
          <TextField
            id="recover-dob"
            label="Date of birth"
            type="date"
            {...form.field('dateOfBirth')}
            max={todayLocal()}
          />
          <TextField
            id="recover-code"
            label="Recovery code"
            {...form.field('recoveryCode')}
            autoComplete="off"
            hint="The code you were given at registration, or after your last PIN recovery."
          />
        </>
      ) : (
        <TextField id="recover-token" label="Reset token" {...form.field('resetToken')} autoComplete="off" />
      )}
      <NewPinFields
        idPrefix="recover-new"
        label="New PIN"
        pin={form.field('newPin')}
        repeat={form.field('repeatPin')}
      />
      <FormAlert title="Could not set a new PIN." message={form.serverError} />
      <button type="submit" className="button button-primary button-block" disabled={busy}>
        {busy ? 'Setting the new PIN…' : 'Set new PIN'}
      </button>
    </form>
  );
}
