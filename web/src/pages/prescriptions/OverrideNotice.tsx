import type { PrescriptionDetails } from '../../api/prescriptions.js';

/**
 * The warnings the prescribing doctor was shown (allergy, duplicate therapy) and the reason they
 * signed to go on (issue 20, point 3): both are part of the signed payload, so what is shown here
 * is what the signature covers. Nothing when the prescription raised no warning.
 */
export function OverrideNotice(props: { readonly details: PrescriptionDetails | null }) {
  const override = props.details?.override;
  if (!override) return null;
  return (
    <div className="alert alert-warning" role="note" aria-label="Prescribing warnings overridden">
      <strong>Prescribed despite warnings</strong>
      {override.warnings.length > 0 && (
        <ul>
          {override.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <p>
        Doctor&apos;s signed reason: <q className="preserve-lines">{override.reason}</q>
      </p>
    </div>
  );
}
