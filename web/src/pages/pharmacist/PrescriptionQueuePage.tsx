import { useState } from 'react';
import { medicineLabel } from '../../api/medicines.js';
import { listPendingPrescriptions } from '../../api/prescriptions.js';
import { LoadState } from '../../components/LoadState.js';
import { formatDate } from '../../format.js';
import { useResource } from '../../data/useQuery.js';
import type { PageProps } from '../page-props.js';
import { DispensePanel } from './DispensePanel.js';

/** The pharmacist's queue of undispensed, unexpired prescriptions, and the dispense panel. */
export function PrescriptionQueuePage(props: PageProps) {
  const queue = useResource(listPendingPrescriptions);
  const [selected, setSelected] = useState<string>();

  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{props.item.label}</h1>
      <p className="page-summary">
        Open a prescription to see whether its signature verifies against the prescriber&apos;s registered
        key, then dispense it.
      </p>
      <div className="page-columns page-columns-main">
        <section className="card" aria-labelledby="queue-title">
          <h2 id="queue-title">Pending prescriptions</h2>
          <LoadState resource={queue.resource} what="the queue" onRetry={() => void queue.reload()} />
          {queue.resource.status === 'ready' &&
            (queue.resource.data.length === 0 ? (
              <p className="empty-state">Nothing is waiting to be dispensed.</p>
            ) : (
              <div className="table-scroll">
                <table className="table table-compact table-stack">
                  <thead>
                    <tr>
                      <th scope="col">Patient</th>
                      <th scope="col">Medicine</th>
                      <th scope="col">Qty</th>
                      <th scope="col">Prescriber</th>
                      <th scope="col">Expires</th>
                      <th scope="col">Fills</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {queue.resource.data.map((item) => (
                      <tr key={item.id} className={selected === item.id ? 'row-selected' : undefined}>
                        <th scope="row">{item.patient.name ?? item.patient.id}</th>
                        <td data-label="Medicine">
                          {item.details ? medicineLabel(item.details.medicine) : 'Unreadable'}
                        </td>
                        <td data-label="Qty">{item.details?.quantity ?? '—'}</td>
                        <td data-label="Prescriber">{item.prescriber.name ?? item.prescriber.id}</td>
                        <td data-label="Expires">{formatDate(item.expiresAt)}</td>
                        <td data-label="Fills">{item.fillsRemaining}</td>
                        <td className="cell-actions">
                          <button
                            type="button"
                            className="button button-secondary button-small"
                            onClick={() => setSelected(item.id)}
                            aria-label={`Open prescription for ${item.patient.name ?? item.patient.id}`}
                          >
                            Open
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ))}
        </section>
        {selected && <DispensePanel key={selected} id={selected} onDispensed={() => void queue.reload()} />}
      </div>
    </section>
  );
}
