/**
 * The demo hospital's outpatient cohort: patients registered at the desk who have not enrolled
 * yet (so no PIN or password exists and no argon2id hash is paid), each in the care of the
 * outpatient clinic's doctor with one vitals visit. It is what makes the statistics page useful
 * on the demo: with a few hundred heart rates, a mean at ε = 0.5 lands within a few beats per
 * minute of the truth (docs/analytics.md, "Too small a cohort", has the arithmetic), where the four named
 * patients alone give noise.
 *
 * Cost per patient: registration (three envelope seals, an enrolment code's HMAC), a care-team
 * row and one vitals record (its envelope, keyword tokens and one Paillier encryption whose
 * obfuscator comes from the pool), with their ledger entries. Several pipelines run at once so the
 * ledger's group commit and the obfuscator pool's refill overlap with the database work.
 */
import type { AccessScope } from '../app/access/index.js';
import type { SeedServices } from './seed-hospital.js';
import { SeededRandom } from './seeded-random.js';
import { ssnOffset, syntheticPerson } from './synthetic-people.js';
import { clinicalProfile, syntheticRecord } from './synthetic-records.js';

/** Patients of the outpatient cohort `serve --demo` seeds. */
export const DEMO_COHORT_SIZE = 300;

/** Pipelines writing cohort patients at once. */
const CONCURRENCY = 8;

export interface DemoCohortOptions {
  readonly size: number;
  /** YYYY-MM-DD: ages and visit dates count back from this day. */
  readonly asOf: string;
  /** SSNs the cohort must not take (the named demo patients'). */
  readonly reservedSsns: ReadonlySet<string>;
}

/**
 * Registers `size` patients (without enrolling them) with `registrar`, puts each in `doctor`'s
 * care and has `doctor` record one vitals visit for each. Deterministic in everything but ids.
 * @returns how many patients were written.
 */
export async function seedDemoCohort(
  app: SeedServices,
  registrar: AccessScope,
  doctor: AccessScope,
  options: DemoCohortOptions,
): Promise<number> {
  const root = SeededRandom.fromSeed('medvault demo cohort');
  const offset = ssnOffset(root.fork('ssn'));
  let next = 0;
  let written = 0;
  const seedOne = async (index: number): Promise<void> => {
    const rng = root.fork(`patient/${index}`);
    const person = syntheticPerson(rng.fork('person'), options.asOf, offset, index);
    if (options.reservedSsns.has(person.ssn)) return;
    const { patientId } = await app.identity.patients.register(registrar, {
      ssn: person.ssn,
      fullName: person.fullName,
      dateOfBirth: person.dateOfBirth,
      smokingStatus: person.smokingStatus,
    });
    await app.sharing.careTeams.assign(registrar, patientId, doctor.userId);
    const profile = clinicalProfile(rng.fork('profile'), person);
    const visit = syntheticRecord(rng.fork('vitals'), 'vitals', person, profile, options.asOf);
    await app.records.records.create(doctor, patientId, {
      type: visit.type,
      title: visit.title,
      body: visit.body,
      keywords: visit.keywords,
    });
    written++;
  };
  const pipeline = async (): Promise<void> => {
    while (next < options.size) await seedOne(next++);
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, options.size) }, pipeline));
  return written;
}
