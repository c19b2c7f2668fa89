/** Local calendar dates for date inputs, in the user's own time zone. */

/** Today as YYYY-MM-DD in local time (the `min` of a date input). */
export function todayLocal(now: Date = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The last millisecond of a YYYY-MM-DD day in local time, or undefined for a bad date. */
export function endOfLocalDay(value: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(year, month - 1, day, 23, 59, 59, 999);
  return date.getDate() === day && date.getMonth() === month - 1 ? date : undefined;
}
