/**
 * The admin's "Audit ledger" page against a real server: the signed checkpoint and verifier key,
 * the entries (newest first, filtered, paged), and "Verify now" — green on an untouched ledger,
 * red naming the sequence number after the database was altered behind MedVault's back.
 */
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { addStaffWithCli, type StaffCredentials } from './api-fixtures.js';
import { browserTestsEnabled } from './chromium.js';
import { usePageHarness, type PageHarness } from './page-harness.js';
import { keyFile, openPage, screenshot, signInStaff } from './sign-in.js';

async function openAuditPage(h: PageHarness, admin: StaffCredentials): Promise<void> {
  await signInStaff(h, admin.username, admin.password, keyFile(admin.privateKeyPem));
  await openPage(h, 'audit', 'Audit ledger');
}

describe.skipIf(!browserTestsEnabled())('admin: audit ledger page, against the real API', () => {
  const h = usePageHarness();
  let admin: StaffCredentials;

  beforeAll(async () => {
    admin = await addStaffWithCli(h.server, 'admin', 'ledger.admin');
  });

  it('shows the checkpoint, the entries and pages through them with an action filter', async () => {
    await openAuditPage(h, admin);

    const checkpoint = h.page.getByRole('region', { name: 'Latest signed checkpoint' });
    await checkpoint.getByText('Tree size').waitFor();
    const note = await checkpoint.locator('pre').first().textContent();
    // C2SP tlog-checkpoint: origin, tree size, root, extension lines, blank line, signature lines.
    expect(note).toMatch(/^\S.*\n\d+\n[A-Za-z0-9+/=]+\n(?:.+\n)*\n\u2014 /);
    const size = note?.split('\n')[1] ?? '';
    expect(await checkpoint.getByText(`${size} entries`, { exact: true }).count()).toBe(1);
    expect(await checkpoint.getByText('Public verifier key').count()).toBe(1);

    const entries = h.page.getByRole('region', { name: 'Entries' });
    const table = entries.getByRole('table', { name: 'Audit ledger entries, newest first' });
    await table.waitFor();
    const login = table.getByRole('row').filter({ hasText: 'login.success' });
    expect(await login.count()).toBeGreaterThan(0);
    // In words: who did what (the admin's display name is their username here), no bare ids.
    expect(await login.first().getByRole('cell').nth(1).textContent()).toMatch(/^ledger\.admin signed in/);
    expect(await login.first().textContent()).not.toContain(admin.id);
    // Newest first.
    const seqs = (await table.locator('tbody th').allTextContents()).map(Number);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    await screenshot(h, 'admin-audit');

    // The filter asks the server for one action only.
    const asked = h.page.waitForRequest((request) => request.url().includes('action=login.success'));
    await entries.getByLabel('Action').selectOption('login.success');
    await asked;
    await h.page.waitForFunction(() => {
      const cells = [
        ...document.querySelectorAll('.audit-table tbody td[data-label="What happened"] .cell-note'),
      ];
      return cells.length > 0 && cells.every((cell) => cell.textContent === 'login.success');
    });

    await entries.getByLabel('Action').selectOption('');
    await table.waitFor();
  });

  it('narrows by person and patient on the server, and downloads what is filtered as CSV', async () => {
    const other = await addStaffWithCli(h.server, 'registrar', 'desk.registrar');
    const patientId = crypto.randomUUID();
    await h.server.app.audit.ledger.append(h.server.app.store.db, {
      actor: { userId: other.id, role: 'registrar' },
      action: 'patient.register',
      target: { type: 'patient', id: patientId },
      patientId,
      outcome: 'success',
    });
    await openAuditPage(h, admin);
    const entries = h.page.getByRole('region', { name: 'Entries' });
    const table = entries.getByRole('table', { name: 'Audit ledger entries, newest first' });
    const sentence = `desk.registrar registered patient ·${patientId.slice(0, 8)}`;
    await table.getByText(sentence).waitFor();
    expect(await table.locator('tbody tr').count()).toBeGreaterThan(1);

    // Person: only the registrar's entries, asked of the server.
    const asked = h.page.waitForRequest((r) => r.url().includes(`actorId=${other.id}`));
    await entries.getByLabel('Person').selectOption(other.id);
    await asked;
    await h.page.waitForFunction(() => document.querySelectorAll('.audit-table tbody tr').length === 1);
    expect(await table.locator('tbody tr').first().textContent()).toContain(sentence);
    await entries.getByLabel('Person').selectOption('');
    // Patient: choosing the patient's label in a row narrows to that patient.
    await table.getByRole('button', { name: `Only entries about patient ·${patientId.slice(0, 8)}` }).click();
    await h.page.waitForFunction(() => document.querySelectorAll('.audit-table tbody tr').length === 1);
    expect(await entries.getByLabel('Patient id').inputValue()).toBe(patientId);

    // The CSV of what is filtered downloads, with its header and the one entry.
    const download = h.page.waitForEvent('download');
    await entries.getByRole('link', { name: 'Download CSV' }).click();
    const file = await (await download).path();
    const csv = (await import('node:fs')).readFileSync(file, 'utf8').split('\r\n').filter(Boolean);
    expect(csv[0]).toMatch(/^"seq","time \(UTC\)","actor"/);
    expect(csv).toHaveLength(2);
    expect(csv[1]).toContain(sentence);
    await screenshot(h, 'admin-audit-filtered');
  });

  it('pages to older entries with nextBefore and back', async () => {
    await openAuditPage(h, admin);
    const entries = h.page.getByRole('region', { name: 'Entries' });
    // Serve the real answer, cut to two entries per page, so paging shows with a small log.
    await h.page.route(`${h.server.url}/api/v1/audit/entries?**`, async (route) => {
      const url = new URL(route.request().url());
      url.searchParams.set('limit', '2');
      const response = await route.fetch({ url: url.toString() });
      await route.fulfill({ response });
    });
    await entries.getByRole('button', { name: 'Refresh' }).click();
    const rows = entries.locator('.audit-table tbody tr');
    await entries.getByText(/^Page 1: sequence numbers/).waitFor();
    expect(await rows.count()).toBe(2);
    const newest = await entries.locator('.audit-table tbody th').allTextContents();

    await entries.getByRole('button', { name: 'Older entries' }).click();
    await entries.getByText(/^Page 2: sequence numbers/).waitFor();
    const older = (await entries.locator('.audit-table tbody th').allTextContents()).map(Number);
    expect(Math.max(...older)).toBeLessThan(Math.min(...newest.map(Number)));
    const seen = h.apiCalls.filter((call) => call === 'GET /api/v1/audit/entries').length;
    expect(seen).toBeGreaterThanOrEqual(2);

    await entries.getByRole('button', { name: 'Newer entries' }).click();
    await entries.getByText(/^Page 1: sequence numbers/).waitFor();
    expect(await entries.locator('.audit-table tbody th').allTextContents()).toEqual(newest);
  });

  it('after a signing-key handover, the checkpoint card names the first key and the handover', async () => {
    const { app } = h.server;
    const firstKey = app.audit.ledger.publicKey().verifierKey;
    const handed = await app.audit.ledger.handOverSigningKey(app.store.db, null);
    await openAuditPage(h, admin);
    const checkpoint = h.page.getByRole('region', { name: 'Latest signed checkpoint' });
    const history = checkpoint.getByText(/took over from the log's first key through one signed handover/);
    await history.waitFor();
    const keys = await checkpoint.locator('pre.code-block').allTextContents();
    expect(keys).toContain(handed.verifierKey);
    expect(keys).toContain(firstKey);
    expect(firstKey).not.toBe(handed.verifierKey);
  });

  it('verifies the ledger, then names sequence number 0 after the database was altered', async () => {
    await openAuditPage(h, admin);
    const verify = h.page.getByRole('region', { name: 'Verify the ledger' });
    await verify.getByRole('button', { name: 'Verify now' }).click();
    const ok = verify.getByRole('status').filter({ hasText: 'Ledger verified:' });
    await ok.waitFor();
    expect(await ok.textContent()).toMatch(
      /Ledger verified: \d+ entries, root [A-Za-z0-9+/=]+, consistent with checkpoint of size \d+\./,
    );
    await screenshot(h, 'admin-audit-verified');

    // Someone with the database but not the keyring rewrites the first entry's outcome.
    await sql`update ledger_entries set outcome = 'denied' where seq = 0`.execute(h.server.app.store.db);

    await verify.getByRole('button', { name: 'Verify now' }).click();
    const failed = verify.getByRole('status').filter({ hasText: 'Ledger verification failed' });
    await failed.waitFor();
    const text = await failed.textContent();
    expect(text).toContain('failed at sequence number 0 (content changed)');
    expect(text).toMatch(/\b0\b/);
    expect(await verify.getByText('Ledger verified:').count()).toBe(0);
    await screenshot(h, 'admin-audit-tampered');

    // The altered entry shows as it now reads in the table.
    const entries = h.page.getByRole('region', { name: 'Entries' });
    await entries.getByRole('button', { name: 'Refresh' }).click();
    await entries.getByText(/^Page 1: sequence numbers/).waitFor();
    const first = entries
      .getByRole('row')
      .filter({ has: h.page.getByRole('rowheader', { name: '0', exact: true }) });
    expect(await first.textContent()).toContain('denied');
  });
});
