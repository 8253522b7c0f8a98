import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../test/engines.ts';
import { startTestApp, type TestApp } from '../../test/app-harness.ts';
import { E, TYPED_CARD, TYPED_ID } from '../../test/bank-fixture.ts';
import { loadStaffPrincipal } from '../identity/principal.ts';
import { FlowguardError } from '../errors.ts';
import { findFullNumbers } from '../privacy/full-numbers.ts';
import { recordRefusal } from './refusals.ts';

const CARD = TYPED_CARD;
const ID = TYPED_ID;

describe.each(engines)('a refusal holding what was typed, on $name', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(async () => t.close());

  it('records a full number typed as customer or purpose masked, instead of failing to record at all', async () => {
    const staff = (await loadStaffPrincipal(t.store.db, E.teller, 'bearer'))!;
    await recordRefusal(t.ctx, staff, 'statement.refused', new FlowguardError('not_found', `No customer ${ID}.`), 'trace-1', { customerId: ID, purpose: `purpose ${CARD}` });
    const row = await t.store.db.selectFrom('audit_entries').select(['entry', 'customer_id']).where('action', '=', 'statement.refused').executeTakeFirstOrThrow();
    expect(row.customer_id).toBeNull();
    expect(findFullNumbers(row.entry.toString('utf8'))).toEqual([]);
    expect(JSON.parse(row.entry.toString('utf8')).detail.purpose).toBe(`purpose 6228…${CARD.slice(-2)}`);
  });
});
