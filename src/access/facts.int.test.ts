/**
 * gatherFacts reads the employee's training, relations, own address and today's customers in one
 * statement; each fact is checked here on both engines against the rows that should produce it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/database.ts';
import type { StatementRequestTable } from '../store/schema.ts';
import { loadStaffPrincipal } from '../identity/principal.ts';
import { engines } from '../../test/engines.ts';
import { C, E, OFFICE_HOURS, seedTestBank } from '../../test/bank-fixture.ts';
import { gatherFacts, type RequestShape } from './facts.ts';

const SHAPE: RequestShape = { purpose: 'service_ticket', output: 'view', unmaskedFields: [], accountCount: 1, periodDays: 90, breakGlass: false };
const REF = { referenceValid: true, customerVerified: false, openTicketAssigned: true };
/** OFFICE_HOURS is 10:00 in Shanghai; the bank's day began at 16:00 UTC the day before. */
const TODAY = '2026-11-25T01:00:00.000Z';
const YESTERDAY = '2026-11-24T15:59:59.999Z';
const SIBLING = 'C-SIBLING';

describe.each(engines)('gatherFacts on $name', (engine) => {
  let store: Store;

  beforeAll(async () => {
    store = await openStore(await engine.freshUrl());
    await seedTestBank(store);
    const db = store.db;
    // teller2 (李丽) banks here as C.employee; 李强 lives at the same address.
    const home = await db.selectFrom('customers').select('address').where('id', '=', C.employee).executeTakeFirstOrThrow();
    await db.insertInto('customers').values({
      id: SIBLING, name: '李强', id_number: '310101199001011235', mobile: '13800138099', address: home.address, branch_id: 'SH01',
      segment: 'retail', relationship_manager_id: null, is_public_figure: 0, is_honeytoken: 0, employee_id: null, created_at: TODAY,
    }).execute();
    // An expired record beside a current one: the current one counts.
    await db.insertInto('training_records').values({
      id: 'TR-OLD', employee_id: E.teller, kind: 'attestation', completed_on: '2024-01-01', valid_until: '2025-01-01T00:00:00.000Z', recorded_at: TODAY,
    }).execute();
    const request = (id: string, customer: string, status: StatementRequestTable['status'], at: string): StatementRequestTable => ({
      id, employee_id: E.teller, customer_id: customer, account_ids: '[]', period_from: '2026-08-01', period_to: '2026-10-31',
      purpose: 'service_ticket', reference: 'T', output: 'view', unmask: '[]', status, decision: '{}', break_glass: 0,
      justification: null, legal_ack_at: null, created_at: at, expires_at: null,
    });
    await db.insertInto('statement_requests').values([
      request('SR-1', C.retail, 'allowed', TODAY),
      request('SR-2', C.retail, 'allowed', TODAY), // the same customer twice counts once
      request('SR-3', C.vip, 'pending_approval', TODAY),
      request('SR-4', C.aml, 'denied', TODAY), // refused: not an access
      request('SR-5', C.target, 'allowed', YESTERDAY), // before today
      request('SR-6', C.honeytoken, 'allowed', TODAY), // the customer asked about now: not counted
    ]).execute();
  });

  afterAll(async () => {
    await store?.close();
  });

  async function factsOf(employeeId: string, customerId: string) {
    const staff = await loadStaffPrincipal(store.db, employeeId, 'bearer');
    if (!staff) throw new Error(`no employee ${employeeId}`);
    const customer = await store.db.selectFrom('customers').selectAll().where('id', '=', customerId).executeTakeFirstOrThrow();
    return store.db.transaction().execute((tx) => gatherFacts(tx, staff, customer, SHAPE, REF, OFFICE_HOURS, 'Asia/Shanghai'));
  }

  it('counts the distinct other customers of today\'s requests that were not refused', async () => {
    const facts = await factsOf(E.teller, C.honeytoken);
    expect(facts.employee.distinctCustomersToday).toBe(2);
    expect((await factsOf(E.teller, C.retail)).employee.distinctCustomersToday).toBe(2); // vip, honeytoken
    expect((await factsOf(E.teller2, C.retail)).employee.distinctCustomersToday).toBe(0);
  });

  it('reads training and attestation as valid when any record of the kind is current', async () => {
    expect((await factsOf(E.teller, C.retail)).employee).toMatchObject({ trainingValid: true, attestationValid: true });
    expect((await factsOf(E.lapsed, C.retail)).employee).toMatchObject({ trainingValid: false, attestationValid: true });
  });

  it('finds declared relatives, the same surname at the same address, and the employee\'s own account', async () => {
    expect((await factsOf(E.teller, C.relative)).relationship).toEqual({ declaredRelative: true, sameSurnameAndAddress: false, isSelf: false });
    expect((await factsOf(E.teller2, SIBLING)).relationship).toEqual({ declaredRelative: false, sameSurnameAndAddress: true, isSelf: false });
    expect((await factsOf(E.teller2, C.employee)).relationship).toEqual({ declaredRelative: false, sameSurnameAndAddress: true, isSelf: true });
    expect((await factsOf(E.teller2, C.retail)).relationship).toEqual({ declaredRelative: false, sameSurnameAndAddress: false, isSelf: false });
    // The teller has no customer record of their own.
    expect((await factsOf(E.teller, SIBLING)).relationship.sameSurnameAndAddress).toBe(false);
  });
});
