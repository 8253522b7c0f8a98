import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { forgetDayStarts, localTime } from './local-time.ts';

/** The reading of an independent formatter, built per call: the reference. */
function reference(at: number, timeZone: string) {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23', weekday: 'long' }).formatToParts(at).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour), weekday: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'].indexOf(p.weekday!) + 1 };
}

describe('bank local time', () => {
  it('reads hour, weekday and the UTC start of the local day in Shanghai', () => {
    const t = localTime(new Date('2026-11-27T17:30:00Z'), 'Asia/Shanghai');
    expect(t).toEqual({ hour: 1, weekday: 6, date: '2026-11-28', dayStartUtc: '2026-11-27T16:00:00.000Z' });
  });

  it('starts the day at the midnight before a daylight-saving change, not at the offset after it', () => {
    // New York, 8 March 2026: clocks go from 02:00 EST to 03:00 EDT; the day began at 05:00 UTC.
    expect(localTime(new Date('2026-03-08T20:00:00Z'), 'America/New_York')).toMatchObject({ date: '2026-03-08', hour: 16, dayStartUtc: '2026-03-08T05:00:00.000Z' });
    // London, 25 October 2026: 02:00 BST becomes 01:00 GMT; the day began at 23:00 UTC the day before.
    expect(localTime(new Date('2026-10-25T12:00:00Z'), 'Europe/London')).toMatchObject({ date: '2026-10-25', hour: 12, dayStartUtc: '2026-10-24T23:00:00.000Z' });
  });

  it('starts the day at the first of two midnights where clocks go back over midnight (Havana, November)', () => {
    // Havana, 1 November 2026: 01:00 CDT becomes 00:00 CST, so midnight comes at 04:00 and again at
    // 05:00 UTC. The day began at the first, also when asked during the hour after the second.
    // (Found by the property below on a run under Node 24: the old code answered 05:00.)
    for (const at of ['2026-11-01T04:30:00Z', '2026-11-01T05:00:00Z', '2026-11-01T05:59:59Z', '2026-11-01T12:00:00Z']) {
      expect(localTime(new Date(at), 'America/Havana')).toMatchObject({ date: '2026-11-01', dayStartUtc: '2026-11-01T04:00:00.000Z' });
    }
    expect(localTime(new Date(2140664400000), 'America/Havana')).toMatchObject({ date: '2037-11-01', hour: 0, dayStartUtc: '2037-11-01T04:00:00.000Z' });
  });

  it('in any zone: hour, weekday and date as read now; the day starts at or before now, on that date, and the minute before is another day', () => {
    const zones = ['Asia/Shanghai', 'Asia/Hong_Kong', 'Europe/London', 'America/New_York', 'Australia/Lord_Howe', 'America/Santiago', 'America/Havana', 'UTC'];
    // Instants on whole seconds (as stored), from 2000 to 2040, and some right around the zones' changes.
    const instants = fc.oneof(
      fc.integer({ min: Date.parse('2000-01-01T00:00:00Z') / 1000, max: Date.parse('2040-01-01T00:00:00Z') / 1000 }).map((s) => s * 1000),
      fc.constantFrom('2026-03-08T07:30:00Z', '2026-09-06T04:00:00Z', '2026-04-05T03:59:59Z', '2026-03-08T05:00:00Z', '2026-10-04T06:30:00Z', '2026-11-01T05:00:00Z', '2026-11-01T05:30:00Z').map((s) => Date.parse(s)),
    );
    fc.assert(
      fc.property(instants, fc.constantFrom(...zones), (at, timeZone) => {
        const t = localTime(new Date(at), timeZone);
        expect({ date: t.date, hour: t.hour, weekday: t.weekday }).toEqual(reference(at, timeZone));
        const start = Date.parse(t.dayStartUtc);
        expect(start).toBeLessThanOrEqual(at);
        expect(reference(start, timeZone).date).toBe(t.date);
        expect(reference(start - 1, timeZone).date).not.toBe(t.date);
        expect(at - start).toBeLessThan(26 * 3_600_000);
      }),
      { numRuns: 600 },
    );
  });

  it('does not depend on the time zone of the server it runs on', () => {
    // Around London's change of 29 March 2026: a server there used to read Shanghai's day an hour off.
    const instants = Array.from({ length: 48 }, (_, i) => Date.parse('2026-03-28T12:00:00Z') + i * 3_600_000);
    const saved = process.env['TZ'];
    try {
      process.env['TZ'] = 'UTC';
      forgetDayStarts();
      const onUtcServer = instants.map((at) => localTime(new Date(at), 'Asia/Shanghai'));
      process.env['TZ'] = 'Europe/London';
      forgetDayStarts();
      expect(instants.map((at) => localTime(new Date(at), 'Asia/Shanghai'))).toEqual(onUtcServer);
      expect(onUtcServer.map((t) => t.dayStartUtc).every((s) => s.endsWith('T16:00:00.000Z'))).toBe(true);
    } finally {
      if (saved === undefined) delete process.env['TZ'];
      else process.env['TZ'] = saved;
    }
  });
});
