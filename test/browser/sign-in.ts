/** Signing in through the real login page, as a person would. */
import type { PageHarness } from './page-harness.js';

export interface KeyFile {
  readonly name: string;
  readonly mimeType: string;
  readonly buffer: Buffer;
}

export function keyFile(privateKeyPem: string, name = 'staff-key.pem'): KeyFile {
  return { name, mimeType: 'application/x-pem-file', buffer: Buffer.from(privateKeyPem) };
}

/** Staff tab: username, password, key file (or a path to one), "Sign in with key"; waits for the nav. */
export async function signInStaff(
  h: PageHarness,
  username: string,
  password: string,
  key: KeyFile | string,
): Promise<void> {
  await h.openLoginPage();
  await h.page.getByRole('tab', { name: 'Staff' }).click();
  const panel = h.staffPanel();
  await panel.getByLabel('Username').fill(username);
  await panel.getByLabel('Password').fill(password);
  await panel.getByLabel('Private key file').setInputFiles(key);
  await panel.getByRole('button', { name: 'Sign in with key' }).click();
  await h.page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** Patient tab: SSN, PIN, password, "Sign in"; waits for the nav. */
export async function signInPatient(
  h: PageHarness,
  credentials: { readonly ssn: string; readonly pin: string; readonly password: string },
): Promise<void> {
  await h.openLoginPage();
  const panel = h.patientPanel();
  await panel.getByLabel('Social Security number').fill(credentials.ssn);
  await panel.getByLabel('PIN', { exact: true }).fill(credentials.pin);
  await panel.getByLabel('Password', { exact: true }).fill(credentials.password);
  await panel.getByRole('button', { name: 'Sign in', exact: true }).click();
  await h.page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** Opens a signed-in page by its hash route and waits for its heading. */
export async function openPage(h: PageHarness, route: string, heading: string | RegExp): Promise<void> {
  await h.page.goto(`${h.server.url}/#/${route}`);
  await h.page.getByRole('heading', { level: 1, name: heading }).waitFor();
}

/** Saves a full-page screenshot when MEDVAULT_SCREENSHOT_DIR is set (for reviewing the UI). */
export async function screenshot(h: PageHarness, name: string): Promise<void> {
  const dir = process.env.MEDVAULT_SCREENSHOT_DIR;
  if (dir) await h.page.screenshot({ path: `${dir}/${name}.png`, fullPage: true });
}

/**
 * Patient tab → "Forgot PIN?": picks how to prove identity, fills the form and presses
 * "Set new PIN". Returns the patient panel.
 */
export async function fillForgotPin(
  h: PageHarness,
  input: {
    readonly proof: 'I have my recovery code' | 'I have a reset token from a registrar';
    readonly ssn: string;
    readonly password: string;
    /** Label → value for the proof's own fields (e.g. "Reset token", "Date of birth"). */
    readonly fields: Readonly<Record<string, string>>;
    readonly newPin: string;
  },
) {
  await h.openLoginPage();
  const panel = h.patientPanel();
  await panel.getByRole('button', { name: 'Forgot PIN?' }).click();
  await panel.getByLabel(input.proof).check();
  await panel.getByLabel('Social Security number').fill(input.ssn);
  await panel.getByLabel('Password', { exact: true }).fill(input.password);
  for (const [label, value] of Object.entries(input.fields)) {
    await panel.getByLabel(label, { exact: true }).fill(value);
  }
  await panel.getByLabel('New PIN', { exact: true }).fill(input.newPin);
  await panel.getByLabel('Repeat PIN', { exact: true }).fill(input.newPin);
  await panel.getByRole('button', { name: 'Set new PIN' }).click();
  return panel;
}
