import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TYPED_CARD } from '../../test/bank-fixture.ts';
import { engines } from '../../test/engines.ts';
import { startTestApp, type TestApp } from '../../test/app-harness.ts';
import { findFullNumbers } from '../privacy/full-numbers.ts';

const CARD = TYPED_CARD;

describe.each(engines)('numbers typed into oversight screens on $name', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(async () => t.close());

  it('a card number typed as a record filter or a reveal reason is refused (422) and the refusal recorded masked', async () => {
    const analyst = await t.login('analyst');
    const search = await t.as(analyst).get(`/api/v1/oversight/audit-record?requestId=${CARD}`);
    expect(search.statusCode).toBe(422);
    expect(search.json()).toMatchObject({ code: 'personal_number_in_field', field: 'requestId', kind: 'card' });

    const reveal = await t.as(analyst).post('/api/v1/oversight/employees/P-TELLER/reveal', { reason: `客户报告卡号 ${CARD} 被查询` });
    expect(reveal.statusCode).toBe(422);
    expect(reveal.json()).toMatchObject({ code: 'personal_number_in_field', field: 'reason', kind: 'card' });
    expect(await t.store.db.selectFrom('audit_entries').select('seq').where('action', 'in', ['audit_record.searched', 'employee.revealed']).execute()).toEqual([]);

    const refusals = await t.store.db.selectFrom('audit_entries').select('entry').where('action', '=', 'request.refused').orderBy('seq').execute();
    expect(refusals.map((r) => JSON.parse(r.entry.toString('utf8')).detail)).toEqual([
      expect.objectContaining({ route: '/api/v1/oversight/audit-record', field: 'requestId', kind: 'card', masked: '6228…' + CARD.slice(-2) }),
      expect.objectContaining({ route: '/api/v1/oversight/employees/:pseudonym/reveal', field: 'reason', kind: 'card', masked: '6228…' + CARD.slice(-2) }),
    ]);
    for (const r of refusals) expect(findFullNumbers(r.entry.toString('utf8'))).toEqual([]);
  });
});
