/**
 * Issue 5 acceptance, in Chromium against a real server: a doctor writes a lab result and an
 * X-ray (imaging study) with an image through the forms, searches for the patient's diagnosis,
 * and the patient then sees both records, the image, and the doctor's accesses in their access
 * history (with a colleague's emergency access, opened on its page with a reason). Also: the record form checks input
 * as the server does before anything is sent.
 */
import { randomBytes } from 'node:crypto';
import { deflateSync, crc32 } from 'node:zlib';
import type { Request } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER } from '../../web/src/api/client.js';
import {
  addStaffWithCli,
  createStaffApi,
  loginStaffApi,
  registerPatientApi,
  type ApiClient,
  type PatientCredentials,
  type StaffCredentials,
} from './api-fixtures.js';
import { browserTestsEnabled } from './chromium.js';
import { usePageHarness } from './page-harness.js';
import { keyFile, openPage, screenshot, signInPatient, signInStaff } from './sign-in.js';

/**
 * A real PNG (the server checks the bytes match the type): a grey gradient, width × height, or
 * noise (which does not compress, for an upload that takes a while).
 */
function pngImage(width: number, height: number, noise = false): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const head = Buffer.alloc(4);
    head.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([head, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // greyscale
  const rows = Buffer.alloc((width + 1) * height);
  const random = noise ? randomBytes(width * height) : undefined;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      rows[y * (width + 1) + 1 + x] = random ? (random[y * width + x] ?? 0) : (x * 7 + y * 3) & 0xff;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe.skipIf(!browserTestsEnabled())('medical records in the browser, against the real API', () => {
  const h = usePageHarness();
  let doctor: StaffCredentials;
  let doctorApi: ApiClient;
  let colleague: StaffCredentials;
  let ada: PatientCredentials;

  beforeAll(async () => {
    const admin = await addStaffWithCli(h.server, 'admin', 'root.admin');
    await loginStaffApi(h.server, admin); // the first admin signs in with its own key
    const registrar = await createStaffApi(h.server, 'registrar', 'reg.rita');
    doctor = await createStaffApi(h.server, 'doctor', 'dr.quinn', { displayName: 'Dr. Michaela Quinn' });
    colleague = await createStaffApi(h.server, 'doctor', 'dr.strange', {
      displayName: 'Dr. Stephen Strange',
    });
    const registrarApi = await loginStaffApi(h.server, registrar);
    ada = await registerPatientApi(registrarApi, 'Ada Lovelace');
    await registrarApi.request('POST', `/patients/${ada.patientId}/care-team`, { doctorId: doctor.id });
    doctorApi = await loginStaffApi(h.server, doctor);
    // The diagnosis the doctor will search for, written earlier.
    await doctorApi.request('POST', `/patients/${ada.patientId}/records`, {
      type: 'diagnosis',
      title: 'Type 2 diabetes',
      body: { icd10: 'E11.9', text: 'Type 2 diabetes mellitus', status: 'active' },
    });
  });

  it('a doctor writes a lab result and an X-ray with an image, searches the diagnosis; the patient sees both and the accesses', async () => {
    const { page } = h;
    const uploads: Request[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && /\/attachments$/.test(new URL(request.url()).pathname)) {
        uploads.push(request);
      }
    });

    await signInStaff(h, doctor.username, doctor.password, keyFile(doctor.privateKeyPem));
    await page.getByRole('heading', { level: 1, name: 'My patients' }).waitFor();
    const inCare = page.getByRole('region', { name: 'In your care' });
    await inCare.getByRole('link', { name: 'Ada Lovelace' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ada Lovelace' }).waitFor();
    await page.getByRole('link', { name: 'Type 2 diabetes' }).waitFor();
    await screenshot(h, 'doctor-patient');

    // A lab result, with one analyte.
    await page.getByRole('main').getByRole('link', { name: 'New record' }).click();
    await page.getByRole('heading', { level: 1, name: 'New record for Ada Lovelace' }).waitFor();
    await page.getByLabel('Kind of record').selectOption({ label: 'Lab result' });
    await page.getByLabel('Title').fill('Complete blood count');
    await page.getByLabel('Panel').fill('CBC');
    const analyte = page.getByRole('group', { name: 'Analyte 1' });
    await analyte.getByLabel('Name').fill('Hemoglobin');
    await analyte.getByLabel('Value').fill('13.5');
    await analyte.getByLabel('Unit').fill('g/dL');
    await analyte.getByLabel('Reference low').fill('12');
    await analyte.getByLabel('Reference high').fill('16');
    await analyte.getByLabel('Flag').selectOption('normal');
    await screenshot(h, 'doctor-new-lab-result');
    await page.getByRole('button', { name: 'Save record' }).click();
    await page.getByRole('heading', { level: 2, name: 'Complete blood count' }).waitFor();
    await page.getByText('Record saved.').waitFor();
    const analyteRow = page.getByRole('row', { name: /Hemoglobin/ });
    expect(await analyteRow.textContent()).toContain('13.5 g/dL');
    expect(await analyteRow.textContent()).toContain('12 – 16');

    // An X-ray with an image, sent with a progress bar after the record.
    await page.getByRole('link', { name: /All records of Ada Lovelace/ }).click();
    await page.getByRole('main').getByRole('link', { name: 'New record' }).click();
    await page.getByLabel('Kind of record').selectOption({ label: 'Imaging study' });
    await page.getByLabel('Title').fill('Chest X-ray');
    await page.getByLabel('Modality').selectOption('X-ray');
    await page.getByLabel('Body part').fill('Chest');
    await page.getByLabel('Findings').fill('Clear lung fields.\nNo effusion.');
    await page.getByLabel('Impression').fill('Normal chest radiograph.');
    await page
      .getByLabel('Images (optional)')
      .setInputFiles({ name: 'chest-pa.png', mimeType: 'image/png', buffer: pngImage(160, 120) });
    await page.getByRole('button', { name: 'Save record' }).click();
    await page.getByRole('heading', { level: 2, name: 'Chest X-ray' }).waitFor();
    const image = page.getByRole('img', { name: 'Chest X-ray: chest-pa.png' });
    await image.waitFor();
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(160);
    expect(await image.getAttribute('src')).toMatch(/^blob:/);
    expect(uploads).toHaveLength(1);
    expect(await uploads[0]?.headerValue(CSRF_HEADER)).toBe('1');
    expect(await uploads[0]?.headerValue('content-type')).toMatch(/^multipart\/form-data/);
    await screenshot(h, 'doctor-imaging-record');
    // Five views of this patient so far (records, two new-record forms, two records) share one
    // answer for the patient's name: the UI asks for it once per session.
    expect(h.apiCalls.filter((call) => call === `GET /api/v1/patients/${ada.patientId}`)).toHaveLength(1);

    // Search for the diagnosis from the dashboard; the hit opens the record.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My patients' }).click();
    const recent = page.getByRole('region', { name: 'Records you wrote recently' });
    await recent.getByRole('link', { name: 'Imaging study' }).waitFor();
    await screenshot(h, 'doctor-dashboard');
    expect(await recent.getByRole('row', { name: /Lab result/ }).textContent()).toContain('Ada Lovelace');
    await page.getByRole('search').getByLabel('Keyword').fill('Diabetes');
    await page.getByRole('search').getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { level: 1, name: 'Search' }).waitFor();
    await page.getByRole('heading', { name: /Results for “Diabetes”/ }).waitFor();
    expect(new URL(page.url()).hash).toBe('#/search?keyword=Diabetes');
    await screenshot(h, 'doctor-search');
    await page.getByRole('link', { name: 'Type 2 diabetes' }).click();
    await page.getByRole('heading', { level: 2, name: 'Type 2 diabetes' }).waitFor();
    await page.getByText('E11.9').waitFor();
    // A prefix of a word in the X-ray's impression finds the imaging study (issue 20, point 5).
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My patients' }).click();
    await page.getByRole('search').getByLabel('Keyword').fill('radiog');
    await page.getByRole('search').getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { name: /Results for “radiog”/ }).waitFor();
    await page.getByRole('link', { name: 'Chest X-ray' }).click();
    await page.getByRole('heading', { level: 2, name: 'Chest X-ray' }).waitFor();
    await page.getByRole('button', { name: 'Logout' }).click();
    await page.getByRole('heading', { name: 'Sign in to MedVault' }).waitFor();

    // The patient sees both records, the image, and who accessed them.
    await signInPatient(h, ada);
    await openPage(h, 'records', 'My records');
    await page
      .getByRole('region', { name: /Lab results/ })
      .getByRole('link', { name: 'Complete blood count' })
      .waitFor();
    await screenshot(h, 'patient-records');
    await page
      .getByRole('region', { name: /Imaging/ })
      .getByRole('link', { name: 'Chest X-ray' })
      .click();
    await page.getByRole('heading', { level: 2, name: 'Chest X-ray' }).waitFor();
    await page.getByText('Normal chest radiograph.').waitFor();
    const patientImage = page.getByRole('img', { name: 'Chest X-ray: chest-pa.png' });
    await expect.poll(() => patientImage.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(160);
    expect(await page.getByLabel('Add images').count()).toBe(0);
    await screenshot(h, 'patient-imaging-record');

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Access history' })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Access history' }).waitFor();
    const byDoctor = page.getByRole('row').filter({ hasText: 'Dr. Michaela Quinn' });
    await byDoctor.filter({ hasText: 'Opened a record' }).first().waitFor();
    for (const what of ['Wrote a record', 'Added an image', 'Found a record in a search']) {
      expect(await byDoctor.filter({ hasText: what }).count(), what).toBeGreaterThan(0);
    }
    expect(await byDoctor.first().textContent()).toContain('Doctor');
    expect(await byDoctor.filter({ hasText: 'Your care team' }).count()).toBeGreaterThan(0);
    // Issue 15, finding 6: seeing who Ada is leaves a trace too, and what the doctor did again and
    // again that day is one line with a count: their patient list was read at sign-in and again
    // from the navigation, their record list of Ada several times.
    expect(await byDoctor.filter({ hasText: 'Viewed your details' }).count()).toBe(1);
    await byDoctor
      .filter({ hasText: /Listed your details [2-9] times/ })
      .first()
      .waitFor();
    await byDoctor
      .filter({ hasText: /Listed your records \d+ times/ })
      .first()
      .waitFor();
    await screenshot(h, 'patient-access-history');
  }, 120_000);

  it('an image added to a study shows upload progress; a file that is not an image is refused', async () => {
    const { page } = h;
    const study = (await doctorApi.request('POST', `/patients/${ada.patientId}/records`, {
      type: 'imaging',
      title: 'Left wrist X-ray',
      body: { modality: 'X-ray', bodyPart: 'Left wrist', findings: 'No fracture.', impression: 'Normal.' },
    })) as { id: string };
    await signInStaff(h, doctor.username, doctor.password, keyFile(doctor.privateKeyPem));
    await openPage(h, `patients/${ada.patientId}/records/${study.id}`, 'Ada Lovelace');
    await page.getByText('No images are attached to this study.').waitFor();

    // Not an image: refused in the page; image-named text: refused by the server (415).
    const upload = page.getByLabel('Add images');
    await upload.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('hello') });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByText('notes.txt is not a PNG, JPEG or DICOM file.').waitFor();
    await upload.setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('not a png') });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByRole('alert').filter({ hasText: 'Could not upload.' }).waitFor();

    // A slow link: the progress bar shows while the bytes go out.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 256 * 1024,
    });
    await upload.setInputFiles({
      name: 'wrist.png',
      mimeType: 'image/png',
      buffer: pngImage(640, 480, true),
    });
    await page.getByRole('button', { name: 'Upload' }).click();
    await page.getByRole('progressbar', { name: /Uploading wrist\.png/ }).waitFor();
    await page.getByRole('button', { name: 'Cancel upload' }).waitFor();
    await screenshot(h, 'doctor-upload-progress');
    await page.getByText('The image was added.').waitFor({ timeout: 30_000 });
    const image = page.getByRole('img', { name: 'Left wrist X-ray: wrist.png' });
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(640);
    expect(await page.getByRole('progressbar').count()).toBe(0);

    // The viewer: fitted first, then the image's own pixels, then twice them; invert toggles.
    const width = () => image.evaluate((img: HTMLImageElement) => img.getBoundingClientRect().width);
    const tools = page.getByRole('toolbar', { name: 'Image view' });
    expect(await tools.getByRole('button', { name: 'Zoom out' }).isDisabled()).toBe(true);
    await tools.getByRole('button', { name: 'Zoom in' }).click();
    await tools.getByText('100%').waitFor();
    await expect.poll(width).toBeCloseTo(640, 0);
    await tools.getByRole('button', { name: 'Zoom in' }).click();
    await tools.getByText('200%').waitFor();
    await expect.poll(width).toBeCloseTo(1280, 0);
    const invert = tools.getByRole('button', { name: 'Invert' });
    await invert.click();
    expect(await invert.getAttribute('aria-pressed')).toBe('true');
    expect(await image.evaluate((img) => getComputedStyle(img).filter)).toBe('invert(1)');
    await screenshot(h, 'doctor-image-viewer-zoomed');
  });

  it('a doctor outside the care team opens emergency access with a reason; the patient sees it in their history', async () => {
    const reason = 'Unconscious in the emergency room';
    await signInStaff(h, colleague.username, colleague.password, keyFile(colleague.privateKeyPem));
    const { page } = h;
    await openPage(h, 'emergency-access', 'Emergency access');
    const open = page.getByRole('button', { name: 'Open emergency access' });
    const requests: string[] = [];
    page.on('request', (r: Request) => {
      if (r.url().includes('/break-glass')) requests.push(r.method());
    });
    const lookUp = page.getByRole('button', { name: 'Look up' });
    // Nothing chosen yet: the reason cannot be sent.
    expect(await open.isDisabled()).toBe(true);
    await lookUp.click();
    await page.getByText('Enter the MRN, or the full name together with the date of birth.').waitFor();
    // A name alone is never looked up (no browsing the hospital by name).
    await page.getByLabel('Full name').fill('Ada Lovelace');
    await lookUp.click();
    await page.getByText('Enter the date of birth as well as the full name.').waitFor();
    // A mistyped MRN is caught by its check digit before anything is sent.
    const { mrn } = await h.server.app.store.db
      .selectFrom('patients')
      .select('mrn')
      .where('id', '=', ada.patientId)
      .executeTakeFirstOrThrow();
    const typo = `${mrn.slice(0, 7)}${(Number(mrn[7]) + 1) % 10}`;
    await page.getByLabel('Medical record number (MRN)').fill(typo);
    await lookUp.click();
    await page.getByText('This MRN is not valid: check the eight digits').waitFor();
    expect(requests).toEqual([]);
    // Name and a wrong date of birth: nobody (and the look-up is ledgered all the same).
    await page.getByLabel('Medical record number (MRN)').fill('');
    await page.getByLabel('Date of birth').fill('1990-01-01');
    await lookUp.click();
    await page.getByText('Nobody matches.').waitFor();
    // By MRN: the patient's name, date of birth and MRN, to confirm who it is.
    await page.getByLabel('Full name').fill('');
    await page.getByLabel('Date of birth').fill('');
    await page.getByLabel('Medical record number (MRN)').fill(`${mrn.slice(0, 4)} ${mrn.slice(4)}`);
    await lookUp.click();
    const choice = page.getByRole('radio', { name: /Ada Lovelace, born 1985-04-12, MRN/ });
    await choice.waitFor();
    expect(await choice.isChecked()).toBe(true);
    await page.getByLabel('Reason').fill('urgent');
    await open.click();
    await page.getByText('Say why you need access now, in 10 to 1000 characters.').waitFor();
    expect(requests).toEqual(['POST', 'POST']); // the two look-ups, no break-glass yet
    await page.getByLabel('Reason').fill(reason);
    await open.click();
    await page.getByRole('heading', { level: 1, name: 'Ada Lovelace' }).waitFor();
    await screenshot(h, 'doctor-emergency-access-opened');
    await page.getByRole('link', { name: 'Type 2 diabetes' }).first().click();
    await page.getByRole('heading', { name: 'Type 2 diabetes' }).waitFor();
    await page.getByRole('button', { name: 'Logout' }).click();

    await signInPatient(h, ada);
    await openPage(h, 'access-history', 'Access history');
    const rows = h.page.getByRole('row').filter({ hasText: 'Dr. Stephen Strange' });
    await rows.filter({ hasText: 'Emergency access (break-glass)' }).first().waitFor();
    expect(await rows.filter({ hasText: `Reason: “${reason}”` }).count()).toBeGreaterThan(0);
    expect(await rows.filter({ hasText: 'Opened a record' }).count()).toBeGreaterThan(0);
  });

  it('the record form checks fields as the server does, next to each field, before sending', async () => {
    const { page } = h;
    await signInStaff(h, doctor.username, doctor.password, keyFile(doctor.privateKeyPem));
    await openPage(h, 'new-record', 'New record');
    await page.getByRole('button', { name: 'Save record' }).click();
    await page.getByText('Choose a patient.').waitFor();
    await page.getByText('Choose the kind of record.').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('rec-patient');

    await page.getByLabel('Patient').selectOption({ label: 'Ada Lovelace' });
    await page.getByLabel('Kind of record').selectOption({ label: 'Vitals' });
    await page.getByRole('button', { name: 'Save record' }).click();
    await page.getByText('Enter a title.').waitFor();
    await page.getByText('Enter at least one measurement.').waitFor();

    await page.getByLabel('Title').fill('Morning vitals');
    await page.getByLabel('Heart rate (bpm)').fill('500');
    await page.getByLabel('Weight (kg)').fill('72.35');
    await page.getByRole('button', { name: 'Save record' }).click();
    await page.getByText('Enter a value from 20 to 250 bpm.').waitFor();
    await page.getByText('Use at most one decimal (steps of 0.1).').waitFor();
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('rec-heartRate');

    await page.getByLabel('Kind of record').selectOption({ label: 'Diagnosis' });
    await page.getByLabel('ICD-10 code').fill('U07.1');
    await page.getByLabel('Diagnosis', { exact: true }).fill('COVID-19');
    await page.getByRole('button', { name: 'Save record' }).click();
    await page.getByText('Enter an ICD-10 code such as E11.9.').waitFor();
    expect(h.apiCalls.filter((call) => /^POST \/api\/v1\/patients\/.+\/records$/.test(call))).toEqual([]);

    // Fixed, it is sent and saved.
    await page.getByLabel('ICD-10 code').fill('j45.909');
    await page.getByLabel('Diagnosis', { exact: true }).fill('Asthma');
    await page.getByRole('button', { name: 'Save record' }).click();
    await page.getByRole('heading', { level: 2, name: 'Morning vitals' }).waitFor();
    await page.getByText('J45.909').waitFor();
  });
});
