/**
 * THE error catalogue: every error MedVault answers with has a stable code listed here, with its
 * kind (which fixes the HTTP status), a default message and when it happens. Services make
 * errors only from these codes (the type `ErrorCode` is closed), the HTTP layer maps the kind to
 * a status in one place, the clients read the code, and docs/errors.md is generated from this
 * table (`npm run docs:errors`; a test fails when the two disagree).
 *
 * Messages are safe to show to the caller: no secrets, no patient data, and for access failures
 * deliberately generic ("not found" also for what exists but is not yours).
 */

import { GENERAL_ERRORS } from './error-catalogue/general.js';
import { IDEMPOTENCY_ERRORS } from './error-catalogue/idempotency.js';
import { IDENTITY_ERRORS } from './error-catalogue/identity.js';
import { RECORDS_ERRORS } from './error-catalogue/records.js';
import { PRESCRIPTION_ERRORS } from './error-catalogue/prescriptions.js';
import { AUDIT_ERRORS } from './error-catalogue/audit.js';
import { APPROVAL_ERRORS } from './error-catalogue/approvals.js';
import { SECOND_FACTOR_ERRORS } from './error-catalogue/second-factors.js';
import { STATUS_BY_KIND, type ErrorEntry } from './error-kinds.js';

export { STATUS_BY_KIND, type ErrorArea, type ErrorEntry, type ErrorKind } from './error-kinds.js';

export const ERROR_CATALOGUE = {
  ...GENERAL_ERRORS,
  ...IDEMPOTENCY_ERRORS,
  ...IDENTITY_ERRORS,
  ...RECORDS_ERRORS,
  ...PRESCRIPTION_ERRORS,
  ...AUDIT_ERRORS,
  ...APPROVAL_ERRORS,
  ...SECOND_FACTOR_ERRORS,
} as const satisfies Readonly<Record<string, ErrorEntry>>;

/** Every stable error code MedVault uses. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

export const isErrorCode = (value: string): value is ErrorCode => Object.hasOwn(ERROR_CATALOGUE, value);

/** The HTTP status of a code. */
export const statusOf = (code: ErrorCode): number => STATUS_BY_KIND[ERROR_CATALOGUE[code].kind];

/** The error answer's body: `{ "error": { "code", "message" } }`. */
export interface ApiErrorBody {
  readonly error: { readonly code: string; readonly message: string };
}
