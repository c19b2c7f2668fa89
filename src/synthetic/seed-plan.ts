/**
 * What `medvault seed` creates, decided before anything is written and only from the seed:
 * the staff, and for each patient their identity, secrets, care team, records and sharing.
 * Pure and deterministic: patient i's plan depends on (seed, i, options) alone, never on the
 * order in which concurrent work finishes, so the same seed gives the same hospital.
 */
import type { StaffRole } from '../app/actor.js';
import { SeededRandom } from './seeded-random.js';
import {
  passphrase,
  ssnOffset,
  syntheticPerson,
  syntheticStaffName,
  type SyntheticPerson,
} from './synthetic-people.js';
import {
  RECORD_TYPE_WEIGHTS,
  clinicalProfile,
  syntheticChestXray,
  syntheticRecord,
} from './synthetic-records.js';
import type { ClinicalProfile, PlannedRecord } from './synthetic-basics.js';
import type { RecordType } from '../app/sharing/index.js';
import { WRITABLE_RECORD_TYPES, type WritableRecordType } from '../app/records/index.js';

export interface SeedPlanOptions {
  readonly seed: string;
  readonly patients: number;
  readonly recordsPerPatient: number;
  /** YYYY-MM-DD: ages and record dates are counted back from this day. */
  readonly asOf: string;
}

export interface StaffPlan {
  readonly role: StaffRole;
  readonly username: string;
  readonly displayName: string;
  readonly password: string;
}

export interface PatientPlan {
  readonly index: number;
  readonly person: SyntheticPerson;
  readonly profile: ClinicalProfile;
  /** Index into the plan's doctors (the registrar is `index mod registrars`). */
  readonly careTeam: readonly number[];
  readonly records: ReadonlyArray<PlannedRecord & { readonly author: number }>;
  /** A patient sharing with a doctor outside their care team. */
  readonly grant?: { readonly doctor: number; readonly recordTypes?: readonly RecordType[] };
}

/** The staff of a hospital of `patients` patients: one doctor per ~400 patients (3 to 40). */
export function staffCounts(patients: number): Record<StaffRole, number> {
  return {
    admin: 1,
    registrar: Math.min(3, 1 + Math.floor(patients / 5000)),
    doctor: Math.min(40, Math.max(3, Math.ceil(patients / 400))),
    pharmacist: Math.min(4, 2 + Math.floor(patients / 5000)),
  };
}

export const SEED_EMAIL_DOMAIN = 'hospital.test';

export function planStaff(options: SeedPlanOptions): StaffPlan[] {
  const rng = SeededRandom.fromSeed(options.seed).fork('staff');
  const counts = staffCounts(options.patients);
  const out: StaffPlan[] = [];
  for (const role of ['admin', 'registrar', 'doctor', 'pharmacist'] as const) {
    for (let i = 1; i <= counts[role]; i++) {
      const number = role === 'admin' ? '' : role === 'doctor' ? String(i).padStart(2, '0') : String(i);
      const username = `${role}${number}@${SEED_EMAIL_DOMAIN}`;
      const own = rng.fork(username);
      const name = syntheticStaffName(own);
      out.push({
        role,
        username,
        displayName: role === 'doctor' ? `Dr ${name}` : name,
        password: passphrase(own, [username, name]),
      });
    }
  }
  return out;
}

/** The order in which the first seven records of the hospital take each type once. */
const FIRST_TYPES: readonly WritableRecordType[] = WRITABLE_RECORD_TYPES;

/** Patient `index`'s plan (`doctors` = how many doctors the staff plan has). */
export function planPatient(options: SeedPlanOptions, index: number, doctors: number): PatientPlan {
  const root = SeededRandom.fromSeed(options.seed);
  const offset = ssnOffset(root.fork('ssn'));
  const rng = root.fork(`patient/${index}`);
  const person = syntheticPerson(rng.fork('person'), options.asOf, offset, index);
  const profile = clinicalProfile(rng.fork('profile'), person);
  const primary = rng.int(doctors);
  const careTeam =
    rng.chance(0.25) && doctors > 1 ? [primary, (primary + 1 + rng.int(doctors - 1)) % doctors] : [primary];
  const records: Array<PlannedRecord & { author: number }> = [];
  let hasAllergy = false;
  for (let j = 0; j < options.recordsPerPatient; j++) {
    const global = index * options.recordsPerPatient + j;
    const recRng = rng.fork(`record/${j}`);
    let type: WritableRecordType =
      global < FIRST_TYPES.length
        ? (FIRST_TYPES[global] as WritableRecordType)
        : recRng.weighted(RECORD_TYPE_WEIGHTS);
    if (type === 'allergy' && hasAllergy) type = 'vitals';
    hasAllergy ||= type === 'allergy';
    // The hospital's first imaging study is always a chest X-ray, so there is an image to see.
    const record =
      type === 'imaging' && global < FIRST_TYPES.length
        ? syntheticChestXray(recRng, profile)
        : syntheticRecord(recRng, type, person, profile, options.asOf);
    records.push({ ...record, author: recRng.pick(careTeam) });
  }
  let grant: PatientPlan['grant'];
  const outside = [...Array(doctors).keys()].filter((d) => !careTeam.includes(d));
  if (outside.length > 0 && rng.chance(0.04)) {
    const doctor = rng.pick(outside);
    grant = rng.chance(0.5)
      ? {
          doctor,
          recordTypes: rng.sample(
            ['lab_result', 'vitals', 'imaging', 'diagnosis'] as const,
            rng.between(1, 2),
          ),
        }
      : { doctor };
  }
  return { index, person, profile, careTeam, records, ...(grant === undefined ? {} : { grant }) };
}

/**
 * Which records carry an X-ray image: the first `images` chest X-rays in patient order (keys
 * "patient:record"). Scans only as many patients as it needs.
 */
export function planImages(options: SeedPlanOptions, doctors: number, images: number): Set<string> {
  const chosen = new Set<string>();
  for (let i = 0; i < options.patients && chosen.size < images; i++) {
    planPatient(options, i, doctors).records.forEach((r, j) => {
      if (r.image !== undefined && chosen.size < images) chosen.add(`${i}:${j}`);
    });
  }
  return chosen;
}
