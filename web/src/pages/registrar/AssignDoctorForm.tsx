import { useState } from 'react';
import { assignCareTeam, doctorName, type Doctor, type PatientSummary } from '../../api/patients.js';
import { FormAlert } from '../../components/FormAlert.js';
import { LoadState } from '../../components/LoadState.js';
import { SelectField } from '../../components/SelectField.js';
import type { Resource } from '../../data/resource.js';
import { useForm } from '../../forms/useForm.js';

/** Puts a doctor on the selected patient's care team (POST /patients/:id/care-team). */
export function AssignDoctorForm(props: {
  readonly patient: Pick<PatientSummary, 'id' | 'fullName'>;
  readonly doctors: Resource<readonly Doctor[]>;
  readonly onRetryDoctors: () => void;
  /** After a successful assignment, e.g. to reload the care team shown above. */
  readonly onAssigned: () => Promise<void>;
}) {
  const { doctors, patient } = props;
  const [notice, setNotice] = useState<string>();
  const form = useForm({
    unsavedWork: false, // not typed work: leaving never asks
    initial: { doctor: '' },
    validate: ({ doctor }) => ({ doctor: doctor === '' ? 'Choose a doctor.' : undefined }),
    onSubmit: async ({ doctor: doctorId }, { reset }) => {
      const doctor = doctors.status === 'ready' ? doctors.data.find((d) => d.id === doctorId) : undefined;
      const added = await assignCareTeam(patient.id, doctorId);
      const name = doctor ? doctorName(doctor) : 'The doctor';
      setNotice(
        added
          ? `${name} is now on ${patient.fullName}'s care team.`
          : `${name} was already on ${patient.fullName}'s care team.`,
      );
      reset();
      await props.onAssigned();
    },
  });
  const busy = form.submitting;

  if (doctors.status !== 'ready') {
    return <LoadState resource={doctors} what="doctors" onRetry={props.onRetryDoctors} />;
  }
  return (
    <form
      className="form"
      noValidate
      onSubmit={(event) => {
        setNotice(undefined);
        form.handleSubmit(event);
      }}
      aria-busy={busy}
    >
      <SelectField
        id="care-doctor"
        label="Add a doctor"
        {...form.field('doctor')}
        placeholder={doctors.data.length === 0 ? 'No doctors yet' : 'Choose a doctor…'}
        options={doctors.data.map((d) => ({ value: d.id, label: doctorName(d) }))}
        disabled={!patient}
      />
      <p className="notice-region" role="status" aria-live="polite">
        {notice}
      </p>
      <FormAlert title="Could not assign the doctor." message={form.serverError} />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={busy || !patient}>
          {busy ? 'Assigning…' : 'Assign to care team'}
        </button>
      </div>
    </form>
  );
}
