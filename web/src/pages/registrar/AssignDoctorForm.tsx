import { useState, type FormEvent } from 'react';
import { describeError } from '../../api/client.js';
import { assignCareTeam, type Doctor, type PatientSummary } from '../../api/patients.js';
import { FormAlert } from '../../components/FormAlert.js';
import { LoadState } from '../../components/LoadState.js';
import { SelectField } from '../../components/SelectField.js';
import type { Resource } from '../../data/resource.js';
import { focusFirstInvalid } from '../../focus.js';

/** Puts a doctor on the selected patient's care team (POST /patients/:id/care-team). */
export function AssignDoctorForm(props: {
  readonly patient: PatientSummary;
  readonly doctors: Resource<readonly Doctor[]>;
  readonly onRetryDoctors: () => void;
  /** After a successful assignment, e.g. to reload the care team shown above. */
  readonly onAssigned: () => Promise<void>;
}) {
  const { doctors, patient } = props;
  const [doctorId, setDoctorId] = useState('');
  const [fieldError, setFieldError] = useState<string>();
  const [serverError, setServerError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    if (busy || doctors.status !== 'ready') return;
    setNotice(undefined);
    setServerError(undefined);
    setFieldError(doctorId === '' ? 'Choose a doctor.' : undefined);
    if (doctorId === '') {
      focusFirstInvalid(event.currentTarget);
      return;
    }
    const doctor = doctors.data.find((d) => d.id === doctorId);
    setBusy(true);
    try {
      const added = await assignCareTeam(patient.id, doctorId);
      const name = doctor?.displayName ?? 'The doctor';
      setNotice(
        added
          ? `${name} is now on ${patient.name}'s care team.`
          : `${name} was already on ${patient.name}'s care team.`,
      );
      setDoctorId('');
      await props.onAssigned();
    } catch (error) {
      setServerError(describeError(error));
    } finally {
      setBusy(false);
    }
  }

  if (doctors.status !== 'ready') {
    return <LoadState resource={doctors} what="doctors" onRetry={props.onRetryDoctors} />;
  }
  return (
    <form className="form" noValidate onSubmit={(event) => void submit(event)} aria-busy={busy}>
      <SelectField
        id="care-doctor"
        label="Add a doctor"
        value={doctorId}
        onChange={setDoctorId}
        placeholder={doctors.data.length === 0 ? 'No doctors yet' : 'Choose a doctor…'}
        options={doctors.data.map((d) => ({ value: d.id, label: d.displayName }))}
        error={fieldError}
        disabled={!patient}
      />
      <p className="notice-region" role="status" aria-live="polite">
        {notice}
      </p>
      <FormAlert title="Could not assign the doctor." message={serverError} />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={busy || !patient}>
          {busy ? 'Assigning…' : 'Assign to care team'}
        </button>
      </div>
    </form>
  );
}
