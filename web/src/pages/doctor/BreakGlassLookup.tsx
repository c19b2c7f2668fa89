import { MAX_FULL_NAME_LENGTH } from '../../../../src/contract/vocabulary/patients.js';
import {
  formatMrn,
  lookUpForBreakGlass,
  MAX_MRN_INPUT,
  normaliseMrn,
  type PatientIdentity,
} from '../../api/patient-search.js';
import { FormAlert } from '../../components/FormAlert.js';
import { TextField } from '../../components/TextField.js';
import { useForm } from '../../forms/useForm.js';

/**
 * The first step of emergency access: find the patient by their medical record number, or by
 * full name AND date of birth (never a name alone), and confirm who they are from name, date of
 * birth and MRN. Every look-up is in the audit ledger with how many patients it found.
 */
export function BreakGlassLookup(props: {
  readonly found: readonly PatientIdentity[] | undefined;
  readonly chosen: string | undefined;
  readonly onFound: (patients: readonly PatientIdentity[]) => void;
  readonly onChoose: (patientId: string) => void;
}) {
  const form = useForm({
    unsavedWork: false, // a look-up, not work
    initial: { mrn: '', fullName: '', dateOfBirth: '' },
    validate: ({ mrn, fullName, dateOfBirth }) => {
      if (mrn.trim() !== '')
        return {
          mrn:
            normaliseMrn(mrn.trim()) === null
              ? 'This MRN is not valid: check the eight digits (the last one is a check digit).'
              : undefined,
        };
      return {
        fullName:
          fullName.trim() === ''
            ? 'Enter the MRN, or the full name together with the date of birth.'
            : undefined,
        dateOfBirth: dateOfBirth === '' ? 'Enter the date of birth as well as the full name.' : undefined,
      };
    },
    onSubmit: async ({ mrn, fullName, dateOfBirth }) => {
      const patients = await lookUpForBreakGlass(
        mrn.trim() !== '' ? { mrn: mrn.trim() } : { fullName: fullName.trim(), dateOfBirth },
      );
      props.onFound(patients);
    },
  });
  const today = new Date().toISOString().slice(0, 10);
  return (
    <div className="stack">
      <form className="card form" noValidate onSubmit={form.handleSubmit} aria-labelledby="lookup-title">
        <h2 id="lookup-title">1. Find the patient</h2>
        <FormAlert title="The look-up did not run." message={form.serverError} />
        <TextField
          id="lookup-mrn"
          label="Medical record number (MRN)"
          {...form.field('mrn')}
          autoComplete="off"
          inputMode="numeric"
          maxLength={MAX_MRN_INPUT}
          hint="Eight digits, from the wristband or registration slip. Or leave it empty and give name and date of birth."
        />
        <TextField
          id="lookup-name"
          label="Full name"
          {...form.field('fullName')}
          autoComplete="off"
          maxLength={MAX_FULL_NAME_LENGTH}
          hint="Whole words of the name, as registered (accents do not matter)."
        />
        <TextField
          id="lookup-dob"
          label="Date of birth"
          type="date"
          max={today}
          {...form.field('dateOfBirth')}
        />
        <div className="button-row">
          <button type="submit" className="button button-primary" disabled={form.submitting}>
            {form.submitting ? 'Looking up…' : 'Look up'}
          </button>
        </div>
      </form>
      {props.found !== undefined && (
        <fieldset className="fieldset">
          <legend>Is this the patient?</legend>
          {props.found.length === 0 ? (
            <p className="empty-state" role="status">
              Nobody matches. Check the MRN, or the spelling of the name and the date of birth.
            </p>
          ) : (
            <div className="stack">
              {props.found.map((p) => (
                <label className="choice" key={p.id}>
                  <input
                    type="radio"
                    name="break-glass-patient"
                    value={p.id}
                    checked={props.chosen === p.id}
                    onChange={() => props.onChoose(p.id)}
                  />
                  <span>
                    <strong>{p.fullName}</strong>, born {p.dateOfBirth}, MRN {formatMrn(p.mrn)}
                  </span>
                </label>
              ))}
            </div>
          )}
        </fieldset>
      )}
    </div>
  );
}
