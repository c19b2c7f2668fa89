/** Characters of a medicines catalog search (part of a generic name). */
export const MAX_MEDICINE_QUERY = 100;
