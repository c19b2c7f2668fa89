/**
 * Password rules after NIST SP 800-63B (rev. 4 §3.1.1.2; rev. 3 §5.1.1.2): a length floor and ceiling
 * counted in Unicode code points after NFC, any printable character (spaces and emoji
 * included), no composition rules (no "one digit, one symbol"), and a refusal of passwords that
 * are commonly used, expected or derived from the account's own identifiers.
 *
 * "Commonly used" is the bundled list (common-passwords.ts) plus what length rules push people
 * to: a listed password padded with digits or symbols ("Password1234!"), repeated
 * ("passwordpassword"), in simple leetspeak ("P@ssw0rd2024"), spaced out ("i love you 1234"),
 * and simple patterns: one repeated character, a short repeated group, or a walk along the
 * digits, the alphabet or a keyboard row ("123456789012", "qwerty123456").
 */
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../contract/vocabulary/credentials.js';
import { COMMON_PASSWORDS } from './common-passwords.js';

/** The length bounds are the contract's (the forms say them before anything is sent). */
export { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH };

/** Why a password was refused: a stable code for tests and the UI, beside the message. */
export type PasswordProblem = 'too-short' | 'too-long' | 'bad-characters' | 'context' | 'pattern' | 'common';

/** The outcome of {@link checkPassword}; `reason` tells the user what to do instead. */
export type PasswordCheck = { ok: true } | { ok: false; code: PasswordProblem; reason: string };

/** The messages, one per problem, written to be shown as they are. */
export const PASSWORD_REASONS: Readonly<Record<PasswordProblem, string>> = Object.freeze({
  'too-short': `Use at least ${MIN_PASSWORD_LENGTH} characters. A few unrelated words make a long password that is easy to remember.`,
  'too-long': `Use at most ${MAX_PASSWORD_LENGTH} characters.`,
  'bad-characters': 'Remove control characters such as tabs or line breaks from the password.',
  context: 'Do not use your username, SSN or a variation of it as your password. Choose something unrelated.',
  pattern:
    'This password is a simple pattern (repeated or sequential characters) and would be guessed quickly. Choose something less predictable, such as a few unrelated words.',
  common:
    'This password is too common and would be guessed quickly, even with digits or symbols added. Choose something less predictable, such as a few unrelated words.',
});

// Rows along which people "walk" to make up length; cyclic, so 9→0 and p→a continue a walk.
const WALKS = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', 'qwertyuiopasdfghjklzxcvbnm'];
// A password made of at most this many walks or runs of one character is a pattern.
const MAX_PATTERN_RUNS = 2;
// A repeated group this short ("abab…", "123412341234") is a pattern whatever the group is.
const MAX_PATTERN_UNIT = 4;
// Derived forms shorter than this are ignored: stripping must not reduce a password to a fragment.
const MIN_DERIVED_LENGTH = 3;
// A padded core at least this long that is itself a pattern ("xyzabc" in "839201xyzabc") is refused.
const MIN_PATTERN_CORE = 6;
const LEET: Record<string, string> = {
  '@': 'a',
  '4': 'a',
  '3': 'e',
  '1': 'i',
  '!': 'i',
  '0': 'o',
  $: 's',
  '5': 's',
  '7': 't',
};

/**
 * Checks a new password against the policy. `context` lists what the account is known by
 * (username, SSN, name): a password equal to one of them, or derived from one as above, is
 * refused. Pure and synchronous; the caller hashes the password only after `ok`.
 */
export function checkPassword(pw: string, context: readonly string[] = []): PasswordCheck {
  // A bound before normalising: NFC shrinks at most a few times, so this is far above the limit.
  if (typeof pw !== 'string') return refuse('too-short');
  if (pw.length > MAX_PASSWORD_LENGTH * 8) return refuse('too-long');
  const nfc = pw.normalize('NFC');
  // Lone surrogates cannot be stored faithfully as UTF-8; control characters are typing slips.
  if (/[\p{Cc}\p{Cs}]/u.test(nfc)) return refuse('bad-characters');
  const length = [...nfc].length;
  if (length < MIN_PASSWORD_LENGTH) return refuse('too-short');
  if (length > MAX_PASSWORD_LENGTH) return refuse('too-long');

  const lower = nfc.toLowerCase();
  const candidates = derivedForms(lower);
  const identifiers = context.flatMap(identifierForms);
  if (candidates.some((c) => identifiers.includes(c)) || builtFromIdentifiers(lower, context))
    return refuse('context');
  if (isPattern(lower)) return refuse('pattern');
  if (candidates.some((c) => COMMON_PASSWORDS.has(c) || (codePoints(c) >= MIN_PATTERN_CORE && isPattern(c))))
    return refuse('common');
  return { ok: true };
}

function refuse(code: PasswordProblem): PasswordCheck {
  return { ok: false, code, reason: PASSWORD_REASONS[code] };
}

