import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { daysInMonth, readCalendarDate, readDateWithin, SINCE_1990 } from './calendar-date.ts';
import { readStatementPeriod } from './statement-period.ts';
import { FlowguardError } from '../errors.ts';

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const ymd = (y: number, m: number, d: number) => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;

describe('readCalendarDate', () => {
  it('agrees with the Gregorian calendar for any year, month 00–19 and day 00–39', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 19 }), fc.integer({ min: 0, max: 39 }), (y, m, d) => {
        const reading = readCalendarDate(ymd(y, m, d));
        // Date.UTC reads years 0–99 as 1900–1999; setUTCFullYear does not.
        const at = new Date(0);
        at.setUTCFullYear(y, m - 1, d);
        const real = m >= 1 && m <= 12 && at.getUTCFullYear() === y && at.getUTCMonth() === m - 1 && at.getUTCDate() === d;
        expect(reading.ok).toBe(real);
        if (reading.ok) expect(reading.date.day * 86_400_000).toBe(at.getTime());
      }),
      { numRuns: 5000 },
    );
  });

  it('never throws on any string, and takes only YYYY-MM-DD', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 16 }), (text) => {
        const reading = readCalendarDate(text);
        if (reading.ok) expect(text).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        else expect(reading.why.length).toBeGreaterThan(5);
      }),
    );
  });

  it('says why a date is not one', () => {
    expect(readCalendarDate('2025-02-30')).toEqual({ ok: false, why: 'is not a day: February 2025 has days 01–28' });
    expect(readCalendarDate('2024-02-29').ok).toBe(true);
    expect(readCalendarDate('1900-02-29').ok).toBe(false);
    expect(readCalendarDate('2000-02-29').ok).toBe(true);
    expect(readCalendarDate('2025-13-01')).toEqual({ ok: false, why: 'has no month 13 (months run 01–12)' });
    expect(readCalendarDate('2025-1-01')).toEqual({ ok: false, why: 'is not a date written YYYY-MM-DD' });
    expect(readCalendarDate('２０２５-01-01').ok).toBe(false);
    expect(daysInMonth(2025, 4)).toBe(30);
  });

  it('keeps a date within its bounds', () => {
    expect(readDateWithin('1989-12-31', SINCE_1990, { date: '2026-11-25', beyond: 'late' })).toEqual({ ok: false, why: SINCE_1990.beyond });
    expect(readDateWithin('2026-11-26', SINCE_1990, { date: '2026-11-25', beyond: 'late' })).toEqual({ ok: false, why: 'late' });
    expect(readDateWithin('2026-11-25', SINCE_1990, { date: '2026-11-25', beyond: 'late' }).ok).toBe(true);
  });
});

describe('readStatementPeriod', () => {
  const today = '2026-11-25';
  const max = { days: 366, hint: 'Split it.' };
  const refusal = (period: { from: string; to: string }) => {
    try {
      readStatementPeriod(period, today, max);
    } catch (e) {
      expect(e).toBeInstanceOf(FlowguardError);
      expect((e as FlowguardError).code).toBe('invalid_period');
      return (e as FlowguardError).message;
    }
    return null;
  };

  it.each([
    [{ from: '2025-02-30', to: '2025-03-31' }, /start "2025-02-30" is not a day: February 2025 has days 01–28/],
    [{ from: '2025-02-31', to: '2025-02-28' }, /start "2025-02-31" is not a day/],
    [{ from: '2025-01-01', to: '2025-02-29' }, /end "2025-02-29" is not a day/],
    [{ from: '0000-01-01', to: '0000-03-01' }, /before 1990-01-01/],
    [{ from: '1970-01-01', to: '1970-03-01' }, /before 1990-01-01/],
    [{ from: '2099-01-01', to: '2099-03-01' }, /after today \(2026-11-25, bank time\): the period starts in the future/],
    [{ from: '2026-11-01', to: '2026-11-26' }, /end "2026-11-26" is after today/],
    [{ from: '2026-10-01', to: '2026-09-01' }, /ends \(2026-09-01\) before it starts \(2026-10-01\)/],
    [{ from: '2024-01-01', to: '2026-11-25' }, /spans 1060 days; it may cover at most 366 days\. Split it\./],
  ])('%j is refused: %s', (period, message) => {
    expect(refusal(period)).toMatch(message);
  });

  it('takes a leap day and a period reaching today', () => {
    expect(readStatementPeriod({ from: '2024-02-29', to: '2024-03-01' }, today, max).days).toBe(2);
    expect(readStatementPeriod({ from: '2026-11-25', to: '2026-11-25' }, today, max).days).toBe(1);
  });

  it('takes exactly the real, ordered, bounded periods (random dates and random strings)', () => {
    const someDate = fc.tuple(fc.integer({ min: 1985, max: 2030 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 })).map(([y, m, d]) => ymd(y, m, d));
    const anything = fc.oneof(someDate, someDate, fc.string({ maxLength: 12 }));
    fc.assert(
      fc.property(anything, anything, (from, to) => {
        const message = refusal({ from, to });
        const f = readCalendarDate(from);
        const t = readCalendarDate(to);
        const valid = f.ok && t.ok && from >= '1990-01-01' && to <= today && from <= to && t.date.day - f.date.day + 1 <= max.days;
        expect(message === null).toBe(valid);
        if (message !== null && !(f.ok && from >= '1990-01-01' && from <= today)) expect(message).toContain(JSON.stringify(from));
      }),
      { numRuns: 3000 },
    );
  });
});
