/**
 * The medical record number (MRN): a patient's short human identifier, assigned at registration,
 * unique in the hospital, printed on the registration slip and shown in the patient banner.
 *
 * Format (decision, docs/patient-search.md): eight digits, the first never 0, the last a Luhn
 * (mod 10) check digit over the other seven — shown as two groups of four ("4821 3307") so it
 * reads aloud as "four eight two one, three three zero seven". Luhn catches every single wrong
 * digit and every swap of two neighbouring digits except 09↔90; that is the typing mistake a
 * clerk makes, and one check digit keeps the number short (mod 97 would cost two). Spaces and
 * dashes typed between the digits are ignored.
 */
export const MRN_LENGTH = 8;

/** Input as typed may carry spaces or dashes between groups: at most this many characters. */
export const MAX_MRN_INPUT = 16;

/** The Luhn check digit of a string of digits (the digit to append). */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  // From the right of the payload, every other digit (starting with the rightmost) is doubled.
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** The MRN made of a seven-digit body (first digit 1–9) and its check digit. */
export function mrnOf(body: string): string {
  if (!/^[1-9][0-9]{6}$/.test(body)) throw new RangeError('an MRN body is seven digits, the first not 0');
  return `${body}${luhnCheckDigit(body)}`;
}

/**
 * The canonical MRN (eight digits) of what someone typed, or null when it is not one: wrong
 * length, letters, a leading 0, or a check digit that does not match (a mistyped digit).
 */
export function normaliseMrn(input: string): string | null {
  if (typeof input !== 'string' || input.length > MAX_MRN_INPUT) return null;
  const digits = input.replace(/[\s-]/g, '');
  if (!/^[1-9][0-9]{7}$/.test(digits)) return null;
  return luhnCheckDigit(digits.slice(0, 7)) === Number(digits[7]) ? digits : null;
}

/** "48213307" → "4821 3307", for people to read (slips, the banner). */
export function formatMrn(mrn: string): string {
  return mrn.length === MRN_LENGTH ? `${mrn.slice(0, 4)} ${mrn.slice(4)}` : mrn;
}
