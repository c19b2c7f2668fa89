import { MAX_FULL_NAME_LENGTH } from '../../../../src/contract/vocabulary/patients.js';
import {
  registerPatient,
  SMOKING_STATUSES,
  type RegisteredPatient,
  type SmokingStatus,
} from '../../api/patients.js';
import { FormAlert } from '../../components/FormAlert.js';
import { SelectField } from '../../components/SelectField.js';
import { TextField } from '../../components/TextField.js';
import { useForm } from '../../forms/useForm.js';
import {
  dateOfBirthError,
  MIN_PASSWORD_LENGTH,
  newPasswordError,
  normaliseSsn,
  pinError,
  textError,
  ssnError,
} from '../../validation.js';
import { todayLocal } from '../../dates.js';

const SMOKING_LABELS: Readonly<Record<SmokingStatus, string>> = {
  never: 'Never smoked',
  former: 'Former smoker',
  current: 'Current smoker',
  unknown: 'Unknown',
};

/** The registration form, checked in the browser first; the server checks everything again. */
export function RegisterPatientForm(props: {
  readonly onRegistered: (patient: RegisteredPatient, fullName: string) => void;
}) {
  const form = useForm({
    initial: { fullName: '', ssn: '', dateOfBirth: '', smokingStatus: '', pin: '', password: '' },
    validate: (values) => ({
      fullName: textError(values.fullName, MAX_FULL_NAME_LENGTH, 'Enter the full name.'),
      ssn: ssnError(values.ssn, "Enter the patient's SSN."),
      dateOfBirth: dateOfBirthError(values.dateOfBirth),
      smokingStatus: smokingStatusOf(values.smokingStatus) ? undefined : 'Choose a smoking status.',
      pin: pinError(values.pin, 'Enter the 6-digit PIN the patient chose.'),
      password: newPasswordError(values.password, 'Enter the password the patient chose.'),
    }),
    onSubmit: async (values) => {
      const smokingStatus = smokingStatusOf(values.smokingStatus);
      if (!smokingStatus) throw new Error('Choose a smoking status.'); // validate() rules this out
      const name = values.fullName.trim();
      const patient = await registerPatient({
        ssn: normaliseSsn(values.ssn),
        fullName: name,
        dateOfBirth: values.dateOfBirth,
        pin: values.pin,
        password: values.password,
        smokingStatus,
      });
      props.onRegistered(patient, name);
    },
    // The form gives way to the recovery code.
    leavesOnSuccess: true,
  });
  const busy = form.submitting;

  return (
    <form className="form" noValidate onSubmit={form.handleSubmit} aria-busy={busy}>
      <TextField
        id="reg-name"
        label="Full name"
        {...form.field('fullName')}
        autoComplete="off"
        maxLength={MAX_FULL_NAME_LENGTH}
        counter
      />
      <div className="form-row">
        <TextField
          id="reg-ssn"
          label="Social Security number"
          {...form.field('ssn')}
          autoComplete="off"
          inputMode="numeric"
          placeholder="123-45-6789"
          maxLength={11}
        />
        <TextField
          id="reg-dob"
          label="Date of birth"
          type="date"
          {...form.field('dateOfBirth')}
          min="1900-01-01"
          max={todayLocal()}
        />
      </div>
      <SelectField
        id="reg-smoking"
        label="Smoking status"
        {...form.field('smokingStatus')}
        placeholder="Choose…"
        options={SMOKING_STATUSES.map((value) => ({ value, label: SMOKING_LABELS[value] }))}
      />
      <fieldset className="fieldset">
        <legend>The patient&apos;s sign-in</legend>
        <p className="field-hint">Let the patient type these themselves.</p>
        <TextField
          id="reg-pin"
          label="PIN"
          type="password"
          {...form.field('pin')}
          autoComplete="new-password"
          inputMode="numeric"
          maxLength={6}
          hint="Exactly 6 digits."
        />
        <TextField
          id="reg-password"
          label="Password"
          type="password"
          {...form.field('password')}
          autoComplete="new-password"
          hint={`At least ${MIN_PASSWORD_LENGTH} characters. Common passwords are refused.`}
        />
      </fieldset>
      <FormAlert title="Could not register the patient." message={form.serverError} />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Registering…' : 'Register patient'}
        </button>
      </div>
    </form>
  );
}

function smokingStatusOf(value: string): SmokingStatus | undefined {
  return SMOKING_STATUSES.find((status) => status === value);
}
