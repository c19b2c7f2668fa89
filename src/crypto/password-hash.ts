/**
 * Credential verifiers for passwords and 6-digit PINs (secrets people choose): argon2id (RFC 9106) over
 * a peppered pre-hash, with at least the parameters OWASP ASVS 5.0 (V11.4.2) accepts, from the
 * OWASP Password Storage Cheat Sheet: m = 46 MiB, t = 1, p = 1.
 *
 * Input to argon2id:
 *
 *     HMAC-SHA256(pepper, purpose label || 0x00 || UTF-8(NFC(secret)))
 *
 * - The pepper is a 32-byte keyring secret that is never in the database. A 6-digit PIN has only
 *   10^6 values; argon2id alone would let a thief of the database try them all offline in a few
 *   CPU-hours. Without the pepper the stolen verifier cannot be tested against any guess.
 * - The purpose label ("medvault/credential/v1/password", ".../pin") makes a
 *   verifier of one kind useless as another: a PIN verifier copied into a password column does
 *   not verify the PIN as a password. Labels contain no 0x00, so the encoding is unambiguous.
 * - NFC (Unicode normalisation form C) makes the same typed password verify whichever way the
 *   keyboard composed its accents (NIST SP 800-63B §5.1.1.2).
 * - Why HMAC rather than argon2's own `secret` input: the HMAC also binds the purpose, and keeps
 *   the stored string a plain argon2id PHC string that any argon2 implementation can check.
 *
 * Stored format (ASCII, at most {@link MAX_STORED_LENGTH} characters):
 *
 *     mv1$p<pepper version><argon2 PHC string>
 *     mv1$p1$argon2id$v=19$m=47104,t=1,p=1$<salt, 16 bytes>$<hash, 32 bytes>
 *
 * `mv1` is this format's version; `p<N>` names the pepper version (decimal, no leading zeros),
 * and the PHC string (which starts with its own `$`) names the algorithm, argon2 version 0x13,
 * memory in KiB, passes, lanes, then salt and hash in unpadded standard base64. Only argon2id
 * version 19 is accepted; anything else is malformed.
 *
 * Cost and concurrency: the `argon2` package runs each hash on libuv's threadpool (a native async
 * worker), never on the event loop; at most UV_THREADPOOL_SIZE (default 4) run at once, each
 * holding `m` KiB of memory, and the rest queue. The HMAC pre-hash is microseconds.
 */
import { createHmac, randomBytes } from 'node:crypto';
import argon2 from 'argon2';

/** What a secret is for; bound into the verifier so one kind never verifies as another. */
export type SecretPurpose = 'password' | 'pin';

/** A versioned pepper: a secret of the keyring, never stored beside the verifiers. */
export interface Pepper {
  /** Positive integer named in every verifier it keys. */
  version: number;
  /** At least 32 random bytes. */
  key: Buffer;
}

/** argon2id cost parameters (RFC 9106 §3.1). */
export interface Argon2Params {
  /** Memory in KiB (argon2 `m`). */
  memoryCost: number;
  /** Passes over memory (argon2 `t`). */
  timeCost: number;
  /** Lanes (argon2 `p`). */
  parallelism: number;
}

/** The OWASP minimum for argon2id (ASVS 5.0 V11.4.2): m = 47104 KiB (46 MiB), t = 1, p = 1. */
export const DEFAULT_ARGON2_PARAMS: Readonly<Argon2Params> = Object.freeze({
  memoryCost: 47_104,
  timeCost: 1,
  parallelism: 1,
});

/** What the current configuration considers strong enough; older verifiers are upgraded. */
export interface RehashPolicy {
  /** The pepper version new verifiers are keyed with. */
  pepperVersion: number;
  /** The parameters new verifiers use; defaults to {@link DEFAULT_ARGON2_PARAMS}. */
  params?: Argon2Params;
}

/** Outcome of {@link verifySecret}. */
export interface VerifyResult {
  ok: boolean;
  /** True only together with `ok`: re-hash the secret with current parameters and pepper now. */
  needsRehash: boolean;
  /** Why a verifier could not be checked at all (for logs; never shown to the user). */
  problem?: 'malformed' | 'unknown-pepper-version';
}

/** Looks up a pepper by the version a verifier names; undefined (or a throw) when unknown. */
export type PepperLookup = (version: number) => Buffer | undefined;

/** Upper bound on a stored verifier, checked before any parsing. */
export const MAX_STORED_LENGTH = 512;

const FORMAT_TAG = 'mv1';
const SALT_BYTES = 16;
const HASH_BYTES = 32;
const MIN_PEPPER_BYTES = 32;
// Bounds on parameters read back from the database: a corrupted or planted row must not make one
// login allocate gigabytes or run for minutes. Far above any sensible setting.
const MAX_MEMORY_KIB = 1_048_576; // 1 GiB
const MAX_TIME_COST = 16;
const MAX_PARALLELISM = 16;
const MAX_PEPPER_VERSION = 0x7fff_ffff;
const ARGON2_VERSION = 0x13;

