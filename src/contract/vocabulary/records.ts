/**
 * Bounds of a record's clear fields, checked by the server's schema and service and said by the
 * forms before anything is sent. No dependencies: the browser bundle imports these very values.
 */

/** Characters of a record title. */
export const MAX_TITLE_LENGTH = 200;
/** Search keywords a record may be indexed under. */
export const MAX_KEYWORDS = 20;
/** Characters of one (normalised) search keyword, in a record and in a search. */
export const MAX_KEYWORD_LENGTH = 60;
