/** The bank's local clock: quotas reset at local midnight, off-hours rules read the local hour. */
export interface LocalTime { hour: number; weekday: number; date: string; dayStartUtc: string }

/**
 * Building an Intl.DateTimeFormat costs about 0.1 ms, and every statement request reads the clock,
 * so each zone's formatter is built once. Everything is read from its parts: nothing depends on the
 * time zone of the server Flowguard runs on.
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', weekday: 'short' });
    formatters.set(timeZone, f);
  }
  return f;
}

interface Wall { date: string; weekday: number; hour: number; /** The wall-clock reading as if it were UTC, in ms. */ asUtc: number }

function wallClock(at: number, timeZone: string): Wall {
  const p: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(at)) p[part.type] = part.value;
  const [year, month, day, hour] = [Number(p['year']), Number(p['month']), Number(p['day']), Number(p['hour'])];
  return {
    date: `${p['year']}-${p['month']}-${p['day']}`,
    weekday: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(p['weekday']!) + 1,
    hour,
    asUtc: Date.UTC(year, month - 1, day, hour, Number(p['minute']), Number(p['second'])),
  };
}

/** The zone's offset from UTC at `at` (ms), from the wall-clock reading then. */
function offsetAt(at: number, timeZone: string): number {
  return wallClock(at, timeZone).asUtc - Math.floor(at / 1000) * 1000;
}

export function localTime(now: Date, timeZone: string): LocalTime {
  const at = now.getTime();
  const wall = wallClock(at, timeZone);
  return { hour: wall.hour, weekday: wall.weekday, date: wall.date, dayStartUtc: new Date(dayStart(at, wall, timeZone)).toISOString() };
}

/** The bank's wall-clock date and time of an instant (seconds kept), as printed on a statement. */
export function localDateTime(at: Date, timeZone: string): { date: string; time: string } {
  const wall = new Date(wallClock(at.getTime(), timeZone).asUtc).toISOString();
  return { date: wall.slice(0, 10), time: wall.slice(11, 19) };
}

/** A local day starts at the same instant however often it is asked: remembered per zone and date. */
const dayStarts = new Map<string, number>();
const DAY_STARTS_KEPT = 256;

/** Forgets the remembered day starts, for tests that change the zone the process runs in. */
export function forgetDayStarts(): void {
  dayStarts.clear();
}

function dayStart(at: number, wall: Wall, timeZone: string): number {
  const key = `${timeZone} ${wall.date}`;
  let start = dayStarts.get(key);
  if (start === undefined) {
    start = firstInstantOfDay(at, wall, timeZone);
    if (dayStarts.size >= DAY_STARTS_KEPT) dayStarts.clear();
    dayStarts.set(key, start);
  }
  return start;
}

/**
 * The instant the local day of `at` began: local midnight less the offset in force at midnight,
 * which differs from the offset now when daylight saving changed since midnight. A candidate counts
 * only if the instant before it is another day: where clocks go back over midnight (Havana in
 * November), midnight comes twice and the day began at the first. Where neither candidate is the
 * first instant of the day (clocks that skip or repeat midnight), the start is found by stepping back
 * a minute at a time: rare, remembered, and at most a day of steps.
 */
function firstInstantOfDay(at: number, wall: Wall, timeZone: string): number {
  const midnight = Date.parse(`${wall.date}T00:00:00Z`);
  const offsetNow = wall.asUtc - Math.floor(at / 1000) * 1000;
  const startsTheDay = (instant: number) =>
    instant <= at && wallClock(instant, timeZone).date === wall.date && wallClock(instant - 1, timeZone).date !== wall.date;
  const withOffsetNow = midnight - offsetNow;
  if (startsTheDay(withOffsetNow)) return withOffsetNow;
  const withOffsetThen = midnight - offsetAt(withOffsetNow, timeZone);
  if (startsTheDay(withOffsetThen)) return withOffsetThen;
  let start = Math.floor(at / 60_000) * 60_000;
  while (wallClock(start - 60_000, timeZone).date === wall.date) start -= 60_000;
  return start;
}
