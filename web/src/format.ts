/** Display helpers: dates and times in the browser's locale. */

export function formatDateTime(ms: number | null | undefined): string {
  if (ms === undefined || ms === null) return '—';
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDate(ms: number | null | undefined): string {
  if (ms === undefined || ms === null) return '—';
  return new Date(ms).toLocaleDateString(undefined, { dateStyle: 'medium' });
}

export function formatTime(ms: number | null | undefined): string {
  if (ms === undefined || ms === null) return '—';
  return new Date(ms).toLocaleTimeString(undefined, { timeStyle: 'short' });
}

/** "an imaging study", "a lab result": the indefinite article English gives a noun phrase. */
export function withArticle(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}
