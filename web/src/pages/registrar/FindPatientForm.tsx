import { MAX_FULL_NAME_LENGTH } from '../../../../src/contract/vocabulary/patients.js';
import { findPatients, searchOf, type FoundPatient } from '../../api/patient-search.js';
import { FormAlert } from '../../components/FormAlert.js';
import { TextField } from '../../components/TextField.js';
import { useForm } from '../../forms/useForm.js';

/**
 * One search box for the registrar: a name (any words, three letters find every name starting
 * with them), a medical record number, or a date of birth. Answers replace the patient list;
 * clearing the box brings the list back.
 */
export function FindPatientForm(props: {
  readonly onFound: (found: { patients: readonly FoundPatient[]; more: boolean } | undefined) => void;
}) {
  const form = useForm({
    unsavedWork: false, // a search, not work
    initial: { text: '' },
    validate: ({ text }) => ({
      text: text.trim() === '' ? 'Type a name, a medical record number or a date of birth.' : undefined,
    }),
    onSubmit: async ({ text }) => props.onFound(await findPatients(searchOf(text))),
  });
  return (
    <form className="form" role="search" noValidate onSubmit={form.handleSubmit}>
      <FormAlert title="The search did not run." message={form.serverError} />
      <TextField
        id="find-patient"
        label="Find a patient"
        {...form.field('text')}
        autoComplete="off"
        maxLength={MAX_FULL_NAME_LENGTH}
        hint="A name (for example “alva” for Álvarez), an MRN such as 4821 3307, or a date of birth YYYY-MM-DD."
      />
      <div className="button-row">
        <button type="submit" className="button button-primary" disabled={form.submitting}>
          Find
        </button>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => {
            form.reset();
            props.onFound(undefined);
          }}
        >
          Show all patients
        </button>
      </div>
    </form>
  );
}
