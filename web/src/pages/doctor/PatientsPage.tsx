import { isWritableType } from '../records/record-types.js';
import { useSubRoute } from '../records/subroute.js';
import type { PageProps } from '../page-props.js';
import { DoctorDashboard } from './DoctorDashboard.js';
import { PatientNewRecord } from './PatientNewRecord.js';
import { PatientRecordPage } from './PatientRecordPage.js';
import { PatientView } from './PatientView.js';

/**
 * The doctor's home ("My patients") and everything under it, by hash route:
 * `#/patients` dashboard · `#/patients/<id>` one patient's records ·
 * `#/patients/<id>/records/<recordId>` a record · `#/patients/<id>/new[/<type>]` a new record.
 */
export function PatientsPage(props: PageProps) {
  const { segments, params } = useSubRoute();
  const [patientId, view, third] = segments;
  if (patientId === undefined) return <DoctorDashboard {...props} />;
  if (view === 'records' && third !== undefined) {
    return <PatientRecordPage key={third} patientId={patientId} recordId={third} notice={noticeOf(params)} />;
  }
  if (view === 'new') {
    return (
      <PatientNewRecord
        key={patientId}
        patientId={patientId}
        initialType={isWritableType(third) ? third : undefined}
      />
    );
  }
  return <PatientView key={patientId} patientId={patientId} />;
}

function noticeOf(params: URLSearchParams): string | undefined {
  const saved = params.get('saved');
  const uploadError = params.get('uploadError');
  if (uploadError)
    return `The record is saved, but an image could not be uploaded: ${uploadError} Add it below.`;
  if (saved === '1') return 'Record saved.';
  return undefined;
}
