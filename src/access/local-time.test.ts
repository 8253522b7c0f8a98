import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localTime } from './local-time.ts';

describe('bank local time', () => {
  it('reads hour, weekday and the UTC start of the local day in Shanghai', () => {
    const t = localTime(new Date('2026-11-27T17:30:00Z'), 'Asia/Shanghai');
    expect(t).toEqual({ hour: 1, weekday: 6, date: '2026-11-28', dayStartUtc: '2026-11-27T16:00:00.000Z' });
  });

  it('formats the wall clock exactly as toLocaleString does, in any zone', () => {
    const zones = ['Asia/Shanghai', 'Asia/Hong_Kong', 'Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'UTC'];
    const instants = fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2040-01-01T00:00:00Z') }).map((ms) => new Date(ms));
    fc.assert(
      fc.property(instants, fc.constantFrom(...zones), (now, timeZone) => {
        expect(localTime(now, timeZone)).toEqual(uncached(now, timeZone));
      }),
      { numRuns: 300 },
    );
  });
});

/** localTime as first written, with a new formatter each call: the reference for the cached one. */
function uncached(now: Date, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23', weekday: 'short' })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const weekday = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday!) + 1;
  const offset = new Date(now.toLocaleString('en-US', { timeZone })).getTime() - new Date(now.toLocaleString('en-US', { timeZone: 'UTC' })).getTime();
  return { hour: Number(parts.hour), weekday, date, dayStartUtc: new Date(Date.parse(`${date}T00:00:00Z`) - offset).toISOString() };
}