const LABELS: Record<SecretPurpose, string> = {
  password: 'medvault/credential/v1/password',
  pin: 'medvault/credential/v1/pin',
};

const STORED_RE =
  /^mv1\$p([1-9][0-9]{0,9})(\$argon2id\$v=19\$m=([1-9][0-9]{0,9}),t=([1-9][0-9]{0,9}),p=([1-9][0-9]{0,9})\$([A-Za-z0-9+/]{11,86})\$([A-Za-z0-9+/]{22,86}))$/;

interface ParsedVerifier {
  pepperVersion: number;
  /** The PHC part, as handed to argon2.verify. */
  phc: string;
  params: Argon2Params;
  saltBytes: number;
  hashBytes: number;
}

/**
 * Hashes a secret into a stored verifier (format in the module comment), with a fresh random
 * 16-byte salt, so two hashes of one secret differ.
 *
 * @param params Production passes the defaults (or stronger). Weaker values are accepted for
 *   tests and benchmarks only; {@link verifySecret} reports them as needing a rehash.
 * @throws RangeError on an invalid pepper or parameters, TypeError on a secret that is not
 *   well-formed Unicode (a lone surrogate): programmer errors, not user input.
 */
export async function hashSecret(
  secret: string,
  purpose: SecretPurpose,
  pepper: Pepper,
  params: Argon2Params = DEFAULT_ARGON2_PARAMS,
): Promise<string> {
  assertPepper(pepper);
  assertParams(params);
  // A lone surrogate would be encoded as U+FFFD, so two different strings would share a verifier.
  if (hasLoneSurrogate(secret)) throw new TypeError('secret is not well-formed Unicode');
  const phc = await argon2.hash(prehash(secret, purpose, pepper.key), {
    type: argon2.argon2id,
    version: ARGON2_VERSION,
    memoryCost: params.memoryCost,
    timeCost: params.timeCost,
    parallelism: params.parallelism,
    hashLength: HASH_BYTES,
    salt: randomBytes(SALT_BYTES),
  });
  return `${FORMAT_TAG}$p${pepper.version}${phc}`;
}

/**
 * Checks a secret against a stored verifier. Never throws on a malformed or unknown verifier: the
 * answer is `{ ok: false }`, after the same argon2 work as a real check (so a broken row does not
 * stand out by its timing).
 *
 * `needsRehash` is true (only when `ok`) if the verifier's memory or passes are below the
 * current parameters, its salt or hash is shorter than ours, or its pepper version is older than
 * `current.pepperVersion`: the caller re-hashes the secret it just verified and stores the new
 * verifier, so parameters and pepper upgrade on the next successful login. Lanes (`p`) do not
 * count: with fixed `m` and `t` they do not change an attacker's cost per guess.
 */
export async function verifySecret(
  stored: string,
  secret: string,
  purpose: SecretPurpose,
  peppers: PepperLookup,
  current: RehashPolicy,
): Promise<VerifyResult> {
  const wanted = current.params ?? DEFAULT_ARGON2_PARAMS;
  const parsed = parseVerifier(stored);
  if (parsed === undefined) {
    await burn(purpose, wanted);
    return { ok: false, needsRehash: false, problem: 'malformed' };
  }
  const pepper = lookupPepper(peppers, parsed.pepperVersion);
  if (pepper === undefined) {
    await burn(purpose, wanted);
    return { ok: false, needsRehash: false, problem: 'unknown-pepper-version' };
  }
  const ok = await checkParsed(parsed, secret, purpose, pepper);
  const needsRehash =
    ok &&
    (parsed.pepperVersion < current.pepperVersion ||
      parsed.params.memoryCost < wanted.memoryCost ||
      parsed.params.timeCost < wanted.timeCost ||
      parsed.saltBytes < SALT_BYTES ||
      parsed.hashBytes < HASH_BYTES);
  return { ok, needsRehash };
}

/**
 * Spends what a real {@link verifySecret} spends, and always fails: call it when the account
 * (e.g. the SSN) does not exist, so the response time does not tell whether it does (OWASP ASVS
 * V6, user enumeration). It runs the same code path (parse, HMAC, argon2id verify) against a
 * random verifier with the given parameters.
 *
 * Equal only to verifiers with the same parameters: a not-yet-upgraded verifier with weaker
 * parameters answers faster until its next successful login upgrades it.
 */
export async function dummyVerify(
  purpose: SecretPurpose,
  pepper: Pepper,
  params: Argon2Params = DEFAULT_ARGON2_PARAMS,
): Promise<void> {
  assertPepper(pepper);
  assertParams(params);
  const stored = randomVerifier(pepper.version, params);
  await verifySecret(stored, randomBytes(8).toString('hex'), purpose, () => pepper.key, {
    pepperVersion: pepper.version,
    params,
  });
}

