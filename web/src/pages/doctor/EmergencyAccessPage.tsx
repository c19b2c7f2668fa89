import { MAX_BREAK_GLASS_REASON, MIN_BREAK_GLASS_REASON, openBreakGlass } from '../../api/break-glass.js';
import { ApiError } from '../../api/client.js';
import { describeError } from '../../messages.js';
import { FormAlert } from '../../components/FormAlert.js';
import { TextField } from '../../components/TextField.js';
import { TextAreaField } from '../../components/TextAreaField.js';
import { patientQuery, reachablePatientsQuery } from '../../data/queries.js';
import { useQueryCache } from '../../data/useQuery.js';
import { useForm } from '../../forms/useForm.js';
import { href, navigate } from '../../routes.js';
import { useFocusOnMount } from '../records/useFocusOnMount.js';

/**
 * Break-glass: a doctor outside a patient's care team opens their records in an emergency, with
 * the patient id (given at registration) and a written reason. Access lasts one hour; the patient
 * sees it, with the reason, in their access history, and the ledger flags it for review. On
 * success the patient's records open.
 */
export function EmergencyAccessPage() {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const cache = useQueryCache();
  const form = useForm({
    initial: { patientId: '', reason: '' },
    validate: ({ patientId, reason }) => {
      const length = [...reason.trim()].length;
      return {
        patientId: patientId.trim() === '' ? 'Enter the patient id from their registration.' : undefined,
        reason:
          length < MIN_BREAK_GLASS_REASON || length > MAX_BREAK_GLASS_REASON
            ? `Say why you need access now, in ${MIN_BREAK_GLASS_REASON} to ${MAX_BREAK_GLASS_REASON} characters.`
            : undefined,
      };
    },
    onSubmit: async ({ patientId, reason }) => {
      const id = patientId.trim();
      await openBreakGlass(id, reason.trim());
      // The doctor now reaches this patient: what the cache said before is out of date.
      cache.invalidate(reachablePatientsQuery.key);
      cache.invalidate(patientQuery(id).key);
      navigate(href('patient', { patientId: id }));
    },
    describe: (error) =>
      error instanceof ApiError && error.status === 404
        ? 'There is no patient with this id. Check it against the registration.'
        : describeError(error),
  });

  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title" ref={heading} tabIndex={-1} className="focus-heading">
        Emergency access
      </h1>
      <p className="page-summary">
        For a patient who is not in your care and has not shared their records with you. Access lasts one
        hour. The patient sees it and your reason in their access history, and it is flagged in the audit
        ledger for review.
      </p>
      <form className="card form" noValidate onSubmit={form.handleSubmit}>
        <FormAlert title="Emergency access was not opened." message={form.serverError} />
        <TextField
          id="break-glass-patient"
          label="Patient id"
          {...form.field('patientId')}
          autoComplete="off"
          maxLength={64}
          hint="The id given at registration (for example on the patient's wristband)."
        />
        <TextAreaField
          id="break-glass-reason"
          label="Reason"
          {...form.field('reason')}
          rows={3}
          maxLength={MAX_BREAK_GLASS_REASON}
          hint="Why you need the records now. Stored encrypted; shown to the patient."
        />
        <div className="button-row">
          <button type="submit" className="button button-danger" disabled={form.submitting}>
            {form.submitting ? 'Opening…' : 'Open emergency access'}
          </button>
        </div>
      </form>
    </section>
  );
}
