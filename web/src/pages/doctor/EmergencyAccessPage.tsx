import { useState, type FormEvent } from 'react';
import { REASON_MAX, REASON_MIN, openBreakGlass } from '../../api/break-glass.js';
import { ApiError, describeError } from '../../api/client.js';
import { FormAlert } from '../../components/FormAlert.js';
import { TextField } from '../../components/TextField.js';
import { focusFirstInvalid } from '../../focus.js';
import { TextAreaField } from '../../components/TextAreaField.js';
import { href, navigate } from '../../routes.js';
import { useFocusOnMount } from '../records/useFocusOnMount.js';

type Field = 'patientId' | 'reason';

/**
 * Break-glass: a doctor outside a patient's care team opens their records in an emergency, with
 * the patient id (given at registration) and a written reason. Access lasts one hour; the patient
 * sees it, with the reason, in their access history, and the ledger flags it for review. On
 * success the patient's records open.
 */
export function EmergencyAccessPage() {
  const heading = useFocusOnMount<HTMLHeadingElement>();
  const [patientId, setPatientId] = useState('');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [failure, setFailure] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget;
    const id = patientId.trim();
    const length = [...reason.trim()].length;
    const found: Partial<Record<Field, string>> = {
      patientId: id === '' ? 'Enter the patient id from their registration.' : undefined,
      reason:
        length < REASON_MIN || length > REASON_MAX
          ? `Say why you need access now, in ${REASON_MIN} to ${REASON_MAX} characters.`
          : undefined,
    };
    setErrors(found);
    setFailure(undefined);
    if (found.patientId || found.reason) {
      focusFirstInvalid(form);
      return;
    }
    setBusy(true);
    try {
      await openBreakGlass(id, reason.trim());
      navigate(href('patient', { patientId: id }));
    } catch (error) {
      setFailure(
        error instanceof ApiError && error.status === 404
          ? 'There is no patient with this id. Check it against the registration.'
          : describeError(error),
      );
    } finally {
      setBusy(false);
    }
  }

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
      <form className="card form" noValidate onSubmit={(event) => void submit(event)}>
        <FormAlert title="Emergency access was not opened." message={failure} />
        <TextField
          id="break-glass-patient"
          label="Patient id"
          value={patientId}
          onChange={setPatientId}
          autoComplete="off"
          maxLength={64}
          hint="The id given at registration (for example on the patient's wristband)."
          error={errors.patientId}
        />
        <TextAreaField
          id="break-glass-reason"
          label="Reason"
          value={reason}
          onChange={setReason}
          rows={3}
          maxLength={REASON_MAX}
          hint="Why you need the records now. Stored encrypted; shown to the patient."
          error={errors.reason}
        />
        <div className="button-row">
          <button type="submit" className="button button-danger" disabled={busy}>
            {busy ? 'Opening…' : 'Open emergency access'}
          </button>
        </div>
      </form>
    </section>
  );
}
