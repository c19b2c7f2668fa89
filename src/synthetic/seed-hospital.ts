/**
 * Fills an empty database with a synthetic hospital through the ordinary services (so every
 * value is encrypted, every credential hashed at production cost and every action in the
 * ledger, exactly as if people had done it): staff with key pairs, patients with care teams,
 * records of every type, a few grants and X-ray images.
 *
 * Cost: each patient needs two argon2id hashes (PIN and password; the generated recovery code is
 * a keyed HMAC). They run on libuv's threadpool, so patients are seeded by several pipelines at
 * once to keep every core hashing while the event loop does the (cheap) database and encryption
 * work, including one Paillier encryption per vitals record.
 */
import { Readable } from 'node:stream';
import { countUsers } from '../store/seed-repository.js';
import { AccessScope } from '../app/access/index.js';
import type { Actor } from '../app/actor.js';
import type { AppContext } from '../app/context.js';
import { conflict } from '../app/errors.js';
import { planImages, planPatient, planStaff, type SeedPlanOptions, type StaffPlan } from './seed-plan.js';
import { SeededRandom } from './seeded-random.js';
import type { SyntheticPerson } from './synthetic-people.js';
import { chestXrayPng } from './xray-image.js';

/** The services the seeder writes through. */
export type SeedServices = Pick<AppContext, 'store' | 'identity' | 'sharing' | 'records'>;

export interface SeedOptions extends SeedPlanOptions {
  /** How many chest X-rays get a generated image. */
  readonly images: number;
  /** Patients seeded at once (each runs its two hashes in parallel). */
  readonly concurrency: number;
  /** Called after each patient is complete, with how many are. */
  readonly onProgress?: (patientsDone: number) => void;
}

export interface SeededStaff extends StaffPlan {
  readonly userId: string;
  readonly keyId: string;
  readonly privateKeyPem: string;
}

export interface SeededPatient {
  readonly patientId: string;
  readonly person: SyntheticPerson;
}

export interface SeedReport {
  readonly staff: readonly SeededStaff[];
  /** In patient order. */
  readonly patients: readonly SeededPatient[];
  readonly records: Readonly<Record<string, number>>;
  readonly careTeamAssignments: number;
  readonly grants: number;
  readonly attachments: number;
}

/** @throws AppError conflict `database_not_empty` when any account exists already. */
export async function requireEmptyDatabase(app: Pick<AppContext, 'store'>): Promise<void> {
  if ((await countUsers(app.store.db)) > 0)
    throw conflict(
      'The database already has accounts; demo data is only ever seeded into an empty database (use a new --data-dir or database).',
      'database_not_empty',
    );
}

/** Creates staff accounts with fresh Ed25519 key pairs (in parallel: one hash each). */
export async function createStaff(
  app: Pick<AppContext, 'identity'>,
  plans: readonly StaffPlan[],
): Promise<SeededStaff[]> {
  return Promise.all(
    plans.map(async (p) => {
      const created = await app.identity.staffAccounts.createAsOperator({
        role: p.role,
        username: p.username,
        displayName: p.displayName,
        password: p.password,
        key: { generate: 'ed25519' },
      });
      return {
        ...p,
        userId: created.user.id,
        keyId: created.keyId,
        privateKeyPem: created.privateKeyPem ?? '',
      };
    }),
  );
}

/**
 * The access scope seeding acts in for `caller`: seeding writes through the ordinary services as
 * the people it invents would, each decision taken at the time it is made.
 */
export const seedingScope = (caller: Actor): AccessScope => AccessScope.following(caller, Date.now);

/** Uploads a PNG to an imaging record as the scope's caller. */
export async function attachImage(
  app: Pick<AppContext, 'records'>,
  scope: AccessScope,
  recordId: string,
  png: Buffer,
  fileName: string,
): Promise<void> {
  await app.records.attachments.upload(scope, recordId, () =>
    Promise.resolve({ fileName, contentType: 'image/png', content: Readable.from([png]) }),
  );
}

/** Seeds the hospital. The database must have no accounts. */
export async function seedHospital(app: SeedServices, options: SeedOptions): Promise<SeedReport> {
  await requireEmptyDatabase(app);
  const staff = await createStaff(app, planStaff(options));
  const actor = (s: SeededStaff): AccessScope => seedingScope({ userId: s.userId, role: s.role });
  const registrars = staff.filter((s) => s.role === 'registrar');
  const doctors = staff.filter((s) => s.role === 'doctor');
  const imageKeys = planImages(options, doctors.length, options.images);
  const patients: SeededPatient[] = new Array<SeededPatient>(options.patients);
  const records: Record<string, number> = {};
  let careTeamAssignments = 0;
  let grants = 0;
  let attachments = 0;
  let next = 0;
  let done = 0;
  let failed: unknown;

  const seedOne = async (index: number): Promise<void> => {
    const plan = planPatient(options, index, doctors.length);
    const registrar = actor(registrars[index % registrars.length] as SeededStaff);
    const { person } = plan;
    // Registration (identity only), then the patient's own enrolment with the slip's code.
    const { patientId, enrolmentCode } = await app.identity.patients.register(registrar, {
      ssn: person.ssn,
      fullName: person.fullName,
      dateOfBirth: person.dateOfBirth,
      smokingStatus: person.smokingStatus,
    });
    await app.identity.enrolment.activate({
      ssn: person.ssn,
      enrolmentCode,
      pin: person.pin,
      password: person.password,
    });
    patients[index] = { patientId, person };
    for (const d of plan.careTeam) {
      await app.sharing.careTeams.assign(registrar, patientId, (doctors[d] as SeededStaff).userId);
      careTeamAssignments++;
    }
    for (const [j, r] of plan.records.entries()) {
      const author = actor(doctors[r.author] as SeededStaff);
      const created = await app.records.records.create(author, patientId, {
        type: r.type,
        title: r.title,
        body: r.body,
        keywords: r.keywords,
      });
      records[r.type] = (records[r.type] ?? 0) + 1;
      if (r.image !== undefined && imageKeys.has(`${index}:${j}`)) {
        const png = chestXrayPng(r.image, SeededRandom.fromSeed(options.seed).fork(`image/${index}/${j}`));
        await attachImage(app, author, created.id, png, `chest-xray-${index + 1}-${j + 1}.png`);
        attachments++;
      }
    }
    if (plan.grant !== undefined) {
      await app.sharing.grants.create(seedingScope({ userId: patientId, role: 'patient' }), patientId, {
        doctorId: (doctors[plan.grant.doctor] as SeededStaff).userId,
        recordTypes: plan.grant.recordTypes,
      });
      grants++;
    }
  };

  const pipeline = async (): Promise<void> => {
    while (failed === undefined && next < options.patients) {
      const index = next++;
      try {
        await seedOne(index);
      } catch (err) {
        failed ??= err;
        return;
      }
      options.onProgress?.(++done);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(options.concurrency, options.patients)) }, pipeline),
  );
  if (failed !== undefined) throw failed;
  return { staff, patients, records, careTeamAssignments, grants, attachments };
}
