import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../test/engines.ts';
import { openStore, type Store } from '../store/database.ts';
import { isFlowguardError } from '../errors.ts';
import { DEMO, NAMED_EMPLOYEES } from './demo-accounts.ts';
import { generateDemoBank, type DemoBankOptions } from './demo-bank.ts';
import { isSeeded, seedDemoBank, type SeedProgress } from './seed.ts';

const OPTIONS: DemoBankOptions = { seed: 11, customers: 120, days: 45, passwordHash: '$argon2id$v=19$demo', asOf: '2026-11-27T03:00:00.000Z' };

function expectedCounts(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const chunk of generateDemoBank(OPTIONS)) counts[chunk.table] = (counts[chunk.table] ?? 0) + chunk.rows.length;
  return counts;
}

describe.each(engines)('seedDemoBank on $name', (engine) => {
  let store: Store;
  const progress: SeedProgress[] = [];

  beforeAll(async () => {
    store = await openStore(await engine.freshUrl());
    expect(await isSeeded(store)).toBe(false);
    // Small commits and chunks so the test crosses transaction and statement boundaries.
    await seedDemoBank(store, { ...OPTIONS, rowsPerCommit: 5_000, transactionChunk: 1_500, customerBlock: 40, onProgress: (p) => progress.push(p) });
  });

  afterAll(async () => {
    await store?.close();
  });

  it('writes exactly the generated rows', async () => {
    const expected = expectedCounts();
    for (const [table, n] of Object.entries(expected)) {
      const row = await store.db.selectFrom(table as 'branches').select(store.db.fn.countAll().as('n')).executeTakeFirstOrThrow();
      expect([table, Number(row.n)]).toEqual([table, n]);
    }
    expect(await isSeeded(store)).toBe(true);
  });

  it('reports progress up to every customer', () => {
    expect(progress.length).toBeGreaterThan(5);
    expect(progress.at(-1)).toMatchObject({ customersDone: OPTIONS.customers, customersTotal: OPTIONS.customers });
  });

  it('stores the named demo accounts with their roles', async () => {
    const rows = await store.db.selectFrom('employees').select(['id', 'username', 'branch_id', 'bank_role', 'status', 'password_hash']).orderBy('id').execute();
    for (const n of NAMED_EMPLOYEES) {
      expect(rows.find((r) => r.username === n.username)).toMatchObject({ id: n.id, branch_id: n.branchId, bank_role: n.bankRole, status: 'active', password_hash: OPTIONS.passwordHash });
    }
    const roles = await store.db.selectFrom('employee_roles').selectAll().where('employee_id', 'in', [DEMO.employees.managerSh01, DEMO.employees.admin, DEMO.employees.admin2]).execute();
    expect(roles.map((r) => `${r.employee_id}:${r.role}`).sort()).toEqual(['E000004:approver', 'E000010:admin', 'E000011:admin']);
    const open = await store.db.selectFrom('service_tickets').selectAll()
      .where('customer_id', '=', DEMO.customers.retail).where('status', '=', 'open').where('kind', '=', 'counter_visit').execute();
    expect(open.map((t) => t.assigned_employee_id)).toContain(DEMO.employees.tellerSh01);
  });

  it('keeps running balances consistent in the database', async () => {
    const lines = await store.db.selectFrom('transactions').select(['account_id', 'amount_cents', 'balance_cents', 'posted_at'])
      .where('account_id', 'in', ['A00000011', 'A00000021', 'A00000031']).orderBy('id').execute();
    expect(lines.length).toBeGreaterThan(60);
    for (let i = 1; i < lines.length; i++) {
      const [prev, cur] = [lines[i - 1]!, lines[i]!];
      if (prev.account_id !== cur.account_id) continue;
      expect(cur.balance_cents).toBe(prev.balance_cents + cur.amount_cents);
      expect(cur.posted_at >= prev.posted_at).toBe(true);
    }
    const negative = await store.db.selectFrom('transactions').innerJoin('accounts', 'accounts.id', 'transactions.account_id')
      .select(store.db.fn.countAll().as('n')).where('accounts.kind', '!=', 'credit').where('transactions.balance_cents', '<', 0).executeTakeFirstOrThrow();
    expect(Number(negative.n)).toBe(0);
  });

  it('refuses to seed again, with a message a person can act on', async () => {
    let error: unknown;
    try {
      await seedDemoBank(store, OPTIONS);
    } catch (e) {
      error = e;
    }
    expect(isFlowguardError(error)).toBe(true);
    expect((error as Error).message).toMatch(/already holds bank data.*empty database/);
  });

  it('refuses a database holding any bank data, even without a manifest', async () => {
    const other = await openStore(await engine.freshUrl());
    try {
      await other.db.insertInto('branches').values({ id: 'X1', code: 'X1', name: '某支行', city: '上海' }).execute();
      expect(await isSeeded(other)).toBe(false);
      await expect(seedDemoBank(other, OPTIONS)).rejects.toThrow(/already holds bank data \(table branches is not empty\)/);
    } finally {
      await other.close();
    }
  });
});
