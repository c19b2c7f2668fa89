import { useCallback } from 'react';
import { medicineLabel } from '../../api/medicines.js';
import { getPrescription, type Prescription } from '../../api/prescriptions.js';
import { LoadState } from '../../components/LoadState.js';
import { useResource } from '../../data/useQuery.js';
import { formatDateTime } from '../../format.js';
import { useFocusOnMount } from '../records/useFocusOnMount.js';
import { OverrideNotice } from './OverrideNotice.js';

const STATUS: Readonly<Record<Prescription['status'], string>> = {
  active: 'Active: ready to dispense',
  dispensed: 'Dispensed',
  expired: 'Expired',
};

/**
 * One prescription, where a records list leads (issue 20, point 4: it used to open the record
 * view, which knows no prescription, and said "No such record"). Titled with the medicine; what
 * was prescribed, by whom, its status and signature, and any warnings the doctor signed past.
 * Opening it is a read the server writes to the patient's access history.
 */
export function PrescriptionDetail(props: {
  readonly prescriptionId: string;
  readonly backHref: string;
  readonly backLabel: string;
}) {
  const { prescriptionId } = props;
  const load = useCallback(() => getPrescription(prescriptionId), [prescriptionId]);
  const { resource, reload } = useResource(load);
  const heading = useFocusOnMount<HTMLHeadingElement>(resource.status !== 'loading');
  const p = resource.status === 'ready' ? resource.data : undefined;
  const d = p?.details ?? null;
  return (
    <article className="stack record-detail" aria-labelledby="prescription-title">
      <p>
        <a href={props.backHref}>← {props.backLabel}</a>
      </p>
      <header className="record-header">
        <span className="type-badge">Prescription</span>
        <h2 id="prescription-title" className="record-title" ref={heading} tabIndex={-1}>
          {p === undefined ? 'Prescription' : d ? medicineLabel(d.medicine) : 'Unreadable prescription'}
        </h2>
        {p && (
          <p className="muted">
            Signed {formatDateTime(p.issuedAt)}
            {p.prescriber.name ? ` by ${p.prescriber.name}` : ''}
          </p>
        )}
      </header>
      <LoadState resource={resource} what="the prescription" onRetry={() => void reload()} />
      {p && (
        <>
          <OverrideNotice details={d} />
          <dl className="fact-list">
            {d && (
              <>
                <dt>Dose</dt>
                <dd>
                  {d.dose}, {d.route}, {d.frequency}
                </dd>
                <dt>Quantity</dt>
                <dd>
                  {d.quantity}
                  {d.refills > 0 && `, ${d.refills} ${d.refills === 1 ? 'refill' : 'refills'}`}
                </dd>
                {d.instructions && (
                  <>
                    <dt>Instructions</dt>
                    <dd className="preserve-lines">{d.instructions}</dd>
                  </>
                )}
              </>
            )}
            <dt>Status</dt>
            <dd>
              {STATUS[p.status]}
              {p.status === 'active' &&
                ` (${p.fillsRemaining} ${p.fillsRemaining === 1 ? 'fill' : 'fills'} left)`}
            </dd>
            <dt>Expires</dt>
            <dd>{formatDateTime(p.expiresAt)}</dd>
            <dt>Signature</dt>
            <dd>
              <span className={p.verification.valid ? 'status status-ok' : 'status status-bad'}>
                {p.verification.valid ? 'Verified' : 'Does not verify'}
              </span>{' '}
              <span className="muted">
                key <span className="mono">{p.verification.keyId}</span> ({p.verification.algorithm})
              </span>
            </dd>
          </dl>
        </>
      )}
    </article>
  );
}
