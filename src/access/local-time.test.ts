import { describe, expect, it } from 'vitest';
import { localTime } from './local-time.ts';

describe('bank local time', () => {
  it('reads hour, weekday and the UTC start of the local day in Shanghai', () => {
    const t = localTime(new Date('2026-11-27T17:30:00Z'), 'Asia/Shanghai');
    expect(t).toEqual({ hour: 1, weekday: 6, date: '2026-11-28', dayStartUtc: '2026-11-27T16:00:00.000Z' });
  });
});
