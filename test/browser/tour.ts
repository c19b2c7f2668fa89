/**
 * A walk through every page of every role of the demo hospital, shared by the browser test that
 * checks each page (axe-core, tables at 1280 and 390 px) and by `npm run screenshots`, which
 * photographs the same pages for review. Only playwright-core and the demo hospital's published
 * credentials: no vitest here, so the script can use it too.
 */
import type { Page } from 'playwright-core';
import { DEMO_PATIENTS, type DemoHospital } from '../../src/synthetic/demo-hospital.js';

/** One page of the walk: how to reach it from a signed-in page. */
export interface TourStop {
  readonly name: string;
  readonly open: (page: Page, baseUrl: string) => Promise<void>;
}

/** A role's walk: how to sign in, then its pages in order. */
export interface RoleTour {
  readonly role: string;
  /** Signs in from a fresh page; undefined for the anonymous pages. */
  readonly signIn?: (page: Page, baseUrl: string) => Promise<void>;
  readonly stops: readonly TourStop[];
}

/** Waits until nothing on the page says it is loading. */
export async function settle(page: Page): Promise<void> {
  await page.waitForFunction(
    () =>
      ![...document.querySelectorAll('[role="status"], [aria-busy="true"]')].some(
        (el) =>
          el.getAttribute('aria-busy') === 'true' ||
          /^(Loading|Checking|Searching)/.test(el.textContent?.trim() ?? ''),
      ),
  );
  await page.waitForTimeout(150);
}

/** Opens `#/<route>` and waits for its heading and its data. */
async function goTo(page: Page, baseUrl: string, route: string): Promise<void> {
  await page.goto(`${baseUrl}/#/${route}`);
  await page.locator('main h1').first().waitFor();
  await settle(page);
}

const route = (name: string, path: string): TourStop => ({
  name,
  open: (page, baseUrl) => goTo(page, baseUrl, path),
});

/** Opens the first link of a list on the current page (a record, a patient). */
function clickFirst(name: string, from: string, selector: string): TourStop {
  return {
    name,
    open: async (page, baseUrl) => {
      await goTo(page, baseUrl, from);
      await page.locator(selector).first().click();
      await page.locator('main h1').first().waitFor();
      await settle(page);
    },
  };
}

function signInStaffAs(hospital: DemoHospital, username: string) {
  return async (page: Page, baseUrl: string): Promise<void> => {
    const staff = hospital.staff.find((s) => s.username === username);
    if (!staff) throw new Error(`no demo staff ${username}`);
    await page.goto(baseUrl);
    await page.getByRole('tab', { name: 'Staff' }).click();
    const panel = page.getByRole('tabpanel', { name: 'Staff' });
    await panel.getByLabel('Username').fill(staff.username);
    await panel.getByLabel('Password').fill(staff.password);
    await panel.getByLabel('Private key file').setInputFiles(staff.keyFile);
    await panel.getByRole('button', { name: 'Sign in with key' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
  };
}

async function signInHarsh(page: Page, baseUrl: string): Promise<void> {
  const harsh = DEMO_PATIENTS[0];
  if (!harsh) throw new Error('no demo patient');
  await page.goto(baseUrl);
  const panel = page.getByRole('tabpanel', { name: 'Patient' });
  await panel.getByLabel('Social Security number').fill(harsh.ssn);
  await panel.getByLabel('PIN', { exact: true }).fill(harsh.pin);
  await panel.getByLabel('Password', { exact: true }).fill(harsh.password);
  await panel.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** Every page of every role of the demo hospital (seeded by `seedDemoHospital`). */
export function demoTour(hospital: DemoHospital): readonly RoleTour[] {
  const harsh = hospital.patients[0]?.patientId ?? '';
  const patientLink = `main a[href^="#/patients/${encodeURIComponent(harsh)}/records/"]`;
  return [
    {
      role: 'anonymous',
      stops: [
        {
          name: 'login-patient',
          open: async (page, baseUrl) => {
            await page.goto(baseUrl);
            await page.getByRole('heading', { name: 'Sign in to MedVault' }).waitFor();
          },
        },
        {
          name: 'login-staff',
          open: async (page, baseUrl) => {
            await page.goto(baseUrl);
            await page.getByRole('tab', { name: 'Staff' }).click();
          },
        },
        {
          name: 'accept-invite',
          open: async (page, baseUrl) => {
            await page.goto(baseUrl);
            await page.getByRole('tab', { name: 'Staff' }).click();
            await page
              .getByRole('tabpanel', { name: 'Staff' })
              .getByRole('button', { name: 'Have an invite code?' })
              .click();
          },
        },
        {
          name: 'forgot-pin',
          open: async (page, baseUrl) => {
            await page.goto(baseUrl);
            await page
              .getByRole('tabpanel', { name: 'Patient' })
              .getByRole('button', { name: 'Forgot PIN?' })
              .click();
          },
        },
      ],
    },
    {
      role: 'patient',
      signIn: signInHarsh,
      stops: [
        route('dashboard', 'dashboard'),
        route('records', 'records'),
        clickFirst('record', 'records', 'main a[href^="#/records/"]'),
        clickFirst('prescription', 'records', 'main a[href^="#/prescriptions/"]'),
        route('sharing', 'sharing'),
        route('access-history', 'access-history'),
        route('prescriptions', 'prescriptions'),
        route('account', 'account'),
      ],
    },
    {
      role: 'doctor',
      signIn: signInStaffAs(hospital, 'omkar@doctor.kmc.edu'),
      stops: [
        route('patients', 'patients'),
        route('patient', `patients/${encodeURIComponent(harsh)}`),
        clickFirst('patient-record', `patients/${encodeURIComponent(harsh)}`, patientLink),
        clickFirst(
          'patient-prescription',
          `patients/${encodeURIComponent(harsh)}`,
          `main a[href^="#/patients/${encodeURIComponent(harsh)}/prescriptions/"]`,
        ),
        route('patient-new-record', `patients/${encodeURIComponent(harsh)}/new`),
        route('patient-new-vitals', `patients/${encodeURIComponent(harsh)}/new/vitals`),
        route('patient-new-lab-result', `patients/${encodeURIComponent(harsh)}/new/lab_result`),
        route('search', 'search?keyword=asthma'),
        route('new-record', 'new-record'),
        route('prescribe', 'prescribe'),
        route('prescribe-for-harsh', `prescribe?patient=${encodeURIComponent(harsh)}`),
        route('emergency-access', 'emergency-access'),
      ],
    },
    {
      role: 'pharmacist',
      signIn: signInStaffAs(hospital, 'sushmita@pharmacist.kmc.edu'),
      stops: [
        route('prescription-queue', 'prescription-queue'),
        {
          name: 'prescription-open',
          open: async (page, baseUrl) => {
            await goTo(page, baseUrl, 'prescription-queue');
            await page
              .getByRole('button', { name: /^Open prescription/ })
              .first()
              .click();
            await settle(page);
          },
        },
      ],
    },
    {
      role: 'registrar',
      signIn: signInStaffAs(hospital, 'priya@registrar.kmc.edu'),
      stops: [
        route('register-patient', 'register-patient'),
        route('care-teams', 'care-teams'),
        route('approvals', 'approvals'),
      ],
    },
    {
      role: 'admin',
      signIn: signInStaffAs(hospital, 'mihir@admin.kmc.edu'),
      stops: [
        route('users', 'users'),
        route('approvals', 'approvals'),
        route('audit', 'audit'),
        route('statistics', 'statistics'),
        route('account', 'account'),
      ],
    },
  ];
}
