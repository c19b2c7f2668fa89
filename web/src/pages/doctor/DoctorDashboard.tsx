import type { ReachablePatient } from '../../api/reachable-patients.js';
import { listRecentRecords } from '../../api/records.js';
import { LoadState } from '../../components/LoadState.js';
import { reachablePatientsQuery } from '../../data/queries.js';
import { useQuery, useResource } from '../../data/useQuery.js';
import type { PageProps } from '../page-props.js';
import { RecordList } from '../records/RecordList.js';
import { href } from '../../routes.js';
import { SearchBox } from './SearchBox.js';

const GROUPS: readonly {
  readonly relation: ReachablePatient['relation'];
  readonly title: string;
  readonly empty: string;
}[] = [
  {
    relation: 'care_team',
    title: 'In your care',
    empty: 'No patient is in your care yet. Registrars assign care teams.',
  },
  { relation: 'grant', title: 'Shared with you', empty: 'No patient has shared their records with you.' },
  { relation: 'break_glass', title: 'Emergency access (break-glass)', empty: '' },
];

/**
 * The doctor's home: search, the patients they can reach (in their care, shared with them,
 * emergency access), and the records they wrote last.
 */
export function DoctorDashboard(props: PageProps) {
  // The doctor's home asks again on arrival: patients may have shared with them meanwhile.
  const patients = useQuery(reachablePatientsQuery, { refreshOnMount: true });
  const recent = useResource(listRecentRecords);
  const names = new Map(
    patients.resource.status === 'ready' ? patients.resource.data.map((p) => [p.id, p.fullName]) : [],
  );
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">{props.item.label}</h1>
      <p className="page-summary">{props.item.summary}</p>
      <div className="stack">
        <section className="card" aria-labelledby="search-title">
          <h2 id="search-title">Search records</h2>
          <SearchBox initial="" idPrefix="dashboard-search" />
        </section>
        <div className="page-columns page-columns-main">
          <section className="card" aria-labelledby="recent-title">
            <h2 id="recent-title">Records you wrote recently</h2>
            <LoadState
              resource={recent.resource}
              what="your recent records"
              onRetry={() => void recent.reload()}
            />
            {recent.resource.status === 'ready' &&
              (recent.resource.data.length === 0 ? (
                <p className="empty-state">You have not written any records yet.</p>
              ) : (
                <RecordList
                  records={recent.resource.data}
                  grouped={false}
                  showAuthor={false}
                  hrefOf={(record) =>
                    href('patient-record', { patientId: record.patientId, recordId: record.id })
                  }
                  patientNameOf={(record) => names.get(record.patientId) ?? 'Patient'}
                />
              ))}
          </section>
          <section className="card" aria-labelledby="patients-title">
            <h2 id="patients-title">Patients</h2>
            <LoadState
              resource={patients.resource}
              what="your patients"
              onRetry={() => void patients.reload()}
            />
            {patients.resource.status === 'ready' &&
              GROUPS.map((group) => {
                const members =
                  patients.resource.status === 'ready'
                    ? patients.resource.data.filter((p) => p.relation === group.relation)
                    : [];
                if (members.length === 0 && group.empty === '') return null;
                const headingId = `patients-${group.relation}`;
                return (
                  <section key={group.relation} aria-labelledby={headingId} className="patient-group">
                    <h3 id={headingId} className="subheading">
                      {group.title}
                    </h3>
                    {members.length === 0 ? (
                      <p className="muted">{group.empty}</p>
                    ) : (
                      <ul className="member-list" aria-labelledby={headingId}>
                        {members.map((patient) => (
                          <li key={patient.id}>
                            <a href={href('patient', { patientId: patient.id })}>{patient.fullName}</a>
                            <span className="cell-mono muted">{patient.maskedSsn}</span>
                          </li>
                        ))}
                      </ul>
                    )}
                  </section>
                );
              })}
          </section>
        </div>
      </div>
    </section>
  );
}
