import type { ComponentType } from 'react';
import type { Role } from '../nav.js';
import { AuditPage } from './admin/AuditPage.js';
import { StatisticsPage } from './admin/StatisticsPage.js';
import { UsersPage } from './admin/UsersPage.js';
import { ComingSoonPage } from './ComingSoonPage.js';
import { EmergencyAccessPage } from './doctor/EmergencyAccessPage.js';
import { NewRecordPage } from './doctor/NewRecordPage.js';
import { PrescribePage } from './doctor/PrescribePage.js';
import { PatientsPage } from './doctor/PatientsPage.js';
import { SearchPage } from './doctor/SearchPage.js';
import type { PageProps } from './page-props.js';
import { AccessHistoryPage } from './patient/AccessHistoryPage.js';
import { DashboardPage } from './patient/DashboardPage.js';
import { RecordsPage } from './patient/RecordsPage.js';
import { PrescriptionsPage } from './patient/PrescriptionsPage.js';
import { SharingPage } from './patient/SharingPage.js';
import { PrescriptionQueuePage } from './pharmacist/PrescriptionQueuePage.js';
import { CareTeamsPage } from './registrar/CareTeamsPage.js';
import { RegisterPatientPage } from './registrar/RegisterPatientPage.js';

/** The pages built so far, by role and route; every other nav item shows "Coming soon". */
const PAGES: Readonly<Partial<Record<Role, Readonly<Record<string, ComponentType<PageProps>>>>>> = {
  patient: {
    dashboard: (props) => <DashboardPage {...props} isBuilt={(path) => isBuilt('patient', path)} />,
    sharing: SharingPage,
    records: RecordsPage,
    'access-history': AccessHistoryPage,
    prescriptions: PrescriptionsPage,
  },
  doctor: {
    patients: PatientsPage,
    search: SearchPage,
    'new-record': NewRecordPage,
    prescribe: PrescribePage,
    'emergency-access': EmergencyAccessPage,
  },
  pharmacist: { 'prescription-queue': PrescriptionQueuePage },
  registrar: { 'register-patient': RegisterPatientPage, 'care-teams': CareTeamsPage },
  admin: { users: UsersPage, audit: AuditPage, statistics: StatisticsPage },
};

function isBuilt(role: Role, path: string): boolean {
  return PAGES[role]?.[path] !== undefined;
}

/** The page for the current route, or its placeholder. */
export function RoutedPage(props: PageProps) {
  const Page = PAGES[props.user.role]?.[props.item.path];
  return Page ? <Page {...props} /> : <ComingSoonPage item={props.item} />;
}