/** The pepper version a verifier names, or undefined when it is malformed. */
export function pepperVersionOf(stored: string): number | undefined {
  return parseVerifier(stored)?.pepperVersion;
}

function prehash(secret: string, purpose: SecretPurpose, pepper: Buffer): Buffer {
  return createHmac('sha256', pepper)
    .update(LABELS[purpose], 'utf8')
    .update(Buffer.of(0))
    .update(secret.normalize('NFC'), 'utf8')
    .digest();
}

async function checkParsed(
  parsed: ParsedVerifier,
  secret: string,
  purpose: SecretPurpose,
  pepper: Buffer,
): Promise<boolean> {
  // An ill-formed secret still pays for the argon2 run (equal timing), but can never succeed.
  const wellFormed = !hasLoneSurrogate(secret);
  try {
    const match = await argon2.verify(parsed.phc, prehash(secret, purpose, pepper));
    return match && wellFormed;
  } catch {
    return false;
  }
}

/** Work equal to a verify when there is no usable verifier. */
async function burn(purpose: SecretPurpose, params: Argon2Params): Promise<void> {
  const parsed = parseVerifier(randomVerifier(1, params));
  if (parsed !== undefined) await checkParsed(parsed, '', purpose, randomBytes(MIN_PEPPER_BYTES));
}

function randomVerifier(pepperVersion: number, params: Argon2Params): string {
  const b64 = (n: number): string => randomBytes(n).toString('base64').replace(/=+$/, '');
  const { memoryCost: m, timeCost: t, parallelism: p } = params;
  return `${FORMAT_TAG}$p${pepperVersion}$argon2id$v=19$m=${m},t=${t},p=${p}$${b64(SALT_BYTES)}$${b64(HASH_BYTES)}`;
}

function parseVerifier(stored: string): ParsedVerifier | undefined {
  if (typeof stored !== 'string' || stored.length > MAX_STORED_LENGTH) return undefined;
  const match = STORED_RE.exec(stored);
  if (match === null) return undefined;
  const [, version, phc, m, t, p, salt, hash] = match;
  const params = { memoryCost: Number(m), timeCost: Number(t), parallelism: Number(p) };
  const pepperVersion = Number(version);
  if (pepperVersion > MAX_PEPPER_VERSION || !paramsInRange(params)) return undefined;
  const saltBytes = canonicalB64Length(salt!);
  const hashBytes = canonicalB64Length(hash!);
  // RFC 9106 §3.1: salt at least 8 bytes; we never wrote hashes shorter than 16.
  if (saltBytes === undefined || saltBytes < 8 || hashBytes === undefined || hashBytes < 16) return undefined;
  return { pepperVersion, phc: phc!, params, saltBytes, hashBytes };
}

/** Byte length of unpadded standard base64, or undefined unless it is the canonical encoding. */
function canonicalB64Length(text: string): number | undefined {
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64').replace(/=+$/, '') === text ? bytes.length : undefined;
}

function paramsInRange({ memoryCost, timeCost, parallelism }: Argon2Params): boolean {
  return (
    Number.isSafeInteger(memoryCost) &&
    Number.isSafeInteger(timeCost) &&
    Number.isSafeInteger(parallelism) &&
    parallelism >= 1 &&
    parallelism <= MAX_PARALLELISM &&
    timeCost >= 1 &&
    timeCost <= MAX_TIME_COST &&
    // RFC 9106 §3.1: m >= 8p.
    memoryCost >= 8 * parallelism &&
    memoryCost <= MAX_MEMORY_KIB
  );
}

function lookupPepper(peppers: PepperLookup, version: number): Buffer | undefined {
  try {
    const key = peppers(version);
    return Buffer.isBuffer(key) && key.length >= MIN_PEPPER_BYTES ? key : undefined;
  } catch {
    return undefined;
  }
}

function assertPepper(pepper: Pepper): void {
  if (!Number.isSafeInteger(pepper.version) || pepper.version < 1 || pepper.version > MAX_PEPPER_VERSION)
    throw new RangeError('pepper version must be a positive integer');
  if (!Buffer.isBuffer(pepper.key) || pepper.key.length < MIN_PEPPER_BYTES)
    throw new RangeError(`pepper must be at least ${MIN_PEPPER_BYTES} bytes`);
}

function assertParams(params: Argon2Params): void {
  if (!paramsInRange(params)) throw new RangeError('argon2 parameters out of range');
}

function hasLoneSurrogate(text: string): boolean {
  // With the u flag a surrogate pair is one code point; only an unpaired half matches Cs.
  return /\p{Cs}/u.test(text);
}
