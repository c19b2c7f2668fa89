/**
 * Synthetic people for demo data: names, sex, dates of birth, SSNs from a range the Social
 * Security Administration never issues, smoking status and login secrets. Nothing here is a
 * real person; every value comes from a {@link SeededRandom}, so a seed reproduces it.
 */
import { checkPassword } from '../crypto/password-policy.js';
import type { SeededRandom } from './seeded-random.js';

export type Sex = 'female' | 'male';

export interface SyntheticPerson {
  readonly fullName: string;
  readonly sex: Sex;
  /** YYYY-MM-DD. */
  readonly dateOfBirth: string;
  /** Whole years on the as-of date. */
  readonly age: number;
  readonly ssn: string;
  readonly smokingStatus: 'never' | 'former' | 'current' | 'unknown';
  readonly pin: string;
  readonly password: string;
  /** Adult height in cm (children: their own), for plausible weights. */
  readonly heightCm: number;
}

const FEMALE = [
  'Amara',
  'Priya',
  'Sofia',
  'Mei',
  'Fatima',
  'Olivia',
  'Aisha',
  'Hannah',
  'Elena',
  'Grace',
  'Nadia',
  'Yuki',
  'Chloe',
  'Leila',
  'Ingrid',
  'Maria',
  'Zara',
  'Emma',
  'Ananya',
  'Lucia',
  'Noor',
  'Freya',
  'Kavya',
  'Isabel',
  'Ada',
  'Rosa',
  'Mina',
  'Clara',
  'Thandiwe',
  'Sara',
  'Ines',
  'Julia',
] as const;
const MALE = [
  'Omar',
  'Arjun',
  'Lucas',
  'Wei',
  'Kwame',
  'Daniel',
  'Mateo',
  'Hiroshi',
  'Samuel',
  'Ivan',
  'Rahul',
  'Tomas',
  'Elias',
  'Jamal',
  'Noah',
  'Felix',
  'Rohan',
  'Diego',
  'Liam',
  'Yusuf',
  'Anders',
  'Kenji',
  'Marco',
  'Vikram',
  'Leon',
  'David',
  'Ahmed',
  'Oscar',
  'Tariq',
  'Jonas',
  'Emil',
  'Ravi',
] as const;
const SURNAMES = [
  'Okafor',
  'Sharma',
  'Garcia',
  'Chen',
  'Mensah',
  'Novak',
  'Haddad',
  'Tanaka',
  'Lindqvist',
  'Rossi',
  'Kowalski',
  'Nguyen',
  'Patel',
  'Muller',
  'Silva',
  'Ibrahim',
  'Johansson',
  'Kim',
  'Fernandes',
  'Osei',
  'Dubois',
  'Iyer',
  'Costa',
  'Andersen',
  'Moreau',
  'Yilmaz',
  'Petrov',
  'Nakamura',
  'Reyes',
  'Mbeki',
  'Larsen',
  'Kaur',
  'Schmidt',
  'Hughes',
  'Ortiz',
  'Bianchi',
  'Suzuki',
  'Farouk',
  'Walsh',
  'Adeyemi',
  'Horvat',
  'Menon',
  'Quinn',
  'Sato',
  'Alvarez',
  'Berg',
  'Chowdhury',
  'Duarte',
  'Eze',
] as const;
/** Words for memorable passphrases (none is a common password on its own, all lower case). */
const WORDS = [
  'amber',
  'anchor',
  'apricot',
  'atlas',
  'basil',
  'beacon',
  'birch',
  'bramble',
  'canyon',
  'cedar',
  'cinder',
  'clover',
  'cobalt',
  'comet',
  'coral',
  'cypress',
  'delta',
  'ember',
  'fennel',
  'fjord',
  'garnet',
  'glacier',
  'harbour',
  'hazel',
  'heron',
  'indigo',
  'juniper',
  'kestrel',
  'lagoon',
  'lantern',
  'lichen',
  'linden',
  'magpie',
  'maple',
  'meadow',
  'mistral',
  'nutmeg',
  'oak',
  'orchid',
  'otter',
  'pebble',
  'pepper',
  'pinecone',
  'plover',
  'quarry',
  'quince',
  'raven',
  'reed',
  'saffron',
  'sage',
  'sparrow',
  'spruce',
  'summit',
  'tamarind',
  'thistle',
  'tundra',
  'umber',
  'velvet',
  'walnut',
  'willow',
  'yarrow',
  'zephyr',
] as const;

/**
 * SSNs of synthetic patients: area numbers 900–999, which the SSA has never issued as Social
 * Security numbers (they are reserved; 9xx is also the ITIN range), group 01–99, serial
 * 0001–9999. 98,990,100 values; patient i gets value (offset + i × stride) mod that, with a
 * stride coprime to it, so SSNs never repeat within one seed. (The demo hospital uses
 * 987-65-4320…4329, the range the SSA reserves for advertisements.)
 */
export const TEST_SSN_AREA = { from: 900, to: 999 } as const;
const SSN_SPACE = 100 * 99 * 9999;
const SSN_STRIDE = 1_000_003; // prime; SSN_SPACE = 2²·3⁴·5²·11²·101, so coprime

