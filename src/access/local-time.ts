/** The bank's local clock: quotas reset at local midnight, off-hours rules read the local hour. */
export interface LocalTime { hour: number; weekday: number; date: string; dayStartUtc: string }

/**
 * Building an Intl.DateTimeFormat costs about 0.1 ms (a Date's toLocaleString builds one each call),
 * and every statement request reads the clock, so each zone's formatters are built once.
 */
interface Formatters {
  parts: Intl.DateTimeFormat;
  /** Exactly what `date.toLocaleString('en-US', { timeZone })` writes. */
  wallClock: Intl.DateTimeFormat;
}

const formatters = new Map<string, Formatters>();
const UTC = 'UTC';

function formattersFor(timeZone: string): Formatters {
  let f = formatters.get(timeZone);
  if (!f) {
    f = {
      parts: new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23', weekday: 'short' }),
      // toLocaleString with no date or time field asks for all six, numeric (ECMA-402 ToDateTimeOptions).
      wallClock: new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }),
    };
    formatters.set(timeZone, f);
  }
  return f;
}

export function localTime(now: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(formattersFor(timeZone).parts.formatToParts(now).map((p) => [p.type, p.value]));
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday!) + 1;
  return { hour: Number(parts.hour), weekday, date, dayStartUtc: new Date(Date.parse(`${date}T00:00:00Z`) - offsetMs(now, timeZone)).toISOString() };
}

function offsetMs(at: Date, timeZone: string): number {
  const local = new Date(formattersFor(timeZone).wallClock.format(at));
  const utc = new Date(formattersFor(UTC).wallClock.format(at));
  return local.getTime() - utc.getTime();
}
