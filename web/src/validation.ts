/**
 * Client-side checks for the login forms. They give quick, specific feedback; the server checks
 * everything again and its answer is what counts.
 */

const SSN_PATTERN = /^\d{3}-\d{2}-\d{4}$/;
const PIN_PATTERN = /^\d{6}$/;

/** Accepts "123-45-6789", "123456789" or "123 45 6789"; returns ###-##-#### or the trimmed input. */
export function normaliseSsn(input: string): string {
  const trimmed = input.trim();
  const digits = trimmed.replace(/[\s-]/g, '');
  if (/^\d{9}$/.test(digits)) return `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`;
  return trimmed;
}

export function ssnError(ssn: string): string | undefined {
  if (ssn.trim() === '') return 'Enter your Social Security number.';
  return SSN_PATTERN.test(normaliseSsn(ssn)) ? undefined : 'Enter the SSN as ###-##-#### (9 digits).';
}

export function pinError(pin: string): string | undefined {
  if (pin === '') return 'Enter your PIN.';
  return PIN_PATTERN.test(pin) ? undefined : 'The PIN is exactly 6 digits.';
}

export function requiredError(value: string, message: string): string | undefined {
  return value.trim() === '' ? message : undefined;
}

/** Field name → message, only for fields that failed. */
export type FieldErrors<K extends string> = Partial<Record<K, string>>;

export function hasErrors<K extends string>(errors: FieldErrors<K>): boolean {
  return Object.values(errors).some((message) => message !== undefined);
}
