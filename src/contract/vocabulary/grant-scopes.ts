/**
 * What a patient's sharing grant lets the doctor do with the records it covers: read them, or
 * read and write them (add records and attachments, prescribe). A grant reads only unless the
 * patient chose otherwise.
 */
export const GRANT_SCOPES = ['read', 'read_write'] as const;
export type GrantScope = (typeof GRANT_SCOPES)[number];
export const DEFAULT_GRANT_SCOPE: GrantScope = 'read';

export const isGrantScope = (value: unknown): value is GrantScope =>
  typeof value === 'string' && (GRANT_SCOPES as readonly string[]).includes(value);
