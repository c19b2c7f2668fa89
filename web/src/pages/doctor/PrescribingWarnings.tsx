import { useEffect, useState } from 'react';
import type { Medicine } from '../../api/medicines.js';
import {
  checkPrescribing,
  MAX_OVERRIDE_REASON,
  type PrescribingCheck,
  type PrescribingWarning,
} from '../../api/prescribing-checks.js';
import { TextAreaField } from '../../components/TextAreaField.js';

type CheckState =
  | { readonly status: 'idle' | 'checking' }
  | { readonly status: 'done'; readonly check: PrescribingCheck }
  | { readonly status: 'failed' };

/**
 * The prescribing checks on the form (issue 20, point 3): once patient and medicine are chosen,
 * asks the server for allergy and duplicate-therapy warnings, shows them, and asks for the reason
 * to go on, which is signed with the prescription (the pharmacist sees both). The server checks
 * again at submission, so a failed or stale check here never lets a warning through unsigned.
 */
export function PrescribingWarnings(props: {
  readonly patientId: string | undefined;
  readonly medicine: Medicine | undefined;
  readonly reason: string;
  readonly onReason: (reason: string) => void;
  readonly error: string | undefined;
  /** The warnings shown (empty when none), or undefined while nothing is checked yet. */
  readonly onWarnings: (warnings: readonly PrescribingWarning[] | undefined) => void;
}) {
  const { patientId, medicine, onWarnings } = props;
  const medicineId = medicine?.id;
  const [state, setState] = useState<CheckState>({ status: 'idle' });

  useEffect(() => {
    onWarnings(undefined);
    if (!patientId || !medicineId) {
      setState({ status: 'idle' });
      return undefined;
    }
    let current = true;
    setState({ status: 'checking' });
    checkPrescribing(patientId, medicineId).then(
      (check) => {
        if (!current) return;
        setState({ status: 'done', check });
        onWarnings(check.warnings);
      },
      () => {
        if (current) setState({ status: 'failed' });
      },
    );
    return () => {
      current = false;
    };
  }, [patientId, medicineId, onWarnings]);

  switch (state.status) {
    case 'idle':
      return null;
    case 'checking':
      return (
        <p className="field-hint" role="status">
          Checking allergies and current prescriptions…
        </p>
      );
    case 'failed':
      return (
        <p className="field-hint" role="status">
          Allergies and current prescriptions could not be checked just now. MedVault checks them again when
          you submit.
        </p>
      );
    case 'done':
      break;
  }
  const { warnings, allergiesChecked } = state.check;
  const unchecked = allergiesChecked
    ? ''
    : ' Allergy records are not shared with you, so allergies were not checked.';
  if (warnings.length === 0)
    return (
      <p className="field-hint" role="status">
        No allergy or duplicate-therapy warnings.{unchecked}
      </p>
    );
  return (
    <div className="prescribing-warnings">
      <div className="alert alert-warning" role="alert">
        <strong>Check before you sign</strong>
        <ul>
          {warnings.map((w) => (
            <li key={w.code}>{w.message}</li>
          ))}
        </ul>
        {unchecked && <p>{unchecked.trim()}</p>}
      </div>
      <TextAreaField
        id="rx-override"
        label="Reason to prescribe despite the warnings"
        value={props.reason}
        onChange={props.onReason}
        rows={2}
        maxLength={MAX_OVERRIDE_REASON}
        hint="Signed with the prescription; the pharmacist sees it with the warnings."
        error={props.error}
      />
    </div>
  );
}
