/**
 * The audit record's time filters, `from` and `to`, as an analyst types them: a day (`2026-11-25`,
 * the whole UTC day) or a UTC time (`2026-11-25T02:00:00Z`, seconds and milliseconds optional). Both
 * become the stored form of `created_at` (`toISOString()`), so the filter compares like with like.
 * A date that is not on the calendar is refused with 400 `invalid_request`, naming it.
 */
import { FlowguardError } from '../errors.ts';
import { LATEST_PLANNED_DATE, readDateWithin, SINCE_1990 } from './calendar-date.ts';

const TIME = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?Z)?$/;

const HINT = 'Give a day YYYY-MM-DD or a UTC time YYYY-MM-DDTHH:MM:SSZ, e.g. 2026-11-25 or 2026-11-25T02:00:00Z.';

/** One filter end, as the stored ISO string; a bare day starts (from) or ends (to) with that UTC day. */
export function readRecordTime(name: 'from' | 'to', text: string): string {
  const m = TIME.exec(text);
  const quoted = JSON.stringify(text.length > 30 ? `${text.slice(0, 30)}…` : text);
  if (!m) throw new FlowguardError('invalid_request', `The filter ${name} ${quoted} is not a day or a UTC time. ${HINT}`);
  const day = readDateWithin(m[1]!, SINCE_1990, { date: LATEST_PLANNED_DATE, beyond: `is after ${LATEST_PLANNED_DATE}, the latest date taken` });
  if (!day.ok) throw new FlowguardError('invalid_request', `The filter ${name} ${quoted}: ${m[1]} ${day.why}. ${HINT}`);
  if (m[2] === undefined) return `${m[1]}T${name === 'from' ? '00:00:00.000' : '23:59:59.999'}Z`;
  const [hour, minute, second] = [Number(m[2]), Number(m[3]), Number(m[4] ?? '0')];
  if (hour > 23 || minute > 59 || second > 59) throw new FlowguardError('invalid_request', `The filter ${name} ${quoted} is not a time of day (hours 00–23, minutes and seconds 00–59). ${HINT}`);
  const ms = (m[5] ?? '').padEnd(3, '0');
  return `${m[1]}T${m[2]}:${m[3]}:${m[4] ?? '00'}.${ms}Z`;
}

/** Both ends read; a range that ends before it starts is refused rather than answered with nothing. */
export function readRecordTimeRange(filter: { from?: string | undefined; to?: string | undefined }): { from?: string; to?: string } {
  const from = filter.from === undefined ? undefined : readRecordTime('from', filter.from);
  const to = filter.to === undefined ? undefined : readRecordTime('to', filter.to);
  if (from !== undefined && to !== undefined && to < from) {
    throw new FlowguardError('invalid_request', `The filter ends (to ${filter.to}) before it starts (from ${filter.from}).`);
  }
  return { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}
