import { useCallback, useState } from 'react';
import { listGrants, revokeGrant, type Grant, type GrantScope } from '../../api/grants.js';
import type { Doctor } from '../../api/patients.js';
import { FormAlert } from '../../components/FormAlert.js';
import { LoadState } from '../../components/LoadState.js';
import { doctorsQuery } from '../../data/queries.js';
import { useQuery, useResource } from '../../data/useQuery.js';
import { useAction } from '../../forms/useAction.js';
import type { PageProps } from '../page-props.js';
import { GrantForm } from './GrantForm.js';
import { GrantList } from './GrantList.js';

/**
 * The patient's sharing page: which doctors may read their records (beyond their care team) —
 * or read and write them, when the patient chose so — a form to grant access, and a button to
 * revoke it with immediate effect. For a patient the
 * user id is the patient id.
 */
export function SharingPage(props: PageProps) {
  const patientId = props.user.id;
  const loadGrants = useCallback(() => listGrants(patientId), [patientId]);
  const grants = useResource(loadGrants);
  const doctors = useQuery(doctorsQuery);
  const [notice, setNotice] = useState<string>();
  // The grant being revoked, whose button is at work.
  const revocation = useAction<string>();

  const doctorList: readonly Doctor[] = doctors.resource.status === 'ready' ? doctors.resource.data : [];
  const nameOf = (grant: Grant): string =>
    doctorList.find((doctor) => doctor.id === grant.doctorId)?.displayName ??
    grant.doctorName ??
    `Doctor ${grant.doctorId}`;

  function revoke(grant: Grant): void {
    setNotice(undefined);
    void revocation.run(grant.id, async () => {
      await revokeGrant(patientId, grant.id);
      setNotice(`${nameOf(grant)} can no longer read your records.`);
      await grants.reload();
    });
  }

  async function granted(doctorName: string, scope: GrantScope): Promise<void> {
    revocation.clearError();
    setNotice(
      scope === 'read_write'
        ? `${doctorName} can now read and write the records you chose.`
        : `${doctorName} can now read the records you chose.`,
    );
    await grants.reload();
  }

  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{props.item.label}</h1>
      <p className="page-summary">
        Doctors on your care team can read your records. Here you can let another doctor read them too (or
        read and write them), and take that access back at any time.
      </p>
      <div className="page-columns page-columns-main">
        <section className="card" aria-labelledby="grants-title">
          <h2 id="grants-title">Doctors you share with</h2>
          <p className="notice-region" role="status" aria-live="polite">
            {notice}
          </p>
          <FormAlert title="Could not revoke access." message={revocation.error} />
          <LoadState
            resource={grants.resource}
            what="your sharing grants"
            onRetry={() => void grants.reload()}
          />
          {grants.resource.status === 'ready' && (
            <GrantList
              grants={grants.resource.data}
              nameOf={nameOf}
              revoking={revocation.running}
              onRevoke={revoke}
            />
          )}
        </section>
        <section className="card" aria-labelledby="grant-form-title">
          <h2 id="grant-form-title">Share with a doctor</h2>
          <LoadState
            resource={doctors.resource}
            what="the list of doctors"
            onRetry={() => void doctors.reload()}
          />
          {doctors.resource.status === 'ready' && (
            <GrantForm patientId={patientId} doctors={doctors.resource.data} onGranted={granted} />
          )}
        </section>
      </div>
    </section>
  );
}
