/**
 * Bank days. Customers live on China Standard Time (UTC+8, no daylight saving since 1991), so a
 * statement day is a Beijing calendar day; the store keeps every instant as an ISO-8601 UTC string.
 * Days are handled as integers (days since 1970-01-01) to keep the transaction generator fast.
 */

export const MS_PER_DAY = 86_400_000;
/** China Standard Time is UTC+8 all year. */
const CST_OFFSET_MS = 8 * 3_600_000;

/** 'YYYY-MM-DD' → day number. Throws on anything that is not a real calendar date. */
export function parseDay(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`"${date}" is not a YYYY-MM-DD date`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new RangeError(`"${date}" is not a calendar date`);
  }
  return ms / MS_PER_DAY;
}

/** Day number → 'YYYY-MM-DD'. */
export function formatDay(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The Beijing calendar day of an instant. */
export function beijingDay(instant: Date): number {
  return Math.floor((instant.getTime() + CST_OFFSET_MS) / MS_PER_DAY);
}

/** The UTC instant (ms) of a Beijing day plus a local time of day in seconds. */
export function beijingInstantMs(day: number, secondOfDay: number): number {
  return day * MS_PER_DAY - CST_OFFSET_MS + secondOfDay * 1000;
}

/** ISO-8601 UTC string of a Beijing day and local second of day. */
export function beijingIso(day: number, secondOfDay: number): string {
  return new Date(beijingInstantMs(day, secondOfDay)).toISOString();
}

/** Year, month (1–12) and day of month of a day number. */
export function dayParts(day: number): { year: number; month: number; dayOfMonth: number } {
  const d = new Date(day * MS_PER_DAY);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, dayOfMonth: d.getUTCDate() };
}

/** Day number of the first day of a month (month 1–12; overflow rolls into the next year). */
export function monthStart(year: number, month: number): number {
  return Date.UTC(year, month - 1, 1) / MS_PER_DAY;
}

/** A calendar month clipped to a period, as the transaction generator walks it. */
export interface MonthSlice {
  year: number;
  month: number;
  /** First day of the month (may lie before the period). */
  first: number;
  /** Days in the month. */
  length: number;
  /** The part of the month inside the period: [from, to). */
  from: number;
  to: number;
}

/** The calendar months that overlap [from, to), each clipped to the period. */
export function monthsOf(from: number, to: number): MonthSlice[] {
  const out: MonthSlice[] = [];
  let { year, month } = dayParts(from);
  for (;;) {
    const first = monthStart(year, month);
    if (first >= to) break;
    const next = monthStart(year, month + 1);
    out.push({ year, month, first, length: next - first, from: Math.max(first, from), to: Math.min(next, to) });
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return out;
}
