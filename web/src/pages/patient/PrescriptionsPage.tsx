import { useCallback, useState } from 'react';
import { describeError } from '../../messages.js';
import { medicineLabel } from '../../api/medicines.js';
import { getEvidenceJson, listPatientPrescriptions, type Prescription } from '../../api/prescriptions.js';
import { FormAlert } from '../../components/FormAlert.js';
import { LoadState } from '../../components/LoadState.js';
import { formatDate } from '../../format.js';
import { useResource } from '../../data/useQuery.js';
import type { PageProps } from '../page-props.js';

const STATUS_LABELS: Readonly<Record<Prescription['status'], string>> = {
  active: 'Ready to dispense',
  dispensed: 'Dispensed',
  expired: 'Expired',
};

/**
 * The patient's prescriptions: what was prescribed, by whom, whether it was dispensed, and the
 * signature evidence to download — `medvault rx verify evidence.json` checks it offline.
 */
export function PrescriptionsPage(props: PageProps) {
  const patientId = props.user.id;
  const load = useCallback(() => listPatientPrescriptions(patientId), [patientId]);
  const list = useResource(load);
  const [evidence, setEvidence] = useState<{ id: string; url: string }>();
  const [error, setError] = useState<string>();

  async function prepareEvidence(id: string): Promise<void> {
    setError(undefined);
    try {
      const json = await getEvidenceJson(id);
      if (evidence) URL.revokeObjectURL(evidence.url);
      setEvidence({ id, url: URL.createObjectURL(new Blob([json], { type: 'application/json' })) });
    } catch (e) {
      setError(describeError(e));
    }
  }

  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{props.item.label}</h1>
      <p className="page-summary">
        Each prescription is signed by your doctor&apos;s own key. You can download its evidence and check the
        signature yourself with <span className="mono">medvault rx verify</span>.
      </p>
      <FormAlert title="Could not fetch the evidence." message={error} />
      <LoadState resource={list.resource} what="your prescriptions" onRetry={() => void list.reload()} />
      {list.resource.status === 'ready' &&
        (list.resource.data.length === 0 ? (
          <p className="empty-state">You have no prescriptions.</p>
        ) : (
          <div className="table-scroll">
            <table className="table table-stack">
              <thead>
                <tr>
                  <th scope="col">Medicine</th>
                  <th scope="col">How to take</th>
                  <th scope="col">Prescriber</th>
                  <th scope="col">Issued</th>
                  <th scope="col">Status</th>
                  <th scope="col">Signature</th>
                  <th scope="col">Evidence</th>
                </tr>
              </thead>
              <tbody>
                {list.resource.data.map((p) => (
                  <tr key={p.id}>
                    <th scope="row">{p.details ? medicineLabel(p.details.medicine) : 'Unreadable'}</th>
                    <td data-label="How to take">
                      {p.details && (
                        <>
                          {p.details.dose}, {p.details.frequency} ({p.details.quantity})
                          {p.details.instructions && (
                            <div className="cell-note preserve-lines">{p.details.instructions}</div>
                          )}
                        </>
                      )}
                    </td>
                    <td data-label="Prescriber">{p.prescriber.name ?? p.prescriber.id}</td>
                    <td data-label="Issued">{formatDate(p.issuedAt)}</td>
                    <td data-label="Status">
                      {STATUS_LABELS[p.status]}
                      {p.status === 'active' && p.fillsRemaining > 1 && ` (${p.fillsRemaining} fills left)`}
                    </td>
                    <td data-label="Signature">
                      <span className={p.verification.valid ? 'status status-ok' : 'status status-bad'}>
                        {p.verification.valid
                          ? 'Verified'
                          : p.verification.failure === 'prescription_expired'
                            ? 'Valid, expired'
                            : 'Does not verify'}
                      </span>
                    </td>
                    <td className="cell-actions">
                      {evidence?.id === p.id ? (
                        <a
                          className="button button-primary button-small"
                          href={evidence.url}
                          download={`prescription-${p.id}.json`}
                        >
                          Save evidence
                        </a>
                      ) : (
                        <button
                          type="button"
                          className="button button-secondary button-small"
                          onClick={() => void prepareEvidence(p.id)}
                        >
                          Get evidence
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}
