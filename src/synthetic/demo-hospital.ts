/**
 * The demo hospital `npm start` seeds into an empty database, so a newcomer can sign in as every
 * role at once: staff with the MediCrypt prototype's usernames (and a registrar), each with a
 * fresh Ed25519 key pair whose private half is written to `<data dir>/demo-keys/` (0600),
 * four patients with records of every type, an X-ray image, a care team and a grant, and an
 * outpatient cohort of registered-but-not-enrolled patients with vitals (demo-cohort.ts).
 *
 * The passwords and PINs are fixed and published (README): this is for trying MedVault out,
 * never for real patients. It is only ever seeded when asked (`serve --demo`, MEDVAULT_DEMO=1)
 * and only into a database without any account.
 */
import type { StaffRole } from '../app/actor.js';
import { countUsers } from '../store/seed-repository.js';
import { CONDITIONS, type Condition } from './conditions-catalog.js';
import { DEMO_COHORT_SIZE, seedDemoCohort } from './demo-cohort.js';
import { writeStaffKeyFiles } from './demo-key-files.js';
import type { AppContext } from '../app/context.js';
import { attachImage, createStaff, seedingScope, type SeedServices } from './seed-hospital.js';
import { SeededRandom } from './seeded-random.js';
import { ageOn, type Sex, type SyntheticPerson } from './synthetic-people.js';
import { clinicalProfile, syntheticChestXray, syntheticRecord } from './synthetic-records.js';
import type { ClinicalProfile } from './synthetic-basics.js';
import { chestXrayPng } from './xray-image.js';
import type { AccessScope } from '../app/access/index.js';
import { signPrescriptionDraft } from '../app/prescriptions/index.js';
import type { WritableRecordType } from '../app/records/index.js';

export interface DemoStaff {
  readonly role: StaffRole;
  readonly username: string;
  readonly displayName: string;
  readonly password: string;
}

export interface DemoPatient {
  /** How the demo names this patient (patients sign in by SSN; this is only a label). */
  readonly label: string;
  readonly fullName: string;
  readonly ssn: string;
  readonly pin: string;
  readonly password: string;
  readonly dateOfBirth: string;
  readonly sex: Sex;
  readonly heightCm: number;
  readonly smokingStatus: 'never' | 'former' | 'current' | 'unknown';
  /** ICD-10 codes of the conditions their records are about. */
  readonly conditions: readonly string[];
}

/**
 * The staff of the demo hospital (usernames of the MediCrypt prototype, plus a registrar, a
 * second doctor and the outpatient clinic's doctor, whose care list is the statistics cohort).
 */
export const DEMO_STAFF: readonly DemoStaff[] = [
  {
    role: 'admin',
    username: 'mihir@admin.kmc.edu',
    displayName: 'Mihir Joshi',
    password: 'saffron-ledger-mountain-42',
  },
  {
    role: 'registrar',
    username: 'priya@registrar.kmc.edu',
    displayName: 'Priya Nair',
    password: 'monsoon-clipboard-river-17',
  },
  {
    role: 'doctor',
    username: 'omkar@doctor.kmc.edu',
    displayName: 'Dr Omkar Deshpande',
    password: 'tamarind-stethoscope-dawn-58',
  },
  {
    role: 'doctor',
    username: 'anjali@doctor.kmc.edu',
    displayName: 'Dr Anjali Menon',
    password: 'jasmine-scalpel-harbour-23',
  },
  {
    role: 'doctor',
    username: 'kavya@doctor.kmc.edu',
    displayName: 'Dr Kavya Shetty',
    password: 'banyan-otoscope-tide-61',
  },
  {
    role: 'pharmacist',
    username: 'sushmita@pharmacist.kmc.edu',
    displayName: 'Sushmita Rao',
    password: 'cardamom-mortar-lantern-64',
  },
];

/**
 * The demo patients. SSNs are 987-65-4320…4329, the block the Social Security Administration
 * reserves for advertisements (never issued to anyone).
 */
export const DEMO_PATIENTS: readonly DemoPatient[] = [
  {
    label: 'harsh@patient.kmc.edu',
    fullName: 'Harsh Kulkarni',
    ssn: '987-65-4320',
    pin: '260418',
    password: 'coconut-kite-evening-31',
    dateOfBirth: '1991-04-26',
    sex: 'male',
    heightCm: 174,
    smokingStatus: 'never',
    conditions: ['J18.9', 'J45.909', 'J30.9'],
  },
  {
    label: 'meera (patient)',
    fullName: 'Meera Iyer',
    ssn: '987-65-4321',
    pin: '731905',
    password: 'lotus-pebble-monsoon-85',
    dateOfBirth: '1958-09-12',
    sex: 'female',
    heightCm: 158,
    smokingStatus: 'former',
    conditions: ['E11.9', 'I10', 'E78.5'],
  },
  {
    label: 'rohan (patient)',
    fullName: 'Rohan Desai',
    ssn: '987-65-4322',
    pin: '482937',
    password: 'harbour-mango-quill-29',
    dateOfBirth: '1984-01-30',
    sex: 'male',
    heightCm: 180,
    smokingStatus: 'current',
    conditions: ['M54.5', 'F17.210'],
  },
  {
    label: 'ananya (patient)',
    fullName: 'Ananya Rao',
    ssn: '987-65-4323',
    pin: '615204',
    password: 'willow-cricket-saffron-76',
    dateOfBirth: '2016-06-05',
    sex: 'female',
    heightCm: 128,
    smokingStatus: 'never',
    conditions: ['H66.90', 'L20.9'],
  },
];

