import { useState } from 'react';
import { isPending, loginPatient, type PendingSecondFactor, type SessionUser } from '../api/auth.js';
import { SecondFactorStep } from './SecondFactorStep.js';
import { FormAlert } from '../components/FormAlert.js';
import { PinField, SsnField } from '../components/IdentityFields.js';
import { TextField } from '../components/TextField.js';
import { useForm } from '../forms/useForm.js';
import { normaliseSsn, pinError, requiredError, ssnError } from '../validation.js';

/** Patient sign-in: SSN + 6-digit PIN + password → POST /api/v1/auth/patient/login. */
export function PatientLoginForm(props: {
  readonly onLoggedIn: (user: SessionUser | undefined) => Promise<void>;
}) {
  const [pending, setPending] = useState<PendingSecondFactor | undefined>(undefined);
  const form = useForm({
    unsavedWork: false, // not typed work: leaving never asks
    initial: { ssn: '', pin: '', password: '' },
    validate: (values) => ({
      ssn: ssnError(values.ssn),
      pin: pinError(values.pin),
      password: requiredError(values.password, 'Enter your password.'),
    }),
    onSubmit: async ({ ssn, pin, password }) => {
      const user = await loginPatient({ ssn: normaliseSsn(ssn), pin, password });
      if (isPending(user)) setPending(user);
      else await props.onLoggedIn(user);
    },
  });
  const busy = form.submitting;
  if (pending !== undefined) return <SecondFactorStep pending={pending} onLoggedIn={props.onLoggedIn} />;

  return (
    <form className="login-form" noValidate onSubmit={form.handleSubmit} aria-busy={busy}>
      <SsnField id="patient-ssn" {...form.field('ssn')} />
      <PinField
        id="patient-pin"
        label="PIN"
        {...form.field('pin')}
        hint="The 6-digit PIN you chose at registration."
      />
      <TextField
        id="patient-password"
        label="Password"
        type="password"
        {...form.field('password')}
        autoComplete="current-password"
      />
      <FormAlert title="Could not sign in." message={form.serverError} />
      <button type="submit" className="button button-primary button-block" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
