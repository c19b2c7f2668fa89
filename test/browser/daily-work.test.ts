/**
 * Issue 20, the web's share, in Chromium on the demo hospital: two tabs never act as the wrong
 * person (6); queue and prescription tables show every column at 1280 and 390 px (7); typed work
 * is never lost without a question and never kept in browser storage, and fields count against
 * the contract's limits (8); messages are sentences for people (9); the statistics page gives a
 * useful mean heart rate at ε = 0.5 on the demo's outpatient cohort and warns only for a cohort
 * too small (11); each page has its own title and gets focus, and a failed submit focuses the
 * first bad field (12).
 */
import type { Dialog, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { RECORD_TEXT_LIMITS } from '../../src/contract/vocabulary/record-fields.js';
import { DEMO_PATIENTS, seedDemoHospital, type DemoHospital } from '../../src/synthetic/demo-hospital.js';
import { browserTestsEnabled } from './chromium.js';
import { usePageHarness, type PageHarness } from './page-harness.js';
import { openPage, signInPatient, signInStaff } from './sign-in.js';

const HARSH = DEMO_PATIENTS[0]!;

describe.skipIf(!browserTestsEnabled())('daily work in the browser (issue 20)', () => {
  const h = usePageHarness();
  let hospital: DemoHospital;
  let harshId: string;

  beforeAll(async () => {
    const seeded = await seedDemoHospital(h.server.app, { dataDir: h.server.dataDir });
    if (!seeded) throw new Error('demo hospital not seeded');
    hospital = seeded;
    harshId = hospital.patients[0]!.patientId;
  });

  const staff = (username: string) => {
    const s = hospital.staff.find((x) => x.username === username);
    if (!s) throw new Error(`no ${username}`);
    return s;
  };
  const signInAs = (username: string, harness: PageHarness = h) => {
    const s = staff(username);
    return signInStaff(harness, s.username, s.password, s.keyFile);
  };
  /** The patient signs in on another page (tab) of the same browser context. */
  const signInPatientIn = async (tab: Page): Promise<void> => {
    await tab.goto(h.server.url);
    // The tab opens signed in as whoever the cookie says: log out first, as a person would.
    await tab.getByRole('button', { name: 'Logout' }).click();
    const panel = tab.getByRole('tabpanel', { name: 'Patient' });
    await panel.getByLabel('Social Security number').fill(HARSH.ssn);
    await panel.getByLabel('PIN', { exact: true }).fill(HARSH.pin);
    await panel.getByLabel('Password', { exact: true }).fill(HARSH.password);
    await panel.getByRole('button', { name: 'Sign in', exact: true }).click();
    await tab.getByRole('navigation', { name: 'Main' }).waitFor();
  };
  const mrnOf = async (patientId: string): Promise<string> =>
    (
      await h.server.app.store.db
        .selectFrom('patients')
        .select('mrn')
        .where('id', '=', patientId)
        .executeTakeFirstOrThrow()
    ).mrn;
  const writes = (page: Page): string[] => {
    const seen: string[] = [];
    page.on('request', (r) => {
      if (r.method() !== 'GET' && new URL(r.url()).pathname.startsWith('/api/'))
        seen.push(new URL(r.url()).pathname);
    });
    return seen;
  };

  describe('6. two tabs, one person', () => {
    it('a tab follows a sign-in made in another tab, without a reload', async () => {
      await signInAs('omkar@doctor.kmc.edu');
      expect(await h.navLabels()).toContain('Emergency access');
      const tab2 = await h.page.context().newPage();
      await signInPatientIn(tab2);
      // Tab 1 heard the new user id and asked the server: it now shows the patient.
      await expect.poll(() => h.navLabels()).toContain('My records');
      expect(await h.navLabels()).not.toContain('Emergency access');
      await h.page.getByText('this tab now shows who is signed in').waitFor();
      await tab2.close();
    });

    it('a tab that missed the news checks who is signed in before it sends anything', async () => {
      await signInAs('omkar@doctor.kmc.edu');
      const sent = writes(h.page);
      // A second tab without BroadcastChannel: it signs in as the patient and tells no one.
      const tab2 = await h.page.context().newPage();
      await tab2.addInitScript('delete window.BroadcastChannel;');
      await signInPatientIn(tab2);
      await tab2.close();

      await openPage(h, 'emergency-access', 'Emergency access');
      // The look-up is the first thing the page sends (a POST): it must not go as the patient.
      await h.page.getByLabel('Medical record number (MRN)').fill(await mrnOf(harshId));
      await h.page.getByRole('button', { name: 'Look up' }).click();
      await expect.poll(() => h.navLabels()).toContain('My records');
      expect(sent).toEqual([]); // nothing was sent as the patient
    });
  });

  describe('7. tables show everything', () => {
    const allInView = async (page: Page, selector: string): Promise<void> => {
      const width = page.viewportSize()!.width;
      const boxes = await page.locator(selector).evaluateAll((els) =>
        els.map((el) => {
          const r = el.getBoundingClientRect();
          return { left: r.left, right: r.right, width: r.width };
        }),
      );
      expect(boxes.length).toBeGreaterThan(0);
      for (const box of boxes) {
        expect(box.width).toBeGreaterThan(0);
        expect(box.left).toBeGreaterThanOrEqual(0);
        expect(box.right).toBeLessThanOrEqual(width);
      }
    };

    it("the pharmacist's Open buttons and Patient column, with and without a prescription open", async () => {
      await signInAs('sushmita@pharmacist.kmc.edu');
      await openPage(h, 'prescription-queue', 'Prescription queue');
      for (const width of [1280, 390]) {
        await h.page.setViewportSize({ width, height: 900 });
        await allInView(h.page, 'main table button');
        await allInView(h.page, 'main table tbody th');
      }
      await h.page.setViewportSize({ width: 1280, height: 900 });
      await h.page
        .getByRole('button', { name: /^Open prescription/ })
        .first()
        .click();
      await h.page.getByRole('button', { name: 'Dispense' }).waitFor();
      for (const width of [1280, 390]) {
        await h.page.setViewportSize({ width, height: 900 });
        await allInView(h.page, 'main table button');
        await allInView(h.page, 'main table tbody th');
        expect(await h.page.locator('main table tbody th').first().textContent()).toBe('Harsh Kulkarni');
      }
    });

    it("the patient's prescriptions on a phone", async () => {
      await h.page.setViewportSize({ width: 390, height: 844 });
      await signInPatient(h, HARSH);
      await openPage(h, 'prescriptions', 'Prescriptions');
      await allInView(h.page, 'main table td, main table th:not([scope="col"])');
      await allInView(h.page, 'main table button');
    });
  });

  describe('8. typed work', () => {
    const openNoteForm = async (): Promise<void> => {
      await signInAs('omkar@doctor.kmc.edu');
      await openPage(h, `patients/${encodeURIComponent(harshId)}/new/clinical_note`, /.+/);
      await h.page.getByLabel('Note', { exact: true }).waitFor();
    };

    it('leaving a changed form asks first; staying keeps what was typed', async () => {
      await openNoteForm();
      await h.page.getByLabel('Title').fill('Follow-up');
      await h.page.getByLabel('Note', { exact: true }).fill('Wheeze improved on salbutamol.');
      const dialogs: Dialog[] = [];
      h.page.on('dialog', (dialog) => {
        dialogs.push(dialog);
        void dialog.dismiss();
      });
      await h.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Search' }).click();
      await expect.poll(() => dialogs.length).toBe(1);
      expect(dialogs[0]!.message()).toMatch(/not saved/);
      expect(h.page.url()).toContain('/new/clinical_note');
      await expect
        .poll(() => h.page.getByLabel('Note', { exact: true }).inputValue())
        .toBe('Wheeze improved on salbutamol.');

      // Reloading asks too (the browser's own question).
      void h.page.reload().catch(() => undefined);
      await expect.poll(() => dialogs.map((d) => d.type())).toContain('beforeunload');
      expect(await h.page.getByLabel('Note', { exact: true }).inputValue()).toBe(
        'Wheeze improved on salbutamol.',
      );

      // Nothing typed was kept in browser storage.
      const stored = await h.page.evaluate(async () => ({
        local: localStorage.length,
        session: sessionStorage.length,
        databases: (await indexedDB.databases()).length,
      }));
      expect(stored).toEqual({ local: 0, session: 0, databases: 0 });
    });

    it('a pasted note longer than the limit is kept whole, counted, and refused at the field', async () => {
      await openNoteForm();
      const sent = writes(h.page);
      const note = h.page.getByLabel('Note', { exact: true });
      const max = RECORD_TEXT_LIMITS.clinicalNote;
      await h.page.getByText(`0 of ${max.toLocaleString('en-US')} characters`).waitFor();
      await h.page.getByLabel('Title').fill('Long note');
      await note.fill('x'.repeat(60_000));
      expect((await note.inputValue()).length).toBe(60_000);
      await h.page
        .getByText(`60,000 of ${max.toLocaleString('en-US')} characters — 40,000 too many`)
        .waitFor();
      await h.page.getByRole('button', { name: 'Save record' }).click();
      await h.page.getByText(`Use at most ${max} characters.`).waitFor();
      // 12: the failed submit put focus on the field to fix.
      await expect
        .poll(() => h.page.evaluate(() => document.activeElement?.getAttribute('aria-invalid')))
        .toBe('true');
      expect(await note.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(sent).toEqual([]);
    });
  });

  describe('9. sentences for people', () => {
    it('a schema refusal is said in words beside its field, which gets focus', async () => {
      await signInAs('priya@registrar.kmc.edu');
      await openPage(h, 'register-patient', 'Register patient');
      await h.page.route(`${h.server.url}/api/v1/patients`, (route) =>
        route.request().method() === 'POST'
          ? route.fulfill({
              status: 400,
              contentType: 'application/json',
              body: JSON.stringify({
                error: {
                  code: 'invalid_input',
                  message: 'body/fullName must NOT have more than 200 characters',
                },
              }),
            })
          : route.continue(),
      );
      await h.page.getByLabel('Full name').fill('Asha Verma');
      await h.page.getByLabel('Social Security number').fill('123-45-6781');
      await h.page.getByLabel('Date of birth').fill('1980-02-03');
      await h.page.getByLabel('Smoking status').selectOption('never');
      await h.page.getByRole('button', { name: /Register/ }).click();
      await h.page.locator('#reg-name-error').getByText('Full name: use at most 200 characters.').waitFor();
      expect(await h.page.locator('main').textContent()).not.toMatch(/body\/|must NOT/);
      await expect
        .poll(() => h.page.evaluate(() => document.activeElement?.id), { timeout: 10_000 })
        .toBe('reg-name');
    });

    it('a wait is said once, in minutes', async () => {
      await h.page.route(`${h.server.url}/api/v1/auth/patient/login`, (route) =>
        route.fulfill({
          status: 429,
          contentType: 'application/json',
          headers: { 'retry-after': '60' },
          body: JSON.stringify({
            error: { code: 'rate_limited', message: 'Too many failed attempts. Try again later.' },
          }),
        }),
      );
      await h.openLoginPage();
      const panel = h.patientPanel();
      await panel.getByLabel('Social Security number').fill(HARSH.ssn);
      await panel.getByLabel('PIN', { exact: true }).fill(HARSH.pin);
      await panel.getByLabel('Password', { exact: true }).fill('wrong-password-for-sure');
      await panel.getByRole('button', { name: 'Sign in', exact: true }).click();
      await panel.getByText('Too many failed attempts. Try again in 1 minute.').waitFor();
      expect(await panel.textContent()).not.toMatch(/later\. Try again|60 s/);
    });

    it('a required date is named in words', async () => {
      await signInAs('omkar@doctor.kmc.edu');
      await openPage(h, `patients/${encodeURIComponent(harshId)}/new/vaccination`, /.+/);
      await h.page.getByLabel('Title').fill('Influenza');
      await h.page.getByLabel('Vaccine').fill('Influenza 2026');
      await h.page.getByRole('button', { name: 'Save record' }).click();
      await h.page.getByText('Enter the date given.').waitFor();
      expect(await h.page.locator('main').textContent()).not.toContain('Enter the given on.');
    });
  });

  describe('11. statistics worth reading', () => {
    it('a mean heart rate at ε 0.5 over the demo is useful and unwarned; an empty age band is warned', async () => {
      await signInAs('mihir@admin.kmc.edu');
      await openPage(h, 'statistics', 'Statistics');
      const budget = h.page.getByRole('region', { name: 'Privacy budget' });
      await budget.getByText('epsilon left').first().waitFor();
      const form = h.page.getByRole('form', { name: 'New query' });
      const results = h.page.getByRole('region', { name: 'Results' });
      const warning = results.getByRole('status').filter({ hasText: 'too small for a useful answer' });

      await form.getByLabel('Measurement').selectOption('heartRate');
      await form.getByLabel('Statistic').selectOption('mean');
      await form.getByLabel('Cohort').selectOption('all');
      await form.getByLabel('Epsilon (privacy loss)').fill('0.5');
      await form.getByRole('button', { name: 'Run query' }).click();
      const all = results.getByRole('row').filter({ hasText: 'Mean heart rate, all patients' });
      await all.waitFor();
      // The outpatient cohort's few hundred heart rates: noise of a few bpm (the four named
      // patients alone gave "20 bpm, interval 20–250").
      const precision = await all.locator('td[data-label="Precision"]').textContent();
      expect(precision).toMatch(/^useful: typically off by [\d.]+ bpm$/);
      expect(Number(/by ([\d.]+) bpm/.exec(precision ?? '')?.[1])).toBeLessThan(5);
      const mean = Number(
        /^([\d.]+) bpm$/.exec((await all.locator('td[data-label="Noisy answer"]').textContent()) ?? '')?.[1],
      );
      expect(mean).toBeGreaterThan(40);
      expect(mean).toBeLessThan(130);
      expect(await warning.count()).toBe(0);

      // The same locator finds the warning once the latest answer is too noisy: nobody is 120–130.
      await form.getByLabel('Cohort').selectOption('age_band');
      await form.getByLabel('Aged from').fill('120');
      await form.getByLabel('to (inclusive)').fill('130');
      await form.getByRole('button', { name: 'Run query' }).click();
      await results.getByRole('row').filter({ hasText: 'aged 120–130' }).waitFor();
      await warning.waitFor();
      expect(await warning.textContent()).toContain('at epsilon 0.5');
      expect(h.apiCalls.filter((c) => c === 'POST /api/v1/analytics/query')).toHaveLength(2);
    });
  });

  describe('12. where am I', () => {
    it('each page sets the title and takes focus on its heading', async () => {
      await signInAs('omkar@doctor.kmc.edu');
      const nav = h.page.getByRole('navigation', { name: 'Main' });
      for (const [link, heading] of [
        ['Search', 'Search'],
        ['Prescribe', 'Prescribe'],
        ['My patients', 'My patients'],
      ] as const) {
        await nav.getByRole('link', { name: link }).click();
        await expect.poll(() => h.page.title()).toBe(`${heading} — MedVault`);
        await expect
          .poll(() =>
            h.page.evaluate(
              () => document.activeElement?.tagName + ' ' + document.activeElement?.textContent,
            ),
          )
          .toBe(`H1 ${heading}`);
      }
      // A page whose heading waits for data follows it: the patient's name.
      await h.page.goto(`${h.server.url}/#/patients/${encodeURIComponent(harshId)}`);
      await expect.poll(() => h.page.title()).toBe('Harsh Kulkarni — MedVault');
    });

    it('the sign-in page has its own title', async () => {
      await h.openLoginPage();
      await expect.poll(() => h.page.title()).toBe('Sign in — MedVault');
    });
  });
});
