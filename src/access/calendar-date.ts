/**
 * Calendar dates typed by people — statement periods, the portal's statement filter, training
 * records, the audit record's filters — read by one parser, so 2025-02-30 or year 0000 is refused
 * everywhere with a message that names the date and says why. Pure arithmetic on the proleptic
 * Gregorian calendar (ISO 8601): no Date object, which reads years 0–99 as 1900–1999.
 */

/** A day as `YYYY-MM-DD` and as days since 1970-01-01, for arithmetic. */
export interface CalendarDay { text: string; day: number }

/**
 * Statement sources hold nothing from before 1990, so an earlier date is a slip of the keyboard
 * (0000, or 1970 from a zero timestamp) rather than a request anyone can answer.
 */
export const EARLIEST_STATEMENT_DATE = '1990-01-01';

/** The far end for dates that are not statement periods (a training valid until…): nothing is planned past 2099. */
export const LATEST_PLANNED_DATE = '2099-12-31';

const SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/** Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, dayOfMonth: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + dayOfMonth - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export type DateReading = { ok: true; date: CalendarDay } | { ok: false; why: string };

/** Reads `YYYY-MM-DD` as a real calendar day, or says in words why it is not one. */
export function readCalendarDate(text: string): DateReading {
  const m = SHAPE.exec(text);
  if (!m) return { ok: false, why: 'is not a date written YYYY-MM-DD' };
  const [year, month, dayOfMonth] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12) return { ok: false, why: `has no month ${m[2]} (months run 01–12)` };
  const last = daysInMonth(year, month);
  if (dayOfMonth < 1 || dayOfMonth > last) return { ok: false, why: `is not a day: ${MONTHS[month - 1]} ${m[1]} has days 01–${last}` };
  return { ok: true, date: { text, day: daysFromCivil(year, month, dayOfMonth) } };
}

/** One end of the range a date must lie in, and what to say when it lies beyond it. */
export interface DateBound { date: string; beyond: string }

/** The earliest date Flowguard takes for a statement or a record of the past. */
export const SINCE_1990: DateBound = { date: EARLIEST_STATEMENT_DATE, beyond: `is before ${EARLIEST_STATEMENT_DATE}, the earliest date taken` };

/** Reads a real calendar day within [earliest, latest] (both ends valid `YYYY-MM-DD`), or says why not. */
export function readDateWithin(text: string, earliest: DateBound, latest: DateBound): DateReading {
  const reading = readCalendarDate(text);
  if (!reading.ok) return reading;
  // Both are YYYY-MM-DD here, so text order is calendar order.
  if (text < earliest.date) return { ok: false, why: earliest.beyond };
  if (text > latest.date) return { ok: false, why: latest.beyond };
  return reading;
}

/** Whole days from `from` to `to`, both counted. */
export function daysCounted(from: CalendarDay, to: CalendarDay): number {
  return to.day - from.day + 1;
}
