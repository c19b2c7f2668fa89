/**
 * The pharmacist's queue in Chromium, past the server's page size: all 101 pending
 * prescriptions are listed (the page follows `nextCursor`), and a queue answer with one row off
 * the contract is an error the pharmacist sees, never a list quietly missing that row.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/app/actor.js';
import { MEDICINE_CATALOG } from '../../src/app/prescriptions/medicine-catalog.js';
import { signPrescriptionDraft } from '../../src/app/prescriptions/offline-signing.js';
import { MAX_QUEUE_PAGE } from '../../src/contract/vocabulary/paging.js';
import { insertStaff, registration } from '../support/people.js';
import { scopeOf } from '../support/scopes.js';
import { browserTestsEnabled } from './chromium.js';
import { usePageHarness } from './page-harness.js';
import { keyFile, openPage, signInStaff } from './sign-in.js';

const STAFF_PASSWORD = 'Tangerine-Kettle-4471';
const PENDING = MAX_QUEUE_PAGE + 1;
const AMOXICILLIN = MEDICINE_CATALOG.find((m) => m.id === 'amoxicillin-500mg-capsule')!;

describe.skipIf(!browserTestsEnabled())('the pharmacist queue in the browser', () => {
  const h = usePageHarness();
  let pharmacistPem: string;

  beforeAll(async () => {
    const { app } = h.server;
    const doctor = await app.identity.staffAccounts.createAsOperator({
      role: 'doctor',
      username: 'dr.busy',
      displayName: 'Dr. Busy',
      password: STAFF_PASSWORD,
      key: { generate: 'ed25519' },
    });
    const pharmacist = await app.identity.staffAccounts.createAsOperator({
      role: 'pharmacist',
      username: 'ph.queue',
      displayName: 'Pharmacist Queue',
      password: STAFF_PASSWORD,
      key: { generate: 'ed25519' },
    });
    pharmacistPem = pharmacist.privateKeyPem!;
    const registrar = await insertStaff(app.store.db, 'registrar');
    const doctorActor: Actor = { userId: doctor.user.id, role: 'doctor' };
    const patientNamed = async (fullName: string): Promise<string> => {
      const { patientId } = await app.identity.patients.register(
        scopeOf(registrar),
        registration({ fullName }),
      );
      await app.sharing.careTeams.assign(scopeOf(registrar), patientId, doctor.user.id);
      return patientId;
    };
    const early = await patientNamed('Early Patient');
    const last = await patientNamed('Last Patient');
    // Oldest first: the first 100 are Early Patient's; the 101st, issued last, is Last Patient's.
    const start = Date.now() - 60_000;
    for (let i = 0; i < PENDING; i++) {
      const patientId = i === PENDING - 1 ? last : early;
      const signed = signPrescriptionDraft(
        doctor.privateKeyPem!,
        {
          patientId,
          medicine: {
            id: AMOXICILLIN.id,
            name: AMOXICILLIN.genericName,
            strength: AMOXICILLIN.strength,
            form: AMOXICILLIN.form,
          },
          dose: '1 capsule',
          route: 'oral',
          frequency: 'three times daily',
          quantity: 21,
          refills: 0,
          instructions: '',
          prescriberId: doctor.user.id,
          // The same medicine again for one patient: safe prescribing asks for a signed reason.
          override: { reason: 'Repeat prescription in a test', warnings: [] },
        },
        start + i,
      );
      await app.prescriptions.prescriptions.sign(scopeOf(doctorActor), signed);
    }
  });

  it(`lists all ${PENDING} pending prescriptions, the ${PENDING}st included`, async () => {
    await signInStaff(h, 'ph.queue', STAFF_PASSWORD, keyFile(pharmacistPem));
    await openPage(h, 'prescription-queue', 'Prescription queue');
    await h.page.getByRole('button', { name: 'Open prescription for Last Patient' }).waitFor();
    expect(await h.page.getByRole('button', { name: /^Open prescription for / }).count()).toBe(PENDING);
    expect(h.apiCalls.filter((call) => call === 'GET /api/v1/prescriptions')).toHaveLength(2);
  });

  it('a queue answer with one row off the contract shows the contract error and no rows', async () => {
    await h.page.route(`${h.server.url}/api/v1/prescriptions?**`, async (route) => {
      const response = await route.fetch();
      const page = (await response.json()) as { items: Record<string, unknown>[] };
      // The server's real answer, with the patient of one row in the middle taken out.
      delete page.items[50]?.patient;
      await route.fulfill({ response, json: page });
    });
    await signInStaff(h, 'ph.queue', STAFF_PASSWORD, keyFile(pharmacistPem));
    await openPage(h, 'prescription-queue', 'Prescription queue');
    const alert = h.page.getByRole('alert').filter({ hasText: 'Could not load the queue' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain(
      "The server's answer did not fit what this page expects (prescriptionQueue, /items/50/patient)",
    );
    expect(await h.page.getByRole('button', { name: /^Open prescription for / }).count()).toBe(0);
    expect(await h.page.getByText('Nothing is waiting to be dispensed.').count()).toBe(0);
  });
});