/** What the demo hospital writes through (the seeder's services, plus prescriptions). */
export type DemoServices = SeedServices & Pick<AppContext, 'prescriptions'>;

/** What was seeded, to print: credentials, key files and the recovery codes shown once. */
export interface DemoHospital {
  readonly staff: ReadonlyArray<DemoStaff & { readonly userId: string; readonly keyFile: string }>;
  readonly patients: ReadonlyArray<
    DemoPatient & { readonly patientId: string; readonly recoveryCode: string }
  >;
  readonly records: number;
  readonly prescriptions: number;
  /** Registered-but-not-enrolled outpatients with one vitals visit each (demo-cohort.ts). */
  readonly cohortPatients: number;
}

const EVERY_TYPE: readonly WritableRecordType[] = [
  'diagnosis',
  'lab_result',
  'vitals',
  'clinical_note',
  'allergy',
  'vaccination',
  'imaging',
];

function profileOf(
  p: DemoPatient,
  asOf: string,
  rng: SeededRandom,
): { person: SyntheticPerson; profile: ClinicalProfile } {
  const person: SyntheticPerson = {
    fullName: p.fullName,
    sex: p.sex,
    dateOfBirth: p.dateOfBirth,
    age: ageOn(p.dateOfBirth, asOf),
    ssn: p.ssn,
    smokingStatus: p.smokingStatus,
    pin: p.pin,
    password: p.password,
    heightCm: p.heightCm,
  };
  const base = clinicalProfile(rng.fork('baseline'), { ...person, smokingStatus: 'never' });
  const conditions = p.conditions.map((code) => CONDITIONS.find((c) => c.icd10 === code) as Condition);
  const effects = new Set(conditions.flatMap((c) => (c.effect === undefined ? [] : [c.effect])));
  return { person, profile: { conditions, effects, baseline: base.baseline } };
}

/**
 * Seeds the demo hospital if the database has no account yet; otherwise does nothing and
 * answers undefined (a database with users is never touched). Key files go to
 * `<dataDir>/demo-keys/`.
 */
