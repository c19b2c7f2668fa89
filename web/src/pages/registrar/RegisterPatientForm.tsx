import { useState, type FormEvent } from 'react';
import { describeError } from '../../api/client.js';
import {
  registerPatient,
  SMOKING_STATUSES,
  type RegisteredPatient,
  type SmokingStatus,
} from '../../api/patients.js';
import { FormAlert } from '../../components/FormAlert.js';
import { SelectField } from '../../components/SelectField.js';
import { TextField } from '../../components/TextField.js';
import {
  dateOfBirthError,
  hasErrors,
  MIN_PASSWORD_LENGTH,
  newPasswordError,
  normaliseSsn,
  pinError,
  requiredError,
  ssnError,
  type FieldErrors,
} from '../../validation.js';
import { todayLocal } from '../../dates.js';
import { focusFirstInvalid } from '../../focus.js';

type Field = 'fullName' | 'ssn' | 'dateOfBirth' | 'smokingStatus' | 'pin' | 'password';

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
  const [fullName, setFullName] = useState('');
  const [ssn, setSsn] = useState('');
  const [dateOfBirth, setDateOfBirth] = useState('');
  const [smokingStatus, setSmokingStatus] = useState('');
  const [pin, setPin] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [serverError, setServerError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (busy) return;
    const status = SMOKING_STATUSES.find((value) => value === smokingStatus);
    const found: FieldErrors<Field> = {
      fullName: requiredError(fullName, 'Enter the full name.'),
      ssn: ssnError(ssn, "Enter the patient's SSN."),
      dateOfBirth: dateOfBirthError(dateOfBirth),
      smokingStatus: status === undefined ? 'Choose a smoking status.' : undefined,
      pin: pinError(pin, 'Enter the 6-digit PIN the patient chose.'),
      password: newPasswordError(password, 'Enter the password the patient chose.'),
    };
    setErrors(found);
    setServerError(undefined);
    if (hasErrors(found) || status === undefined) {
      focusFirstInvalid(event.currentTarget);
      return;
    }

    setBusy(true);
    try {
      const name = fullName.trim();
      const patient = await registerPatient({
        ssn: normaliseSsn(ssn),
        fullName: name,
        dateOfBirth,
        pin,
        password,
        smokingStatus: status,
      });
      props.onRegistered(patient, name);
    } catch (error) {
      setServerError(describeError(error));
      setBusy(false);
    }
  }

  return (
    <form className="form" noValidate onSubmit={(event) => void submit(event)} aria-busy={busy}>
      <TextField
        id="reg-name"
        label="Full name"
        value={fullName}
        onChange={setFullName}
        autoComplete="off"
        error={errors.fullName}
      />
      <div className="form-row">
        <TextField
          id="reg-ssn"
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
          id="reg-dob"
          label="Date of birth"
          type="date"
          value={dateOfBirth}
          onChange={setDateOfBirth}
          min="1900-01-01"
          max={todayLocal()}
          error={errors.dateOfBirth}
        />
      </div>
      <SelectField
        id="reg-smoking"
        label="Smoking status"
        value={smokingStatus}
        onChange={setSmokingStatus}
        placeholder="Choose…"
        options={SMOKING_STATUSES.map((value) => ({ value, label: SMOKING_LABELS[value] }))}
        error={errors.smokingStatus}
      />
      <fieldset className="fieldset">
        <legend>The patient&apos;s sign-in</legend>
        <p className="field-hint">Let the patient type these themselves.</p>
        <TextField
          id="reg-pin"
          label="PIN"
          type="password"
          value={pin}
          onChange={setPin}
          autoComplete="new-password"
          inputMode="numeric"
          maxLength={6}
          hint="Exactly 6 digits."
          error={errors.pin}
        />
        <TextField
          id="reg-password"
          label="Password"
          type="password"
          value={password}
          onChange={setPassword}
          autoComplete="new-password"
          hint={`At least ${MIN_PASSWORD_LENGTH} characters. Common passwords are refused.`}
          error={errors.password}
        />
      </fieldset>
      <FormAlert title="Could not register the patient." message={serverError} />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Registering…' : 'Register patient'}
        </button>
      </div>
    </form>
  );
}
