/**
 * Page sizes of the paged lists: the default a route uses when the caller names none and the
 * most it answers at once. A caller wanting everything follows `nextCursor` (the client's
 * `all`), so no bound here ever hides a row.
 */

export const DEFAULT_RECORD_PAGE = 50;
export const MAX_RECORD_PAGE = 100;
export const DEFAULT_SEARCH_PAGE = 20;
export const MAX_SEARCH_PAGE = 50;
export const DEFAULT_ACCESS_LOG_PAGE = 50;
export const MAX_ACCESS_LOG_PAGE = 100;
export const DEFAULT_PATIENT_PAGE = 50;
export const MAX_PATIENT_PAGE = 100;
export const DEFAULT_QUEUE_PAGE = 50;
export const MAX_QUEUE_PAGE = 100;
export const MAX_AUDIT_PAGE = 200;
export const DEFAULT_MEDICINE_RESULTS = 20;
export const MAX_MEDICINE_RESULTS = 50;
