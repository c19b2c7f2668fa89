import type { TSchema } from '@sinclair/typebox';

/**
 * What shows who a patient is, as the contract's answer schemas name it: a property with one of
 * these keys, or a `patient` object (the prescription views' `{id, name}`). Used both ways: to
 * find routes whose answers carry identity (test/contract/patient-identity-routes.test.ts) and
 * the patients a real answer shows (the authorization matrix checks each is ledgered).
 */
export const IDENTITY_KEYS: ReadonlySet<string> = new Set([
  'fullName',
  'dateOfBirth',
  'maskedSsn',
  'patientDateOfBirth',
  'patient',
]);

/** The paths (`/patients/[]/fullName`) at which a schema carries patient identity. */
export function identityPaths(schema: TSchema, at = ''): string[] {
  const out: string[] = [];
  const props = (schema as { properties?: Record<string, TSchema> }).properties;
  if (props !== undefined)
    for (const [key, value] of Object.entries(props)) {
      if (IDENTITY_KEYS.has(key)) out.push(`${at}/${key}`);
      out.push(...identityPaths(value, `${at}/${key}`));
    }
  const list = (schema as { items?: TSchema }).items;
  if (list !== undefined) out.push(...identityPaths(list, `${at}/[]`));
  for (const part of [
    ...((schema as { anyOf?: TSchema[] }).anyOf ?? []),
    ...((schema as { oneOf?: TSchema[] }).oneOf ?? []),
  ])
    out.push(...identityPaths(part, at));
  return out;
}

/**
 * The ids of the patients a JSON answer shows: the `id` of every object that carries a name,
 * birth date or SSN digits, and of every `patient` object.
 */
export function patientsShown(body: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown, key: string | null): void => {
    if (Array.isArray(v)) {
      for (const x of v) walk(x, null);
      return;
    }
    if (typeof v !== 'object' || v === null) return;
    const o = v as Record<string, unknown>;
    const identifies = key === 'patient' || ['fullName', 'dateOfBirth', 'maskedSsn'].some((k) => k in o);
    if (identifies && typeof o['id'] === 'string') out.add(o['id']);
    for (const [k, x] of Object.entries(o)) walk(x, k);
  };
  walk(body, null);
  return out;
}
