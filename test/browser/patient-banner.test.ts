/**
 * Issue 20, point 2, in Chromium on the demo hospital: every staff page about one patient has a
 * banner saying who the patient is (name, age and date of birth, allergies) and how the viewer
 * reached the chart (care team, the patient's grant, break-glass), as the server's access scope
 * decided it, and the medical record number (issue 20, point 1). Finding a patient: a registrar
 * by name, a doctor breaking the glass by MRN. axe-core checks the pages.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PATIENTS, seedDemoHospital, type DemoHospital } from '../../src/synthetic/demo-hospital.js';
import { formatMrn } from '../../src/contract/vocabulary/mrn.js';
import { browserTestsEnabled } from './chromium.js';
import { axeViolations } from './page-checks.js';
import { usePageHarness } from './page-harness.js';
import { openPage, signInStaff } from './sign-in.js';

const HARSH = DEMO_PATIENTS[0]!;
const MEERA = DEMO_PATIENTS.find((p) => p.fullName === 'Meera Iyer')!;

describe.skipIf(!browserTestsEnabled())('the patient banner (issue 20, point 2)', () => {
  const h = usePageHarness();
  let hospital: DemoHospital;
  const idOf = (name: string) => hospital.patients.find((p) => p.fullName === name)!.patientId;

  beforeAll(async () => {
    const seeded = await seedDemoHospital(h.server.app, { dataDir: h.server.dataDir });
    if (!seeded) throw new Error('demo hospital not seeded');
    hospital = seeded;
  });

  const signInAs = (username: string) => {
    const s = hospital.staff.find((x) => x.username === username);
    if (!s) throw new Error(`no ${username}`);
    return signInStaff(h, s.username, s.password, s.keyFile);
  };
  const banner = () => h.page.getByRole('region', { name: 'Patient', exact: true });
  const bannerText = async (): Promise<string> => {
    await banner().waitFor();
    return (await banner().textContent()) ?? '';
  };
  const mrnOf = async (patientId: string): Promise<string> =>
    (
      await h.server.app.store.db
        .selectFrom('patients')
        .select('mrn')
        .where('id', '=', patientId)
        .executeTakeFirstOrThrow()
    ).mrn;
  const age = (dob: string): number => {
    const now = new Date();
    const [y, m, d] = dob.split('-').map(Number) as [number, number, number];
    return (
      now.getFullYear() -
      y -
      (now.getMonth() + 1 < m || (now.getMonth() + 1 === m && now.getDate() < d) ? 1 : 0)
    );
  };

  it('care team: name, age, date of birth, allergies — on the patient page and a record of theirs', async () => {
    await signInAs('omkar@doctor.kmc.edu');
    const harsh = idOf(HARSH.fullName);
    await openPage(h, `patients/${encodeURIComponent(harsh)}`, HARSH.fullName);
    const text = await bannerText();
    expect(text).toContain(HARSH.fullName);
    expect(text).toContain(`${age(HARSH.dateOfBirth)} years, born ${HARSH.dateOfBirth}`);
    expect(text).toContain('Penicillin (moderate)');
    expect(text).toContain('Your accessCare team');
    expect(text).toContain(`MRN ${formatMrn(await mrnOf(harsh))}`);
    expect(await axeViolations(h.page)).toEqual([]);
    // A record of Harsh's, and the new-record form: the same banner.
    await h.page
      .locator(`main a[href^="#/patients/${encodeURIComponent(harsh)}/records/"]`)
      .first()
      .click();
    expect(await bannerText()).toContain('Penicillin (moderate)');
    await openPage(h, `patients/${encodeURIComponent(harsh)}/new`, /.+/);
    expect(await bannerText()).toContain(HARSH.fullName);
  });

  it("a grant: says so, with its scope and types; allergies it does not cover are 'not shared'", async () => {
    await signInAs('anjali@doctor.kmc.edu');
    await openPage(h, `patients/${encodeURIComponent(idOf(MEERA.fullName))}`, MEERA.fullName);
    const text = await bannerText();
    expect(text).toMatch(/Shared with you by the patient \(read only; .*Lab result/i);
    expect(text).toContain('Allergy records are not shared with you');
    expect(await axeViolations(h.page)).toEqual([]);
  });

  it('a registrar finds a patient by part of the name and opens their care team', async () => {
    await signInAs('priya@registrar.kmc.edu');
    await openPage(h, 'care-teams', /.+/);
    await h.page.getByLabel('Find a patient').fill('kulk');
    await h.page.getByRole('button', { name: 'Find', exact: true }).click();
    await h.page.getByRole('columnheader', { name: 'MRN' }).waitFor();
    const row = h.page.getByRole('row').filter({ hasText: HARSH.fullName });
    await row.waitFor();
    expect(await row.textContent()).toContain(formatMrn(await mrnOf(idOf(HARSH.fullName))));
    expect(await h.page.getByRole('row').count()).toBe(2); // the header and Harsh only
    await h.page.getByRole('radio', { name: HARSH.fullName }).check();
    await h.page.getByRole('heading', { name: `Care team of ${HARSH.fullName}` }).waitFor();
    expect(await axeViolations(h.page)).toEqual([]);
    // By date of birth too; "Show all patients" brings the whole list back.
    await h.page.getByLabel('Find a patient').fill(MEERA.dateOfBirth);
    await h.page.getByRole('button', { name: 'Find', exact: true }).click();
    await h.page.getByRole('row').filter({ hasText: MEERA.fullName }).waitFor();
    await h.page.getByRole('button', { name: 'Show all patients' }).click();
    // The whole list's first page (the demo's outpatient cohort included) replaces the finds.
    await expect.poll(() => h.page.getByRole('row').count()).toBeGreaterThan(3);
  });

  it('break-glass: a doctor looks the patient up by MRN, opens the chart, and the banner says emergency access', async () => {
    const harsh = idOf(HARSH.fullName);
    const mrn = await mrnOf(harsh);
    await signInAs('anjali@doctor.kmc.edu');
    await openPage(h, 'emergency-access', 'Emergency access');
    await h.page.getByLabel('Medical record number (MRN)').fill(mrn);
    await h.page.getByRole('button', { name: 'Look up' }).click();
    await h.page
      .getByRole('radio', { name: `${HARSH.fullName}, born ${HARSH.dateOfBirth}, MRN ${formatMrn(mrn)}` })
      .waitFor();
    expect(await axeViolations(h.page)).toEqual([]);
    await h.page.getByLabel('Reason').fill('Collapsed in the waiting room, no history available.');
    await h.page.getByRole('button', { name: 'Open emergency access' }).click();
    await h.page.getByRole('heading', { level: 1, name: HARSH.fullName }).waitFor();
    const text = await bannerText();
    expect(text).toContain('Emergency access (break-glass)');
    expect(text).toContain('Penicillin (moderate)');
    expect(text).toContain(`MRN ${formatMrn(mrn)}`);
    // The look-up is in the ledger with its count.
    const entries = await h.server.app.store.db
      .selectFrom('ledger_entries')
      .select('details')
      .where('action', '=', 'break_glass.lookup')
      .execute();
    expect(entries.map((e) => JSON.parse(e.details))).toContainEqual({ by: 'mrn', results: 1, more: false });
  });
});
