import { MAX_FULL_NAME_LENGTH } from '../../../../src/contract/vocabulary/patients.js';
import {
  registerPatient,
  SMOKING_STATUSES,
  type RegisteredPatient,
  type SmokingStatus,
} from '../../api/patients.js';
import { FormAlert } from '../../components/FormAlert.js';
import { SelectField } from '../../components/SelectField.js';
import { SsnField } from '../../components/IdentityFields.js';
import { TextField } from '../../components/TextField.js';
import { useForm } from '../../forms/useForm.js';
import { dateOfBirthError, normaliseSsn, textError, ssnError } from '../../validation.js';
import { todayLocal } from '../../dates.js';

const SMOKING_LABELS: Readonly<Record<SmokingStatus, string>> = {
  never: 'Never smoked',
  former: 'Former smoker',
  current: 'Current smoker',
  unknown: 'Unknown',
};

/**
 * The registration form: identity only (the patient chooses PIN and password themselves, at
 * enrolment). Checked in the browser first; the server checks everything again.
 */
export function RegisterPatientForm(props: {
  readonly onRegistered: (patient: RegisteredPatient, fullName: string, ssn: string) => void;
}) {
  const form = useForm({
    initial: { fullName: '', ssn: '', dateOfBirth: '', smokingStatus: '' },
    validate: (values) => ({
      fullName: textError(values.fullName, MAX_FULL_NAME_LENGTH, 'Enter the full name.'),
      ssn: ssnError(values.ssn, "Enter the patient's SSN."),
      dateOfBirth: dateOfBirthError(values.dateOfBirth),
      smokingStatus: smokingStatusOf(values.smokingStatus) ? undefined : 'Choose a smoking status.',
    }),
    onSubmit: async (values) => {
      const smokingStatus = smokingStatusOf(values.smokingStatus);
      if (!smokingStatus) throw new Error('Choose a smoking status.'); // validate() rules this out
      const name = values.fullName.trim();
      const ssn = normaliseSsn(values.ssn);
      const patient = await registerPatient({
        ssn,
        fullName: name,
        dateOfBirth: values.dateOfBirth,
        smokingStatus,
      });
      props.onRegistered(patient, name, ssn);
    },
    // The form gives way to the enrolment slip.
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
        <SsnField id="reg-ssn" {...form.field('ssn')} />
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
