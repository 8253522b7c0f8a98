/**
 * A statement period as a person types it: two real calendar days, from 1990-01-01 to today in the
 * bank's time zone (a statement holds only days that have begun), ending on or after it starts, no
 * longer than the caller allows. Refused whole with 422 `invalid_period`, naming the bad date.
 */
import { FlowguardError } from '../errors.ts';
import { daysCounted, EARLIEST_STATEMENT_DATE, readDateWithin, SINCE_1990, type CalendarDay } from './calendar-date.ts';

export interface StatementPeriod { from: CalendarDay; to: CalendarDay; days: number }

/** How a typed date is quoted back: as JSON, and never longer than a date. */
function quoted(text: string): string {
  return JSON.stringify(text.length > 20 ? `${text.slice(0, 20)}…` : text);
}

/**
 * @param today the bank's local date (`localTime(now, timeZone).date`), the last day a period may reach
 * @param maxDays the longest period allowed, with a hint on what to do when it is longer
 */
export function readStatementPeriod(period: { from: string; to: string }, today: string, maxDays: { days: number; hint: string }): StatementPeriod {
  const example = `{"from":"${EARLIEST_STATEMENT_DATE}","to":"${today}"}`;
  const from = readDateWithin(period.from, SINCE_1990, { date: today, beyond: `is after today (${today}, bank time): the period starts in the future` });
  if (!from.ok) throw new FlowguardError('invalid_period', `The period's start ${quoted(period.from)} ${from.why}. Give real dates YYYY-MM-DD from ${EARLIEST_STATEMENT_DATE} to today, e.g. ${example}.`);
  const to = readDateWithin(period.to, SINCE_1990, { date: today, beyond: `is after today (${today}, bank time): a statement holds only days that have begun` });
  if (!to.ok) throw new FlowguardError('invalid_period', `The period's end ${quoted(period.to)} ${to.why}. Give real dates YYYY-MM-DD from ${EARLIEST_STATEMENT_DATE} to today, e.g. ${example}.`);
  const days = daysCounted(from.date, to.date);
  if (days < 1) throw new FlowguardError('invalid_period', `The period ends (${period.to}) before it starts (${period.from}).`);
  if (days > maxDays.days) throw new FlowguardError('invalid_period', `The period spans ${days} days; it may cover at most ${maxDays.days} days. ${maxDays.hint}`);
  return { from: from.date, to: to.date, days };
}
