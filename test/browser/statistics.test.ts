/**
 * The admin's "Statistics" page against a real server: the budget, the cohort picker, noisy
 * answers as bars with 95% error bars, the budget going down with each query, and the client
 * refusing an epsilon the budget no longer covers. Vitals are written through the server's own
 * vitals sink (as the records service does for a vitals record).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { seedVitals } from '../analytics/live-vitals.js';
import { addStaffWithCli, type StaffCredentials } from './api-fixtures.js';
import { browserTestsEnabled } from './chromium.js';
import { usePageHarness } from './page-harness.js';
import { keyFile, openPage, screenshot, signInStaff } from './sign-in.js';

describe.skipIf(!browserTestsEnabled())('admin: statistics page, against the real API', () => {
  const h = usePageHarness();
  let admin: StaffCredentials;

  beforeAll(async () => {
    admin = await addStaffWithCli(h.server, 'admin', 'stats.admin');
    await seedVitals(h.server.app, admin.id, [
      { dateOfBirth: '1950-01-01', smokingStatus: 'current', vitals: { heartRate: 88 } },
      { dateOfBirth: '1962-06-15', smokingStatus: 'current', vitals: { heartRate: 92 } },
      { dateOfBirth: '1975-03-03', smokingStatus: 'never', vitals: { heartRate: 64 } },
      { dateOfBirth: '1990-09-09', smokingStatus: 'never', vitals: { heartRate: 70 } },
    ]);
  }, 120_000);

  it('runs queries for two cohorts, charts them with error bars and spends the budget', async () => {
    await signInStaff(h, admin.username, admin.password, keyFile(admin.privateKeyPem));
    await openPage(h, 'statistics', 'Statistics');
    const budget = h.page.getByRole('region', { name: 'Privacy budget' });
    await budget.getByText('epsilon left').waitFor();
    expect(await budget.textContent()).toContain('5 of 5 epsilon left');

    const form = h.page.getByRole('form', { name: 'New query' });
    await form.getByLabel('Measurement').selectOption('heartRate');
    await form.getByLabel('Statistic').selectOption('sum');
    await form.getByLabel('Cohort').selectOption('smoking');
    await form.getByLabel('Smoking status').selectOption('current');
    await form.getByLabel('Epsilon (privacy loss)').fill('1');
    await form.getByRole('button', { name: 'Run query' }).click();
    const results = h.page.getByRole('region', { name: 'Results' });
    await results.getByRole('cell', { name: /Sum of heart rate, smoking status current/ }).waitFor();
    await budget.getByText('4 of 5 epsilon left').waitFor();
    // Two patients: the sum's noise (scale 250 bpm) swamps it, and the page says so.
    const warning = results.getByRole('status').filter({ hasText: 'too small for a useful answer' });
    await warning.waitFor();
    expect(await warning.textContent()).toMatch(/typically moves this answer by 250 bpm/);
    expect(await results.getByRole('row').nth(1).textContent()).toMatch(
      /too noisy: typically off by 250 bpm/,
    );

    await form.getByLabel('Cohort').selectOption('age_band');
    await form.getByLabel('Aged from').fill('30');
    await form.getByLabel('to (inclusive)').fill('60');
    await form.getByRole('button', { name: 'Run query' }).click();
    await results.getByRole('cell', { name: /Sum of heart rate, aged 30–60/ }).waitFor();
    await budget.getByText('3 of 5 epsilon left').waitFor();
    // The budget is the hospital's: when it resets, and who spent what this window.
    expect(await budget.textContent()).toMatch(
      /All admins share one budget: 2 spent since .* It resets to 5 on /,
    );
    const spentBy = budget.getByRole('table', { name: 'Spent this window, by admin' });
    expect(await spentBy.getByRole('row').filter({ hasText: admin.username }).textContent()).toContain('2');

    const chart = results.getByRole('img');
    expect(await chart.getAttribute('aria-label')).toMatch(/smoking status current: .*95%.*aged 30–60/);
    expect(await results.locator('.stats-bar').count()).toBe(2);
    expect(await results.locator('.stats-error-bar').count()).toBe(2);
    // Each row states its noise: the sum's scale is 250 bpm / ε 1.
    const row = results.getByRole('row').filter({ hasText: 'aged 30–60' });
    expect(await row.textContent()).toMatch(/sum 250/);
    await screenshot(h, 'admin-statistics');
    expect(h.apiCalls.filter((c) => c === 'POST /api/v1/analytics/query')).toHaveLength(2);
  });

  it('refuses, before asking the server, an epsilon above what is left; shows a 429 from the server', async () => {
    await signInStaff(h, admin.username, admin.password, keyFile(admin.privateKeyPem));
    await openPage(h, 'statistics', 'Statistics');
    const form = h.page.getByRole('form', { name: 'New query' });
    await h.page.getByRole('region', { name: 'Privacy budget' }).getByText('3 of 5 epsilon left').waitFor();
    await form.getByLabel('Epsilon (privacy loss)').fill('2');
    await form.getByRole('button', { name: 'Run query' }).click();
    await h.page
      .getByRole('region', { name: 'Privacy budget' })
      .getByText('1 of 5 epsilon left for the hospital this window', { exact: true })
      .waitFor();
    await form.getByLabel('Epsilon (privacy loss)').fill('1.5');
    await form.getByRole('button', { name: 'Run query' }).click();
    await form.getByText('Only 1 epsilon is left for you this window.').waitFor();
    expect(h.apiCalls.filter((c) => c === 'POST /api/v1/analytics/query')).toHaveLength(1);

    await h.mockRoute('/analytics/query', () => ({
      status: 429,
      body: {
        error: { code: 'privacy_budget_exhausted', message: 'Your privacy budget has less epsilon left.' },
      },
    }));
    await form.getByLabel('Epsilon (privacy loss)').fill('1');
    await form.getByRole('button', { name: 'Run query' }).click();
    await h.page.getByRole('alert').getByText('Your privacy budget has less epsilon left.').waitFor();
  });
});
