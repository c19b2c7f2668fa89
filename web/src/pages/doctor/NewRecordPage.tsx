import { LoadState } from '../../components/LoadState.js';
import { reachablePatientsQuery } from '../../data/queries.js';
import { useQuery } from '../../data/useQuery.js';
import type { PageProps } from '../page-props.js';
import { RecordForm } from '../records/RecordForm.js';
import { isWritableType } from '../records/record-types.js';
import { goToSaved } from './PatientNewRecord.js';

/** Nav "New record": choose one of the doctor's patients, then write the record. */
export function NewRecordPage(
  props: PageProps & { readonly patientId: string | undefined; readonly type: string | undefined },
) {
  const patients = useQuery(reachablePatientsQuery, { refreshOnMount: true });
  const { type, patientId: preselected } = props;
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{props.item.label}</h1>
      <p className="page-summary">
        {props.item.summary} The title, body and keywords are encrypted before they are stored.
      </p>
      <div className="card card-wide">
        <LoadState resource={patients.resource} what="your patients" onRetry={() => void patients.reload()} />
        {patients.resource.status === 'ready' &&
          (patients.resource.data.length === 0 ? (
            <p className="empty-state">
              You have no patients yet: a registrar puts you on a care team, or a patient shares their records
              with you.
            </p>
          ) : (
            <RecordForm
              key={preselected ?? ''}
              patients={patients.resource.data}
              {...(preselected && patients.resource.data.some((p) => p.id === preselected)
                ? { patientId: preselected }
                : {})}
              initialType={isWritableType(type) ? type : undefined}
              onSaved={goToSaved}
            />
          ))}
      </div>
    </section>
  );
}
