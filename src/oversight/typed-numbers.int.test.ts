import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../test/engines.ts';
import { startTestApp, type TestApp } from '../../test/app-harness.ts';
import { findFullNumbers, isLuhnValid } from '../privacy/full-numbers.ts';

const CARD = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => `622848041234567890${d}`).find(isLuhnValid)!;

describe('numbers typed into oversight screens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engines[0]!);
  });
  afterAll(async () => t.close());

  it('a card number typed as a record filter or a reveal reason is recorded masked, not refused', async () => {
    const analyst = await t.login('analyst');
    const search = await t.as(analyst).get(`/api/v1/oversight/audit-record?requestId=${CARD}`);
    expect(search.statusCode).toBe(200);
    const rows = await t.store.db.selectFrom('audit_entries').select('entry').where('action', '=', 'audit_record.searched').execute();
    expect(rows).toHaveLength(1);
    expect(findFullNumbers(rows[0]!.entry.toString('utf8'))).toEqual([]);
    expect(rows[0]!.entry.toString('utf8')).toContain('6228…');

    const reveal = await t.as(analyst).post('/api/v1/oversight/employees/P-TELLER/reveal', { reason: `客户报告卡号 ${CARD} 被查询` });
    expect(reveal.statusCode).toBe(200);
    const revealed = await t.store.db.selectFrom('audit_entries').select('entry').where('action', '=', 'employee.revealed').executeTakeFirstOrThrow();
    expect(findFullNumbers(revealed.entry.toString('utf8'))).toEqual([]);
  });
});
