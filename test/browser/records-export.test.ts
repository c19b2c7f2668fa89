/**
 * Issue 19, the patient's side: "Download my records" saves the FHIR Bundle ($everything) as a
 * file that parses and holds the patient's records, the X-ray included; the printable summary
 * renders them, passes axe-core, and prints without the navigation and buttons.
 */
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { scopeOf } from '../support/scopes.js';
import { XRAY_PNG } from '../fhir/world.js';
import {
  addStaffWithCli,
  createStaffApi,
  loginStaffApi,
  registerPatientApi,
  type PatientCredentials,
} from './api-fixtures.js';
import { browserTestsEnabled } from './chromium.js';
import { axeViolations } from './page-checks.js';
import { usePageHarness } from './page-harness.js';
import { openPage, screenshot, signInPatient } from './sign-in.js';

const BLOCKING_IMPACTS = new Set(['critical', 'serious', 'moderate']);

describe.skipIf(!browserTestsEnabled())('download my records and the printable summary', () => {
  const h = usePageHarness();
  let ada: PatientCredentials;

  beforeAll(async () => {
    const admin = await addStaffWithCli(h.server, 'admin', 'root.admin');
    await loginStaffApi(h.server, admin); // the first admin signs in with its own key
    const registrarApi = await loginStaffApi(
      h.server,
      await createStaffApi(h.server, 'registrar', 'reg.rita'),
    );
    const doctor = await createStaffApi(h.server, 'doctor', 'dr.quinn', {
      displayName: 'Dr. Michaela Quinn',
    });
    ada = await registerPatientApi(registrarApi, 'Ada Lovelace');
    await registrarApi.request('POST', `/patients/${ada.patientId}/care-team`, { doctorId: doctor.id });
    const doctorApi = await loginStaffApi(h.server, doctor);
    const write = (record: unknown) =>
      doctorApi.request('POST', `/patients/${ada.patientId}/records`, record);
    await write({
      type: 'diagnosis',
      title: 'Pneumonia',
      body: {
        icd10: 'J18.9',
        text: 'Pneumonia, unspecified organism',
        status: 'active',
        onset: '2029-10-30',
      },
    });
    await write({
      type: 'allergy',
      title: 'Peanut',
      body: { substance: 'Peanut', severity: 'severe', reaction: 'Hives' },
    });
    await write({ type: 'vitals', title: 'Visit', body: { heartRate: 72, systolic: 128, diastolic: 82 } });
    await write({ type: 'clinical_note', title: 'Follow-up', body: { text: 'Cough persists at night.' } });
    const xray = (await write({
      type: 'imaging',
      title: 'Chest X-ray',
      body: {
        modality: 'X-ray',
        bodyPart: 'Chest',
        findings: 'Opacity, right lower lobe.',
        impression: 'Lobar pneumonia.',
      },
    })) as { id: string };
    await h.server.app.records.attachments.upload(
      scopeOf({ userId: doctor.id, role: 'doctor' }),
      xray.id,
      async () => ({
        fileName: 'chest.png',
        contentType: 'image/png',
        content: Readable.from([XRAY_PNG]),
      }),
    );
  });

  it('"Download my records" saves a FHIR Bundle that parses and holds the records and the X-ray', async () => {
    await signInPatient(h, ada);
    await openPage(h, 'records', 'My records');
    const card = h.page.getByRole('region', { name: 'Download my records' });
    const [download] = await Promise.all([
      h.page.waitForEvent('download'),
      card.getByRole('button', { name: 'Download my records (FHIR)' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^medvault-records-\d{4}-\d{2}-\d{2}\.fhir\.json$/);
    const bundle = JSON.parse(await readFile((await download.path())!, 'utf8')) as {
      resourceType: string;
      entry: Array<{ resource: Record<string, unknown> & { resourceType: string } }>;
    };
    expect(bundle.resourceType).toBe('Bundle');
    const types = bundle.entry.map((e) => e.resource.resourceType);
    for (const t of [
      'Patient',
      'Condition',
      'AllergyIntolerance',
      'Observation',
      'DocumentReference',
      'DiagnosticReport',
      'ImagingStudy',
      'Binary',
    ])
      expect(types, t).toContain(t);
    const binary = bundle.entry.find((e) => e.resource.resourceType === 'Binary')!.resource as unknown as {
      data: string;
    };
    expect(Buffer.from(binary.data, 'base64').equals(XRAY_PNG)).toBe(true);
    await card.getByText(/^Saved medvault-records-/).waitFor();
  });

  it('the printable summary renders the records, passes axe, and prints without navigation or buttons', async () => {
    await signInPatient(h, ada);
    await openPage(h, 'records', 'My records');
    await h.page.getByRole('link', { name: 'Printable summary' }).click();
    await h.page.getByRole('heading', { level: 1, name: 'Health record summary' }).waitFor();
    const section = (name: string) => h.page.getByRole('region', { name });
    await section('Diagnoses').getByText('Pneumonia, unspecified organism').waitFor();
    await section('Diagnoses').getByText('J18.9').waitFor();
    await section('Allergies').getByText('Peanut').waitFor();
    await section('Imaging').getByText('Lobar pneumonia.').waitFor();
    await section('Clinical notes').getByText('Cough persists at night.').waitFor();
    await section('Results and measurements').getByText('72 bpm').waitFor();
    await h.page.getByText('Ada Lovelace').first().waitFor();
    const blocking = (await axeViolations(h.page)).filter((v) => BLOCKING_IMPACTS.has(v.impact));
    expect(blocking).toEqual([]);
    await screenshot(h, 'patient-records-summary');

    // On paper: the summary only.
    await h.page.emulateMedia({ media: 'print' });
    expect(await h.page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false);
    expect(await h.page.getByRole('button', { name: 'Print' }).isVisible()).toBe(false);
    expect(await h.page.getByRole('heading', { level: 1, name: 'Health record summary' }).isVisible()).toBe(
      true,
    );
    expect(await section('Diagnoses').isVisible()).toBe(true);
    const pdf = await h.page.pdf({ format: 'A4' });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await h.page.emulateMedia({ media: 'screen' });
    expect(await h.page.getByRole('button', { name: 'Print' }).isVisible()).toBe(true);
  });
});
