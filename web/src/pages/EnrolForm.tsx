import { enrol } from '../api/enrolment.js';
import { FormAlert } from '../components/FormAlert.js';
import { NewPinFields, SsnField } from '../components/IdentityFields.js';
import { TextField } from '../components/TextField.js';
import { useForm } from '../forms/useForm.js';
import {
  MIN_PASSWORD_LENGTH,
  newPasswordError,
  normaliseSsn,
  pinError,
  repeatPinError,
  requiredError,
  ssnError,
} from '../validation.js';

/**
 * "First time here?": the patient activates the account with SSN + the enrolment code from the
 * registration slip and chooses PIN and password; the answer is the recovery code.
 */
export function EnrolForm(props: { readonly onEnrolled: (recoveryCode: string) => void }) {
  const form = useForm({
    unsavedWork: false,
    initial: { ssn: '', enrolmentCode: '', pin: '', repeatPin: '', password: '' },
    validate: (values) => ({
      ssn: ssnError(values.ssn),
      enrolmentCode: requiredError(values.enrolmentCode, 'Enter the enrolment code from your slip.'),
      pin: pinError(values.pin, 'Choose a 6-digit PIN.'),
      repeatPin: repeatPinError(values.repeatPin, values.pin),
      password: newPasswordError(values.password, 'Choose a password.'),
    }),
    onSubmit: async (values) => {
      props.onEnrolled(
        await enrol({
          ssn: normaliseSsn(values.ssn),
          enrolmentCode: values.enrolmentCode.trim(),
          pin: values.pin,
          password: values.password,
        }),
      );
    },
    leavesOnSuccess: true,
  });
  const busy = form.submitting;
  return (
    <form className="login-form" noValidate onSubmit={form.handleSubmit} aria-busy={busy}>
      <SsnField id="enrol-ssn" {...form.field('ssn')} />
      <TextField
        id="enrol-code"
        label="Enrolment code"
        {...form.field('enrolmentCode')}
        autoComplete="off"
        hint="From the slip the registration desk gave you, e.g. 7QKX-2M9D-4R0H-Z3TW-B1NE-4G8J."
      />
      <NewPinFields
        idPrefix="enrol"
        label="Choose a PIN"
        pin={form.field('pin')}
        repeat={form.field('repeatPin')}
      />
      <TextField
        id="enrol-password"
        label="Choose a password"
        type="password"
        {...form.field('password')}
        autoComplete="new-password"
        hint={`At least ${MIN_PASSWORD_LENGTH} characters. Common passwords are refused.`}
      />
      <FormAlert title="Could not activate your account." message={form.serverError} />
      <button type="submit" className="button button-primary button-block" disabled={busy}>
        {busy ? 'Activating…' : 'Activate my account'}
      </button>
    </form>
  );
}