export async function seedDemoHospital(
  app: DemoServices,
  options: { dataDir: string; asOf?: string; cohort?: number },
): Promise<DemoHospital | undefined> {
  if ((await countUsers(app.store.db)) > 0) return undefined;
  const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
  const rng = SeededRandom.fromSeed('medvault demo hospital');
  const created = await createStaff(app, DEMO_STAFF);
  const keyFiles = await writeStaffKeyFiles(options.dataDir, created);
  const byName = (username: string) => {
    const s = created.find((x) => x.username === username);
    if (s === undefined) throw new Error(`demo staff ${username} missing`);
    return seedingScope({ userId: s.userId, role: s.role });
  };
  const registrar = byName('priya@registrar.kmc.edu');
  const omkar = byName('omkar@doctor.kmc.edu');
  const anjali = byName('anjali@doctor.kmc.edu');
  const kavya = byName('kavya@doctor.kmc.edu');

  const registered = await Promise.all(
    DEMO_PATIENTS.map(async (p) => {
      // As at the desk: the registrar registers identity only and hands over the enrolment
      // code; the patient activates with it and chooses the published PIN and password.
      const { patientId, enrolmentCode } = await app.identity.patients.register(registrar, {
        ssn: p.ssn,
        fullName: p.fullName,
        dateOfBirth: p.dateOfBirth,
        smokingStatus: p.smokingStatus,
      });
      const { recoveryCode } = await app.identity.enrolment.activate({
        ssn: p.ssn,
        enrolmentCode,
        pin: p.pin,
        password: p.password,
      });
      return { ...p, patientId, recoveryCode };
    }),
  );
  let records = 0;
  for (const [i, p] of registered.entries()) {
    await app.sharing.careTeams.assign(registrar, p.patientId, omkar.userId);
    if (p.fullName === 'Rohan Desai')
      await app.sharing.careTeams.assign(registrar, p.patientId, anjali.userId);
    const own = rng.fork(`patient/${i}`);
    const { person, profile } = profileOf(p, asOf, own);
    // The first patient gets every type (and the X-ray image); the others a few each.
    const types = i === 0 ? EVERY_TYPE : EVERY_TYPE.filter((_, k) => (k + i) % 2 === 0);
    for (const [j, type] of types.entries()) {
      const recRng = own.fork(`record/${j}`);
      const planned =
        type === 'imaging'
          ? syntheticChestXray(recRng, profile)
          : syntheticRecord(recRng, type, person, profile, asOf);
      const record = await app.records.records.create(omkar, p.patientId, {
        type: planned.type,
        title: planned.title,
        body: planned.body,
        keywords: planned.keywords,
      });
      records++;
      if (planned.image !== undefined)
        await attachImage(
          app,
          omkar,
          record.id,
          chestXrayPng(planned.image, recRng.fork('image')),
          'chest-xray.png',
        );
    }
  }
  // Meera shares her lab results and vitals with a doctor outside her care team.
  const meera = registered.find((p) => p.fullName === 'Meera Iyer');
  if (meera !== undefined)
    await app.sharing.grants.create(
      seedingScope({ userId: meera.patientId, role: 'patient' }),
      meera.patientId,
      {
        doctorId: anjali.userId,
        recordTypes: ['lab_result', 'vitals'],
      },
    );
  // Dr Omkar signs Harsh's prescriptions with his key (as the browser would): Sushmita's queue.
  const omkarKey = created.find((s) => s.username === 'omkar@doctor.kmc.edu')?.privateKeyPem ?? '';
  const harsh = registered[0];
  let prescriptions = 0;
  if (harsh !== undefined) {
    for (const rx of HARSH_PRESCRIPTIONS) {
      if (await prescribe(app, omkar, omkarKey, harsh.patientId, rx)) prescriptions++;
    }
  }
  // The outpatient cohort: enough heart rates for a useful mean at ε = 0.5 on the statistics page.
  const cohortPatients = await seedDemoCohort(app, registrar, kavya, {
    size: options.cohort ?? DEMO_COHORT_SIZE,
    asOf,
    reservedSsns: new Set(DEMO_PATIENTS.map((p) => p.ssn)),
  });
  return {
    prescriptions,
    cohortPatients,
    staff: created.map((s) => ({
      role: s.role,
      username: s.username,
      displayName: s.displayName,
      password: s.password,
      userId: s.userId,
      keyFile: keyFiles.get(s.username) ?? '',
    })),
    patients: registered.map(({ patientId, recoveryCode, ...p }) => ({ ...p, patientId, recoveryCode })),
    records,
  };
}

interface DemoPrescription {
  readonly medicine: string;
  readonly strength: string;
  readonly dose: string;
  readonly route: 'oral' | 'inhalation';
  readonly frequency: string;
  readonly quantity: number;
  readonly refills: number;
  readonly instructions: string;
  /** The reason Dr Omkar gives when the prescribing checks warn (the pharmacist sees it). */
  readonly overrideReason?: string;
}

const HARSH_PRESCRIPTIONS: readonly DemoPrescription[] = [
  {
    medicine: 'Amoxicillin',
    strength: '500 mg',
    dose: '2 capsules (1 g)',
    route: 'oral',
    frequency: 'three times daily for 5 days',
    quantity: 30,
    refills: 0,
    instructions: 'For community-acquired pneumonia.\nFinish the course.',
    overrideReason:
      'Penicillin allergy was a mild childhood rash; tolerated amoxicillin since. Observe the first dose.',
  },
  {
    medicine: 'Salbutamol',
    strength: '100 mcg/actuation',
    dose: '2 puffs',
    route: 'inhalation',
    frequency: 'as needed for wheeze, up to four times daily',
    quantity: 1,
    refills: 2,
    instructions: 'Use a spacer.',
  },
];

/** Signs and submits one prescription; false when the catalogue has no such medicine. */
async function prescribe(
  app: DemoServices,
  doctor: AccessScope,
  privateKeyPem: string,
  patientId: string,
  rx: DemoPrescription,
): Promise<boolean> {
  const found = (await app.prescriptions.medicines.search(doctor, rx.medicine, 20)).find(
    (m) => m.genericName === rx.medicine && m.strength === rx.strength,
  );
  if (found === undefined) return false;
  // The prescribing checks, as the browser asks them before signing: warnings need a reason.
  const { warnings } = await app.prescriptions.prescriptions.check(doctor, patientId, found.id);
  if (warnings.length > 0 && rx.overrideReason === undefined) return false;
  const signed = signPrescriptionDraft(privateKeyPem, {
    patientId,
    medicine: { id: found.id, name: found.genericName, strength: found.strength, form: found.form },
    dose: rx.dose,
    route: rx.route,
    frequency: rx.frequency,
    quantity: rx.quantity,
    refills: rx.refills,
    instructions: rx.instructions,
    prescriberId: doctor.userId,
    ...(warnings.length > 0
      ? { override: { reason: rx.overrideReason, warnings: warnings.map((w) => w.message) } }
      : {}),
  });
  await app.prescriptions.prescriptions.sign(doctor, signed);
  return true;
}