/** The i-th synthetic SSN of a seed's sequence (`offset` drawn once per seed). */
export function syntheticSsn(offset: number, index: number): string {
  const n = (offset + index * SSN_STRIDE) % SSN_SPACE;
  const area = TEST_SSN_AREA.from + Math.floor(n / (99 * 9999));
  const rest = n % (99 * 9999);
  const group = 1 + Math.floor(rest / 9999);
  const serial = 1 + (rest % 9999);
  return `${area}-${String(group).padStart(2, '0')}-${String(serial).padStart(4, '0')}`;
}

/** A random offset into the synthetic SSN sequence. */
export const ssnOffset = (rng: SeededRandom): number => rng.int(SSN_SPACE);

/** 3–4 words and a two-digit number, accepted by our password rules for `context`. */
export function passphrase(rng: SeededRandom, context: readonly string[] = []): string {
  for (;;) {
    const words = rng.sample(WORDS, rng.between(3, 4));
    const candidate = `${words.join('-')}-${rng.between(10, 99)}`;
    if (checkPassword(candidate, context).ok) return candidate;
  }
}

/** A 6-digit PIN that is not one digit repeated nor a straight run. */
export function pinCode(rng: SeededRandom): string {
  for (;;) {
    const pin = String(rng.int(1_000_000)).padStart(6, '0');
    if (!/^(\d)\1{5}$/.test(pin) && !'0123456789'.includes(pin) && !'9876543210'.includes(pin)) return pin;
  }
}

/** YYYY-MM-DD of a UTC epoch-ms time. */
export const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Parses a YYYY-MM-DD as UTC midnight (epoch ms). */
export const parseIsoDate = (date: string): number => Date.parse(`${date}T00:00:00Z`);

const YEAR_MS = 365.2425 * 86_400_000;

/** Whole years between a date of birth and `asOf` (both YYYY-MM-DD). */
export function ageOn(dateOfBirth: string, asOf: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [ay, am, ad] = asOf.split('-').map(Number) as [number, number, number];
  return ay - by - (am < bm || (am === bm && ad < bd) ? 1 : 0);
}

/** A person's age drawn from a roughly adult-heavy clinic population (0–97 years). */
function drawAge(rng: SeededRandom): number {
  const band = rng.weighted<[number, number]>([
    [[0, 4], 5],
    [[5, 17], 10],
    [[18, 39], 28],
    [[40, 64], 34],
    [[65, 97], 23],
  ]);
  return rng.between(band[0], band[1]);
}

/** Height in cm for age and sex (children grow; adults vary around a sex-specific mean). */
function drawHeight(rng: SeededRandom, age: number, sex: Sex): number {
  const adult = sex === 'female' ? rng.normal(163, 7) : rng.normal(177, 7.5);
  if (age >= 18) return Math.round(adult);
  const child = 50 + (adult - 50) * Math.min(1, Math.sqrt(age / 18) * 0.95 + (age >= 14 ? 0.05 : 0));
  return Math.round(Math.max(50, child));
}

/**
 * One synthetic person. `ssnOffset` and `index` give the SSN (unique per seed); `asOf` is the
 * date ages are counted to (dates of birth are never after it).
 */
export function syntheticPerson(
  rng: SeededRandom,
  asOf: string,
  ssnOffsetValue: number,
  index: number,
): SyntheticPerson {
  const sex: Sex = rng.chance(0.51) ? 'female' : 'male';
  const first = rng.pick(sex === 'female' ? FEMALE : MALE);
  const fullName = `${first} ${rng.pick(SURNAMES)}`;
  const age = drawAge(rng);
  // Born between (age + 1) years and age years before asOf, never on or after it.
  const asOfMs = parseIsoDate(asOf);
  const latest = asOfMs - age * YEAR_MS - 86_400_000;
  let dateOfBirth = isoDate(latest - rng.int(364) * 86_400_000);
  if (ageOn(dateOfBirth, asOf) !== age) dateOfBirth = isoDate(latest);
  const smokingStatus =
    age < 15
      ? 'never'
      : rng.weighted<SyntheticPerson['smokingStatus']>([
          ['never', 55],
          ['former', 24],
          ['current', 16],
          ['unknown', 5],
        ]);
  const ssn = syntheticSsn(ssnOffsetValue, index);
  return {
    fullName,
    sex,
    dateOfBirth,
    age: ageOn(dateOfBirth, asOf),
    ssn,
    smokingStatus,
    pin: pinCode(rng),
    password: passphrase(rng, [ssn, fullName, dateOfBirth]),
    heightCm: drawHeight(rng, age, sex),
  };
}

/** A staff member's name (display name is "Dr …" for doctors). */
export function syntheticStaffName(rng: SeededRandom): string {
  const sex: Sex = rng.chance(0.5) ? 'female' : 'male';
  return `${rng.pick(sex === 'female' ? FEMALE : MALE)} ${rng.pick(SURNAMES)}`;
}
