/**
 * The login page in Chromium, served by a freshly started MedVault server, talking to that
 * server's real API: it loads under the server's CSP, validates input before sending anything,
 * and shows the server's own answer to a refused login without crashing.
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkAnswer, routeNamed } from '../../src/contract/client/index.js';
import { CSRF_HEADER } from '../../web/src/api/client.js';
import { browserTestsEnabled } from './chromium.js';
import { pemFile } from './pem-file.js';
import { usePageHarness } from './page-harness.js';

describe.skipIf(!browserTestsEnabled())('login page against a freshly started server', () => {
  const h = usePageHarness();

  /** The message the UI must show for this request: the server's own, parsed as the client does. */
  async function serverMessage(route: string, body: unknown): Promise<string> {
    const response = await fetch(`${h.server.url}/api/v1${route}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [CSRF_HEADER]: '1' },
      body: JSON.stringify(body),
    });
    expect(response.ok).toBe(false);
    const parsed: unknown = await response.json();
    const name = routeNamed('POST', `/api/v1${route}`);
    if (name === undefined) throw new Error(`no route POST ${route}`);
    const answer = checkAnswer(name, response.status, parsed);
    if (answer.ok) throw new Error(`POST ${route} succeeded`);
    return answer.error.message;
  }

  it('loads from a freshly started server under a strict CSP and shows the login page', async () => {
    const response = await h.page.goto(h.server.url);
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    await h.page.getByRole('heading', { level: 1, name: 'Sign in to MedVault' }).waitFor();
    // The page sets its title once drawn (index.html says only "MedVault" until then).
    await expect.poll(() => h.page.title()).toBe('Sign in — MedVault');
    expect(await h.page.getByRole('tab', { name: 'Patient' }).getAttribute('aria-selected')).toBe('true');
    expect(await h.page.getByRole('tab', { name: 'Staff' }).getAttribute('aria-selected')).toBe('false');
    for (const label of ['Social Security number', 'PIN', 'Password']) {
      expect(await h.patientPanel().getByLabel(label, { exact: true }).isVisible()).toBe(true);
    }
    expect(h.apiCalls).toContain('GET /api/v1/auth/me');
  });

  it('the Staff tab shows username, password and the private-key file picker', async () => {
    await h.openLoginPage();
    await h.page.getByRole('tab', { name: 'Staff' }).click();
    const panel = h.staffPanel();
    expect(await panel.getByLabel('Username').isVisible()).toBe(true);
    expect(await panel.getByLabel('Password').isVisible()).toBe(true);
    const picker = panel.getByLabel('Private key file');
    expect(await picker.getAttribute('type')).toBe('file');
    expect(await picker.isVisible()).toBe(true);
    expect(await h.patientPanel().isHidden()).toBe(true);
    // Keyboard: arrow keys move between the tabs (WAI-ARIA tabs pattern).
    await h.page.getByRole('tab', { name: 'Staff' }).press('ArrowRight');
    expect(await h.page.getByRole('tab', { name: 'Patient' }).getAttribute('aria-selected')).toBe('true');
    expect(await h.page.evaluate(() => document.activeElement?.id)).toBe('login-tab-patient');
  });

  it('an invalid SSN gets a validation message and sends nothing', async () => {
    await h.openLoginPage();
    await h.patientPanel().getByLabel('Social Security number').fill('123-45-678');
    await h.patientPanel().getByLabel('PIN', { exact: true }).fill('12345');
    await h.patientPanel().getByLabel('Password', { exact: true }).fill('correct horse battery');
    await h.page.getByRole('button', { name: 'Sign in' }).click();
    await h.page.getByText('Enter the SSN as ###-##-#### (9 digits).').waitFor();
    await h.page.getByText('The PIN is exactly 6 digits.').waitFor();
    expect(await h.patientPanel().getByLabel('Social Security number').getAttribute('aria-invalid')).toBe(
      'true',
    );
    expect(h.apiCalls.filter((call) => call.startsWith('POST'))).toEqual([]);
  });

  it("a well-formed patient login shows the server's error message, not a crash", async () => {
    const credentials = { ssn: '123-45-6789', pin: '123456', password: 'correct horse battery' };
    const expected = await serverMessage('/auth/patient/login', credentials);
    await h.openLoginPage();
    await h.patientPanel().getByLabel('Social Security number').fill(credentials.ssn);
    await h.patientPanel().getByLabel('PIN', { exact: true }).fill(credentials.pin);
    await h.patientPanel().getByLabel('Password', { exact: true }).fill(credentials.password);
    await h.page.getByRole('button', { name: 'Sign in' }).click();
    const alert = h.page.getByRole('alert').filter({ hasText: 'Could not sign in.' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain(expected);
    expect(h.apiCalls).toContain('POST /api/v1/auth/patient/login');
    // Still usable: the form is there and can be submitted again.
    expect(await h.page.getByRole('button', { name: 'Sign in' }).isEnabled()).toBe(true);
  });

  it('staff sign-in without a key file says so and sends nothing', async () => {
    await h.openLoginPage();
    await h.page.getByRole('tab', { name: 'Staff' }).click();
    const panel = h.staffPanel();
    await panel.getByLabel('Username').fill('dr.house');
    await panel.getByLabel('Password').fill('correct horse battery');
    await panel.getByRole('button', { name: 'Sign in with key' }).click();
    await panel.getByText('Choose your private key file (.pem).').waitFor();
    expect(h.apiCalls.filter((call) => call.startsWith('POST'))).toEqual([]);
  });

  it('a file that is not a PEM private key is refused in the browser before any request', async () => {
    await h.openLoginPage();
    await h.page.getByRole('tab', { name: 'Staff' }).click();
    const panel = h.staffPanel();
    await panel.getByLabel('Username').fill('dr.house');
    await panel.getByLabel('Password').fill('correct horse battery');
    await panel
      .getByLabel('Private key file')
      .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a key') });
    await panel.getByRole('button', { name: 'Sign in with key' }).click();
    await panel.getByText(/not a PEM private key/).waitFor();
    expect(h.apiCalls.filter((call) => call.startsWith('POST'))).toEqual([]);
  });

  it("a staff login for an unknown user shows the server's generic refusal, not a crash", async () => {
    // The server answers a challenge even for an unknown username (no account enumeration) and
    // refuses the login itself; compute the message it gives for exactly that.
    const challenge = (await (
      await fetch(`${h.server.url}/api/v1/auth/staff/challenge`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [CSRF_HEADER]: '1' },
        body: JSON.stringify({ username: 'dr.nobody' }),
      })
    ).json()) as { challengeId: string };
    const expected = await serverMessage('/auth/staff/login', {
      username: 'dr.nobody',
      password: 'correct horse battery',
      challengeId: challenge.challengeId,
      signature: Buffer.alloc(64).toString('base64'),
    });
    const { privateKey } = generateKeyPairSync('ed25519');
    await h.openLoginPage();
    await h.page.getByRole('tab', { name: 'Staff' }).click();
    const panel = h.staffPanel();
    await panel.getByLabel('Username').fill('dr.nobody');
    await panel.getByLabel('Password').fill('correct horse battery');
    await panel.getByLabel('Private key file').setInputFiles(pemFile(privateKey));
    await panel.getByRole('button', { name: 'Sign in with key' }).click();
    const alert = panel.getByRole('alert').filter({ hasText: 'Could not sign in.' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain(expected);
    expect(h.apiCalls).toEqual(
      expect.arrayContaining(['POST /api/v1/auth/staff/challenge', 'POST /api/v1/auth/staff/login']),
    );
  });
});
