import type { ReactNode } from 'react';
import type { Role } from '../nav.js';
import type { RouteMatch, RouteName, RouteParams } from '../routes.js';
import { ApprovalsPage } from './admin/ApprovalsPage.js';
import { AuditPage } from './admin/AuditPage.js';
import { StatisticsPage } from './admin/StatisticsPage.js';
import { UsersPage } from './admin/UsersPage.js';
import { ComingSoonPage } from './ComingSoonPage.js';
import { DoctorDashboard } from './doctor/DoctorDashboard.js';
import { EmergencyAccessPage } from './doctor/EmergencyAccessPage.js';
import { NewRecordPage } from './doctor/NewRecordPage.js';
import { PatientNewRecord } from './doctor/PatientNewRecord.js';
import { PatientRecordPage, savedNotice } from './doctor/PatientRecordPage.js';
import { PatientView } from './doctor/PatientView.js';
import { PatientPrescriptionPage } from './doctor/PatientPrescriptionPage.js';
import { PrescribePage } from './doctor/PrescribePage.js';
import { SearchPage } from './doctor/SearchPage.js';
import type { PageProps } from './page-props.js';
import { AccessHistoryPage } from './patient/AccessHistoryPage.js';
import { AccountPage } from './patient/AccountPage.js';
import { DashboardPage } from './patient/DashboardPage.js';
import { PrescriptionsPage } from './patient/PrescriptionsPage.js';
import { RecordsPage } from './patient/RecordsPage.js';
import { RecordsSummaryPage } from './patient/RecordsSummaryPage.js';
import { SharingPage } from './patient/SharingPage.js';
import { PrescriptionQueuePage } from './pharmacist/PrescriptionQueuePage.js';
import { StaffAccountPage } from './staff/StaffAccountPage.js';
import { isWritableType } from './records/record-types.js';
import { CareTeamsPage } from './registrar/CareTeamsPage.js';
import { RegisterPatientPage } from './registrar/RegisterPatientPage.js';

/** What a route's view is drawn from: the page's props and the route's own parameters. */
type RouteProps<N extends RouteName> = PageProps & { readonly params: RouteParams<N> };
type Views<R extends Role> = { readonly [N in RouteName<R>]?: (props: RouteProps<N>) => ReactNode };

/**
 * The view for each route, by role (routes.ts names them and their URLs). A route without a
 * view yet shows "Coming soon".
 */
const VIEWS: { readonly [R in Role]: Views<R> } = {
  patient: {
    dashboard: (props) => <DashboardPage {...props} isBuilt={(path) => isBuilt('patient', path)} />,
    records: (props) => <RecordsPage {...props} recordId={undefined} prescriptionId={undefined} />,
    record: (props) => <RecordsPage {...props} recordId={props.params.recordId} prescriptionId={undefined} />,
    'records-summary': (props) => <RecordsSummaryPage {...props} />,
    sharing: (props) => <SharingPage {...props} />,
    'access-history': (props) => <AccessHistoryPage {...props} />,
    prescriptions: (props) => <PrescriptionsPage {...props} />,
    prescription: (props) => (
      <RecordsPage {...props} recordId={undefined} prescriptionId={props.params.prescriptionId} />
    ),
    account: (props) => <AccountPage {...props} />,
  },
  doctor: {
    patients: (props) => <DoctorDashboard {...props} />,
    patient: ({ params }) => <PatientView patientId={params.patientId} />,
    'patient-record': ({ params }) => (
      <PatientRecordPage
        patientId={params.patientId}
        recordId={params.recordId}
        notice={savedNotice(params)}
      />
    ),
    'patient-prescription': ({ params }) => (
      <PatientPrescriptionPage patientId={params.patientId} prescriptionId={params.prescriptionId} />
    ),
    'patient-new-record': ({ params }) => (
      <PatientNewRecord patientId={params.patientId} initialType={undefined} />
    ),
    'patient-new-record-of-type': ({ params }) => (
      <PatientNewRecord
        patientId={params.patientId}
        initialType={isWritableType(params.type) ? params.type : undefined}
      />
    ),
    search: (props) => <SearchPage {...props} keyword={(props.params.keyword ?? '').trim()} />,
    'new-record': (props) => (
      <NewRecordPage {...props} patientId={props.params.patient} type={props.params.type} />
    ),
    prescribe: (props) => <PrescribePage {...props} patientId={props.params.patient} />,
    'emergency-access': () => <EmergencyAccessPage />,
    account: (props) => <StaffAccountPage {...props} />,
  },
  pharmacist: {
    'prescription-queue': (props) => <PrescriptionQueuePage {...props} />,
    account: (props) => <StaffAccountPage {...props} />,
  },
  registrar: {
    'register-patient': (props) => <RegisterPatientPage {...props} />,
    'care-teams': (props) => <CareTeamsPage {...props} />,
    approvals: (props) => <ApprovalsPage {...props} />,
    account: (props) => <StaffAccountPage {...props} />,
  },
  admin: {
    users: (props) => <UsersPage {...props} />,
    approvals: (props) => <ApprovalsPage {...props} />,
    audit: (props) => <AuditPage {...props} />,
    statistics: (props) => <StatisticsPage {...props} />,
    account: (props) => <StaffAccountPage {...props} />,
  },
};

function viewOf(role: Role, name: RouteName): ((props: RouteProps<RouteName>) => ReactNode) | undefined {
  return (VIEWS[role] as Readonly<Record<string, (props: RouteProps<RouteName>) => ReactNode>>)[name];
}

function isBuilt(role: Role, name: string): boolean {
  return viewOf(role, name as RouteName) !== undefined;
}

/**
 * The view for the current route, or its placeholder. Keyed by the route and its path
 * parameters, so another patient or record is a fresh view (focus, form state) while a new
 * query (another search keyword) is not.
 */
export function RoutedPage(props: PageProps & { readonly route: RouteMatch }) {
  const { route, ...page } = props;
  const View = viewOf(page.user.role, route.name);
  if (!View) return <ComingSoonPage item={page.item} />;
  return <View key={route.identity} {...page} params={route.params as RouteParams<RouteName>} />;
}
