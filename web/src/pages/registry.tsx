import type { ComponentType } from 'react';
import type { Role } from '../nav.js';
import { AuditPage } from './admin/AuditPage.js';
import { UsersPage } from './admin/UsersPage.js';
import { ComingSoonPage } from './ComingSoonPage.js';
import type { PageProps } from './page-props.js';
import { DashboardPage } from './patient/DashboardPage.js';
import { SharingPage } from './patient/SharingPage.js';
import { CareTeamsPage } from './registrar/CareTeamsPage.js';
import { RegisterPatientPage } from './registrar/RegisterPatientPage.js';

/** The pages built so far, by role and route; every other nav item shows "Coming soon". */
const PAGES: Readonly<Partial<Record<Role, Readonly<Record<string, ComponentType<PageProps>>>>>> = {
  patient: {
    dashboard: (props) => <DashboardPage {...props} isBuilt={(path) => isBuilt('patient', path)} />,
    sharing: SharingPage,
  },
  registrar: { 'register-patient': RegisterPatientPage, 'care-teams': CareTeamsPage },
  admin: { users: UsersPage, audit: AuditPage },
};

function isBuilt(role: Role, path: string): boolean {
  return PAGES[role]?.[path] !== undefined;
}

/** The page for the current route, or its placeholder. */
export function RoutedPage(props: PageProps) {
  const Page = PAGES[props.user.role]?.[props.item.path];
  return Page ? <Page {...props} /> : <ComingSoonPage item={props.item} />;
}