/**
 * The base words a lower-cased password may have been made from: itself, without padding
 * (digits and symbols at either end), without separators or symbols, in de-leeted form, and
 * the group it repeats. Only forms of at least {@link MIN_DERIVED_LENGTH} code points are kept.
 */
function derivedForms(lower: string): string[] {
  const forms = new Set<string>([lower]);
  const add = (s: string): void => {
    if ([...s].length >= MIN_DERIVED_LENGTH) forms.add(s);
  };
  const trimmed = [
    lower.replace(/^[^\p{L}]+|[^\p{L}]+$/gu, ''), // "2024Password1234!" → "password"
    lower.replace(/[^\p{L}]+$/u, ''),
    lower.replace(/^[^\p{L}]+/u, ''),
    lower.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''), // "654321!!!!!!" → "654321"
  ];
  for (const s of trimmed) {
    add(s);
    add(s.replace(/[\s._-]+/g, ''));
    add(deleet(s));
  }
  add(lower.replace(/[^\p{L}\p{N}]+/gu, '')); // "p.a.s.s.w.o.r.d!" → "password"
  add(deleet(lower));
  for (const s of [...forms]) {
    const unit = repeatedUnit(s);
    if (unit !== undefined) {
      add(unit);
      add(unit.replace(/[^\p{L}\p{N}]+$/u, ''));
    }
  }
  return [...forms];
}

/** The forms of a context value that a password must not equal: as typed, and letters/digits only. */
function identifierForms(value: string): string[] {
  const lower = value.normalize('NFC').trim().toLowerCase();
  const alnum = lower.replace(/[^\p{L}\p{N}]+/gu, '');
  return [lower, alnum].filter((s) => [...s].length >= 3);
}

/**
 * True when the password is nothing but the account's identifiers and their words, in any order
 * and with any separators ("Ada Quill 1984-07-19", "quill.ada.1984"): what is left after removing
 * them has fewer than {@link MIN_DERIVED_LENGTH} letters or digits.
 */
function builtFromIdentifiers(lower: string, context: readonly string[]): boolean {
  const alnum = (s: string): string => s.replace(/[^\p{L}\p{N}]+/gu, '');
  const parts = context
    .flatMap((value) => {
      const v = value.normalize('NFC').toLowerCase();
      return [alnum(v), ...v.split(/[^\p{L}\p{N}]+/u)];
    })
    .filter((part) => codePoints(part) >= MIN_DERIVED_LENGTH)
    .sort((a, b) => b.length - a.length);
  if (parts.length === 0) return false;
  let rest = alnum(lower);
  for (const part of parts) rest = rest.split(part).join('');
  return codePoints(rest) < MIN_DERIVED_LENGTH;
}

function codePoints(s: string): number {
  return [...s].length;
}

function deleet(s: string): string {
  return [...s].map((ch) => LEET[ch] ?? ch).join('');
}

/** The shortest group `s` is two or more copies of, if any. */
function repeatedUnit(s: string): string | undefined {
  const period = (s + s).indexOf(s, 1);
  return period > 0 && period < s.length ? s.slice(0, period) : undefined;
}

/**
 * A repeated short group, or at most {@link MAX_PATTERN_RUNS} runs where each run steps by the
 * same amount (0, +1 or -1) along one of {@link WALKS} or repeats one character.
 */
function isPattern(s: string): boolean {
  const unit = repeatedUnit(s);
  if (unit !== undefined && [...unit].length <= MAX_PATTERN_UNIT) return true;
  return walkRuns(s) <= MAX_PATTERN_RUNS;
}

/** Number of maximal runs of a constant step, greedily from the left. */
function walkRuns(s: string): number {
  const chars = [...s];
  let runs = 0;
  let i = 0;
  while (i < chars.length) {
    runs++;
    let steps = stepsBetween(chars[i]!, chars[i + 1]);
    let j = i + 1;
    while (steps.length > 0 && j < chars.length - 1) {
      const next = stepsBetween(chars[j]!, chars[j + 1]);
      const common = steps.filter((st) => next.includes(st));
      if (common.length === 0) break;
      steps = common;
      j++;
    }
    i = steps.length > 0 ? j + 1 : i + 1;
  }
  return runs;
}

/** The steps ("same", "<walk>+" or "<walk>-") that lead from `a` to `b`. */
function stepsBetween(a: string, b: string | undefined): string[] {
  if (b === undefined) return [];
  if (a === b) return ['same'];
  const steps: string[] = [];
  WALKS.forEach((walk, w) => {
    const ia = walk.indexOf(a);
    const ib = walk.indexOf(b);
    if (ia < 0 || ib < 0) return;
    if ((ia + 1) % walk.length === ib) steps.push(`${w}+`);
    if ((ib + 1) % walk.length === ia) steps.push(`${w}-`);
  });
  return steps;
}
