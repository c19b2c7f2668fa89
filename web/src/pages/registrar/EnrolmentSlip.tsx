import { useEffect, useRef } from 'react';
import { formatMrn } from '../../api/patient-search.js';

/**
 * The printable enrolment slip: who it is for, their medical record number, the one-time enrolment code in groups of four and
 * until when it works, and what the patient does with it. Only the slip prints (styles.css,
 * `@media print`). The code is shown once: MedVault keeps only a keyed verifier of it.
 */
export function EnrolmentSlip(props: {
  readonly fullName: string;
  readonly patientId: string;
  /** The medical record number: printed large, it is how staff find the patient again. */
  readonly mrn: string;
  readonly maskedSsn: string;
  readonly enrolmentCode: string;
  readonly expiresAt: number;
  readonly onDone: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const until = new Date(props.expiresAt).toLocaleString();
  return (
    <div className="stack">
      <div className="enrolment-slip" aria-labelledby="enrolment-slip-title">
        <h2 id="enrolment-slip-title" className="panel-title" ref={heading} tabIndex={-1}>
          Enrolment slip
        </h2>
        <p>
          <strong>{props.fullName}</strong> (SSN {props.maskedSsn}) is registered.
        </p>
        <p>
          Medical record number (MRN): <strong className="cell-mono">{formatMrn(props.mrn)}</strong>
        </p>
        <p className="secret-value" aria-label={`Enrolment code for ${props.fullName}`}>
          {props.enrolmentCode}
        </p>
        <p>Valid once, until {until}.</p>
        <ol>
          <li>Open the MedVault patient portal and choose &quot;First time here?&quot;.</li>
          <li>Enter your SSN and this enrolment code.</li>
          <li>Choose your own PIN and password: nobody at the hospital ever knows them.</li>
          <li>Keep the recovery code you are then shown somewhere safe.</li>
        </ol>
        <p className="field-hint">Patient id {props.patientId}</p>
      </div>
      <p className="no-print">
        <strong>Give this slip to the patient.</strong> The code is not shown again; if it is lost or expires,
        issue a new one from the patient&apos;s page.
      </p>
      <div className="button-row no-print">
        <button type="button" className="button" onClick={() => window.print()}>
          Print slip
        </button>
        <button type="button" className="button button-primary" onClick={props.onDone}>
          Done, register another patient
        </button>
      </div>
    </div>
  );
}
