/** The bank's local clock: quotas reset at local midnight, off-hours rules read the local hour. */
export interface LocalTime { hour: number; weekday: number; date: string; dayStartUtc: string }

export function localTime(now: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23', weekday: 'short' })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday!) + 1;
  return { hour: Number(parts.hour), weekday, date, dayStartUtc: new Date(Date.parse(`${date}T00:00:00Z`) - offsetMs(now, timeZone)).toISOString() };
}

function offsetMs(at: Date, timeZone: string): number {
  const local = new Date(at.toLocaleString('en-US', { timeZone }));
  const utc = new Date(at.toLocaleString('en-US', { timeZone: 'UTC' }));
  return local.getTime() - utc.getTime();
}
