import { useState } from 'react';
import { MAX_BREAK_GLASS_REASON, MIN_BREAK_GLASS_REASON, openBreakGlass } from '../../api/break-glass.js';
import type { PatientIdentity } from '../../api/patient-search.js';
import { FormAlert } from '../../components/FormAlert.js';
import { TextAreaField } from '../../components/TextAreaField.js';
import { patientQuery, reachablePatientsQuery } from '../../data/queries.js';
import { useQueryCache } from '../../data/useQuery.js';
import { useForm } from '../../forms/useForm.js';
import { href, navigate } from '../../routes.js';
import { useFocusOnMount } from '../records/useFocusOnMount.js';
import { BreakGlassLookup } from './BreakGlassLookup.js';

/**
 * Break-glass: a doctor outside a patient's care team opens their records in an emergency. First
 * they find the patient (by MRN, or full name and date of birth: BreakGlassLookup) and confirm who
 * it is; then they give a written reason. Access lasts one hour; the patient sees it, with the
 * reason, in their access history, and the ledger flags it (and every look-up) for review. On
 * success the patient's records open.
 */
export function EmergencyAccessPage() {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const cache = useQueryCache();
  const [found, setFound] = useState<readonly PatientIdentity[]>();
  const [chosen, setChosen] = useState<string>();
  const patient = found?.find((p) => p.id === chosen);
  const form = useForm({
    initial: { reason: '' },
    validate: ({ reason }) => {
      const length = [...reason.trim()].length;
      return {
        reason:
          length < MIN_BREAK_GLASS_REASON || length > MAX_BREAK_GLASS_REASON
            ? `Say why you need access now, in ${MIN_BREAK_GLASS_REASON} to ${MAX_BREAK_GLASS_REASON} characters.`
            : undefined,
      };
    },
    onSubmit: async ({ reason }) => {
      // The button waits for a chosen patient (step 1).
      if (patient === undefined) return;
      await openBreakGlass(patient.id, reason.trim());
      // The doctor now reaches this patient: what the cache said before is out of date.
      cache.invalidate(reachablePatientsQuery.key);
      cache.invalidate(patientQuery(patient.id).key);
      navigate(href('patient', { patientId: patient.id }));
    },
  });

  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title" ref={heading} tabIndex={-1} className="focus-heading">
        Emergency access
      </h1>
      <p className="page-summary">
        For a patient who is not in your care and has not shared their records with you. Access lasts one
        hour. The patient sees it and your reason in their access history, and it is flagged in the audit
        ledger for review, as is every look-up.
      </p>
      <BreakGlassLookup
        found={found}
        chosen={chosen}
        onFound={(patients) => {
          setFound(patients);
          setChosen(patients.length === 1 ? patients[0]?.id : undefined);
        }}
        onChoose={setChosen}
      />
      <form className="card form" noValidate onSubmit={form.handleSubmit} aria-labelledby="reason-title">
        <h2 id="reason-title">2. Why you need access{patient ? ` to ${patient.fullName}` : ''}</h2>
        <FormAlert title="Emergency access was not opened." message={form.serverError} />
        <TextAreaField
          id="break-glass-reason"
          label="Reason"
          {...form.field('reason')}
          rows={3}
          maxLength={MAX_BREAK_GLASS_REASON}
          hint="Why you need the records now. Stored encrypted; shown to the patient."
        />
        <div className="button-row">
          <button
            type="submit"
            className="button button-danger"
            disabled={form.submitting || patient === undefined}
          >
            {form.submitting ? 'Opening…' : 'Open emergency access'}
          </button>
        </div>
      </form>
    </section>
  );
}
