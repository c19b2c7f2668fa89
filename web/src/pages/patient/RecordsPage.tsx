import type { PageProps } from '../page-props.js';
import { PrescriptionDetail } from '../prescriptions/PrescriptionDetail.js';
import { RecordDetail } from '../records/RecordDetail.js';
import { recordOrPrescriptionHref } from '../records/record-href.js';
import { RecordsBrowser } from '../records/RecordsBrowser.js';
import { href } from '../../routes.js';
import { RecordsExport } from './RecordsExport.js';

/**
 * The patient's own records (`#/records`), grouped by type, and one record with its images
 * (`#/records/<recordId>`). For a patient the user id is the patient id.
 */
export function RecordsPage(
  props: PageProps & { readonly recordId: string | undefined; readonly prescriptionId: string | undefined },
) {
  const { recordId, prescriptionId } = props;
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{props.item.label}</h1>
      {prescriptionId !== undefined ? (
        <PrescriptionDetail
          key={prescriptionId}
          prescriptionId={prescriptionId}
          backHref={href('records')}
          backLabel="All my records"
        />
      ) : recordId === undefined ? (
        <>
          <p className="page-summary">
            Your records are stored encrypted. Each time someone opens one, it shows in your{' '}
            <a href={href('access-history')}>access history</a>.
          </p>
          <section className="card" aria-label="Your records">
            <RecordsBrowser
              patientId={props.user.id}
              idPrefix="my-records"
              groupHeading="h2"
              emptyText="You have no records yet."
              hrefOf={(record) =>
                recordOrPrescriptionHref(record, {
                  record: (id) => href('record', { recordId: id }),
                  prescription: (id) => href('prescription', { prescriptionId: id }),
                })
              }
            />
          </section>
          <RecordsExport patientId={props.user.id} />
        </>
      ) : (
        <RecordDetail
          key={recordId}
          recordId={recordId}
          backHref={href('records')}
          backLabel="All my records"
          canUpload={false}
        />
      )}
    </section>
  );
}
