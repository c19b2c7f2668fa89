/**
 * Issue 20, point 2, in Chromium on the demo hospital: every staff page about one patient has a
 * banner saying who the patient is (name, age and date of birth, allergies) and how the viewer
 * reached the chart (care team, the patient's grant, break-glass), as the server's access scope
 * decided it. axe-core checks the pages with the banner.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PATIENTS, seedDemoHospital, type DemoHospital } from '../../src/synthetic/demo-hospital.js';
import { scopeOf } from '../support/scopes.js';
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

  it('break-glass: the banner says it is emergency access', async () => {
    const anjali = hospital.staff.find((s) => s.username === 'anjali@doctor.kmc.edu')!;
    const harsh = idOf(HARSH.fullName);
    await h.server.app.sharing.breakGlass.open(
      scopeOf({ userId: anjali.userId, role: 'doctor' }),
      harsh,
      'Collapsed in the waiting room, no history available.',
    );
    await signInAs('anjali@doctor.kmc.edu');
    await openPage(h, `patients/${encodeURIComponent(harsh)}`, HARSH.fullName);
    const text = await bannerText();
    expect(text).toContain('Emergency access (break-glass)');
    expect(text).toContain('Penicillin (moderate)');
  });
});
