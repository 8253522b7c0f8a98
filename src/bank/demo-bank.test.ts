import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Insertable } from 'kysely';
import type { Database } from '../store/schema.ts';
import { isFlowguardError } from '../errors.ts';
import { isLuhnValid } from './card-number.ts';
import { DEMO, MIN_CUSTOMERS, NAMED_CUSTOMERS, NAMED_EMPLOYEES } from './demo-accounts.ts';
import { FLOWGUARD_ROLES } from '../core/staff.ts';
import { DEMO_BANK_MANIFEST, demoPeriod, generateDemoBank, type DemoBankOptions, type DemoBankTable } from './demo-bank.ts';
import { parseResidentId } from './resident-id.ts';

const AS_OF = '2026-11-27T03:00:00.000Z';
type Tables = { [T in DemoBankTable]: Insertable<Database[T]>[] };

function collect(options: Partial<DemoBankOptions> = {}): Tables & { order: DemoBankTable[] } {
  const out = {
    branches: [], employees: [], employee_roles: [], training_records: [], customers: [], customer_relations: [], accounts: [],
    service_tickets: [], transactions: [], config_items: [], order: [],
  } as unknown as Tables & { order: DemoBankTable[] };
  for (const chunk of generateDemoBank({ seed: 1, customers: 400, days: 60, passwordHash: 'hash', asOf: AS_OF, ...options })) {
    (out[chunk.table] as unknown[]).push(...chunk.rows);
    out.order.push(chunk.table);
  }
  return out;
}

/** One hash per table over its rows in order, so chunk boundaries do not matter. */
function digest(options: Partial<DemoBankOptions>): string {
  const hashes = new Map<string, ReturnType<typeof createHash>>();
  for (const chunk of generateDemoBank({ seed: 1, customers: 150, days: 45, passwordHash: 'hash', asOf: AS_OF, ...options })) {
    let h = hashes.get(chunk.table);
    if (!h) hashes.set(chunk.table, (h = createHash('sha256')));
    for (const row of chunk.rows) h.update(JSON.stringify(row));
  }
  return [...hashes.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([t, h]) => `${t}:${h.digest('hex')}`).join(' ');
}

const bank = collect({ customers: 3000, days: 30 });
const byId = <T extends { id?: unknown }>(rows: T[]) => new Map(rows.map((r) => [r.id as string, r]));
const customers = byId(bank.customers);
const employees = byId(bank.employees);

describe('generateDemoBank determinism', () => {
  it('same seed and asOf give identical output', () => {
    expect(digest({ seed: 5 })).toBe(digest({ seed: 5 }));
  });

  it('a different seed gives a different bank', () => {
    expect(digest({ seed: 5 })).not.toBe(digest({ seed: 6 }));
  });

  it('chunk sizes do not change the rows', () => {
    expect(digest({ seed: 5, customerBlock: 7, transactionChunk: 333 })).toBe(digest({ seed: 5 }));
  });

  it('a customer stays the same when the bank grows', () => {
    const small = collect({ customers: 100, days: 20 });
    const large = collect({ customers: 300, days: 20 });
    const pick = (t: Tables, id: string) => [t.customers.find((c) => c.id === id)?.name, t.accounts.filter((a) => a.customer_id === id)];
    expect(pick(small, 'C0000042')).toEqual(pick(large, 'C0000042'));
  });

  it('refuses impossible options with a coded error', () => {
    for (const bad of [{ customers: MIN_CUSTOMERS - 1 }, { days: 0 }, { branches: 9 }, { seed: 1.5 }, { asOf: 'yesterday' }, { passwordHash: '' }]) {
      let error: unknown;
      try {
        collect(bad);
      } catch (e) {
        error = e;
      }
      expect(isFlowguardError(error) && error.code === 'invalid_request').toBe(true);
    }
  });
});

describe('generateDemoBank rows', () => {
  it('arrive in foreign-key order', () => {
    const seen = { branches: new Set<string>(), employees: new Set<string>(), customers: new Set<string>(), accounts: new Set<string>() };
    for (const chunk of generateDemoBank({ seed: 2, customers: 300, days: 20, passwordHash: 'h', asOf: AS_OF, customerBlock: 50, transactionChunk: 500 })) {
      for (const row of chunk.rows as Record<string, string | null>[]) {
        switch (chunk.table) {
          case 'branches': seen.branches.add(row.id!); break;
          case 'employees': expect(seen.branches.has(row.branch_id!)).toBe(true); seen.employees.add(row.id!); break;
          case 'customers':
            expect(seen.branches.has(row.branch_id!)).toBe(true);
            if (row.relationship_manager_id) expect(seen.employees.has(row.relationship_manager_id)).toBe(true);
            if (row.employee_id) expect(seen.employees.has(row.employee_id)).toBe(true);
            seen.customers.add(row.id!);
            break;
          case 'accounts': expect(seen.customers.has(row.customer_id!)).toBe(true); seen.accounts.add(row.id!); break;
          case 'transactions': expect(seen.accounts.has(row.account_id!)).toBe(true); break;
          case 'customer_relations':
          case 'service_tickets':
            expect(seen.customers.has(row.customer_id!)).toBe(true);
            break;
          default:
        }
      }
    }
  });

  it('gives every customer a valid, unique resident id with a plausible birth date', () => {
    const asOfYear = 2026;
    const ids = new Set<string>();
    for (const c of bank.customers) {
      const parts = parseResidentId(c.id_number);
      expect(parts, c.id_number).not.toBeNull();
      const age = asOfYear - Number(parts!.birthDate.slice(0, 4));
      expect(age).toBeGreaterThanOrEqual(17);
      expect(age).toBeLessThanOrEqual(100);
      ids.add(c.id_number);
    }
    expect(ids.size).toBe(bank.customers.length);
  });

  it('gives every account a unique Luhn-valid UnionPay card and 1–3 accounts per customer', () => {
    const cards = new Set(bank.accounts.map((a) => a.card_number));
    expect(cards.size).toBe(bank.accounts.length);
    expect(bank.accounts.every((a) => isLuhnValid(a.card_number) && a.card_number.startsWith('62'))).toBe(true);
    const perCustomer = new Map<string, number>();
    for (const a of bank.accounts) perCustomer.set(a.customer_id, (perCustomer.get(a.customer_id) ?? 0) + 1);
    expect(perCustomer.size).toBe(bank.customers.length);
    expect([...perCustomer.values()].every((n) => n >= 1 && n <= 3)).toBe(true);
  });

  it('spreads segments about 85/10/5 and gives private and VIP customers a relationship manager', () => {
    const share = (s: string) => bank.customers.filter((c) => c.segment === s).length / bank.customers.length;
    expect(share('retail')).toBeGreaterThan(0.8);
    expect(share('private')).toBeGreaterThan(0.07);
    expect(share('vip')).toBeGreaterThan(0.03);
    for (const c of bank.customers) {
      if (c.segment === 'retail') expect(c.relationship_manager_id).toBeNull();
      else expect(employees.get(c.relationship_manager_id!)?.bank_role).toBe('relationship_manager');
    }
    expect(bank.customers.filter((c) => c.is_public_figure === 1).length).toBeGreaterThan(1);
  });

  it('includes names with compound surnames and middle dots', () => {
    expect(bank.customers.some((c) => /^(欧阳|司马|诸葛|上官|慕容|东方|皇甫|令狐|夏侯|尉迟|公孙|长孙|宇文|司徒|端木)/.test(c.name))).toBe(true);
    expect(bank.customers.filter((c) => c.name.includes('·')).length).toBeGreaterThan(3);
  });

  it('staffs branches with stable, unique pseudonyms and mostly active staff', () => {
    const pseudonyms = new Set(bank.employees.map((e) => e.pseudonym));
    expect(pseudonyms.size).toBe(bank.employees.length);
    expect(new Set(bank.employees.map((e) => e.username)).size).toBe(bank.employees.length);
    for (const e of bank.employees) expect(e.pseudonym).toMatch(/^[\u4e00-\u9fff]+-[0-9A-F]{4}$/);
    expect(bank.employees.every((e) => e.password_hash === 'hash')).toBe(true);
    const active = bank.employees.filter((e) => e.status === 'active').length;
    expect(active / bank.employees.length).toBeGreaterThan(0.85);
    expect(bank.employees.some((e) => e.status === 'on_notice')).toBe(true);
    expect(bank.employees.some((e) => e.status === 'left')).toBe(true);
    for (const b of bank.branches.filter((x) => x.id !== 'HQ')) {
      const here = bank.employees.filter((e) => e.branch_id === b.id);
      for (const role of ['teller', 'relationship_manager', 'back_office', 'branch_manager']) expect(here.some((e) => e.bank_role === role)).toBe(true);
    }
    const approvers = new Set(bank.employee_roles.filter((r) => r.role === 'approver').map((r) => r.employee_id));
    for (const e of bank.employees.filter((x) => x.bank_role === 'branch_manager')) expect(approvers.has(e.id)).toBe(true);
    expect(bank.employee_roles.every((r) => (FLOWGUARD_ROLES as readonly string[]).includes(r.role))).toBe(true);
  });

  it('records training and attestation: current for the named staff, a few lapsed elsewhere', () => {
    const asOfDay = AS_OF;
    const latest = new Map<string, string>();
    for (const t of bank.training_records) {
      const key = `${t.employee_id}/${t.kind}`;
      if ((latest.get(key) ?? '') < t.valid_until) latest.set(key, t.valid_until);
    }
    expect(latest.size).toBe(bank.employees.length * 2);
    for (const t of bank.training_records) expect(t.valid_until).toMatch(/^\d{4}-\d{2}-\d{2}T23:59:59\.999Z$/);
    for (const e of NAMED_EMPLOYEES) {
      expect(latest.get(`${e.id}/training`)! > asOfDay).toBe(true);
      expect(latest.get(`${e.id}/attestation`)! > asOfDay).toBe(true);
    }
    const lapsed = [...latest.values()].filter((v) => v <= asOfDay).length;
    expect(lapsed).toBeGreaterThan(0);
    expect(lapsed / latest.size).toBeLessThan(0.15);
  });

  it('issues tickets of every kind with the issuers\' document formats', () => {
    const kinds = new Set(bank.service_tickets.map((t) => t.kind));
    for (const k of ['counter_visit', 'call', 'loan_application', 'complaint', 'judicial_assistance', 'aml_case']) expect(kinds.has(k as never)).toBe(true);
    for (const t of bank.service_tickets) {
      if (t.kind === 'judicial_assistance') expect(t.document_number).toMatch(/^(\(\d{4}\)[沪京粤浙]\d{2,4}(执|执保|民初|财保)\d+号|[沪京深杭]公\(经\)协查字〔\d{4}〕\d+号)$/);
      if (t.kind === 'aml_case') expect(t.document_number).toMatch(/^AML-\d{4}-\d{6}$/);
      if (t.kind === 'audit_engagement') expect(t.document_number).toMatch(/^AUD-\d{4}-\d{3}$/);
      expect(t.opened_at <= AS_OF).toBe(true);
      if (t.status === 'closed') expect(t.closed_at! >= t.opened_at && t.closed_at! <= AS_OF).toBe(true);
      else expect(t.closed_at).toBeNull();
    }
    expect(new Set(bank.service_tickets.map((t) => t.id)).size).toBe(bank.service_tickets.length);
  });

  it('has employees who bank here and relatives, declared or sharing surname and address', () => {
    const employeeCustomers = bank.customers.filter((c) => c.employee_id);
    expect(employeeCustomers.length).toBeGreaterThan(5);
    for (const c of employeeCustomers) expect(c.name).toBe(employees.get(c.employee_id!)?.display_name);
    expect(bank.customer_relations.length).toBeGreaterThan(3);
    for (const r of bank.customer_relations) {
      expect(employees.has(r.employee_id)).toBe(true);
      expect(customers.has(r.customer_id)).toBe(true);
    }
    const declared = new Set(bank.customer_relations.map((r) => r.customer_id));
    const undeclared = bank.customers.filter((c) => !c.employee_id && !declared.has(c.id) && employeeCustomers.some(
      (e) => e.address === c.address && e.name.slice(0, 1) === c.name.slice(0, 1)));
    expect(undeclared.length).toBeGreaterThanOrEqual(2);
  });

  it('gives every account 12 months of 20–40 lines a month over 365 days, balances consistent', () => {
    const year = collect({ seed: 8, customers: 40, days: 365 });
    const perAccountMonth = new Map<string, Map<string, number>>();
    const last = new Map<string, number>();
    for (const t of year.transactions) {
      const local = new Date(Date.parse(t.posted_at) + 8 * 3600_000).toISOString().slice(0, 7);
      const months = perAccountMonth.get(t.account_id) ?? new Map<string, number>();
      months.set(local, (months.get(local) ?? 0) + 1);
      perAccountMonth.set(t.account_id, months);
      const prev = last.get(t.account_id);
      if (prev !== undefined) expect(t.balance_cents).toBe(prev + t.amount_cents);
      last.set(t.account_id, t.balance_cents);
    }
    const { from, to } = demoPeriod({ days: 365, asOf: AS_OF });
    const full = [...perAccountMonth.values().next().value!.keys()].filter((m) => m > from.slice(0, 7) && m < to.slice(0, 7));
    expect(full.length).toBeGreaterThanOrEqual(11);
    expect(perAccountMonth.size).toBe(year.accounts.length);
    for (const [account, months] of perAccountMonth) {
      expect([account, months.size >= 12]).toEqual([account, true]);
      for (const m of full) {
        const n = months.get(m) ?? 0;
        expect([account, m, n >= 20 && n <= 40]).toEqual([account, m, true]);
      }
    }
    const debit = new Set(year.accounts.filter((a) => a.kind !== 'credit').map((a) => a.id));
    expect(year.transactions.filter((t) => debit.has(t.account_id) && t.balance_cents < 0)).toEqual([]);
  });

  it('writes a demo-only manifest last', () => {
    expect(bank.order.at(-1)).toBe('config_items');
    const [item] = bank.config_items;
    expect(item).toMatchObject(DEMO_BANK_MANIFEST);
    const manifest = JSON.parse(item!.body);
    expect(manifest).toMatchObject({ demoOnly: true, customers: 3000, days: 30, asOf: AS_OF, period: demoPeriod({ days: 30, asOf: AS_OF }) });
    expect(manifest.namedAccounts).toContain('admin2');
  });
});

describe('the named demo cast', () => {
  it('has every named employee with the branch, bank role and Flowguard roles the tour expects', () => {
    for (const n of NAMED_EMPLOYEES) {
      expect(employees.get(n.id)).toMatchObject({ username: n.username, display_name: n.displayName, branch_id: n.branchId, bank_role: n.bankRole, status: 'active' });
      expect(bank.employee_roles.filter((r) => r.employee_id === n.id).map((r) => r.role).sort()).toEqual([...n.roles].sort());
    }
    const usernames = bank.employees.map((e) => e.username);
    for (const u of ['teller.sh01', 'rm.sh01', 'backoffice.sh01', 'manager.sh01', 'teller.bj01', 'analyst', 'investigator', 'compliance', 'auditor', 'admin', 'admin2']) {
      expect(usernames).toContain(u);
    }
  });

  it('has the named customers whatever the seed', () => {
    for (const seed of [1, 77]) {
      const small = collect({ seed, customers: MIN_CUSTOMERS, days: 10 });
      expect(small.customers.map((c) => c.id)).toEqual(NAMED_CUSTOMERS.map((c) => c.id));
      expect(small.customers.map((c) => c.name)).toEqual(NAMED_CUSTOMERS.map((c) => c.name));
    }
  });

  it('gives each named customer the situation its DEMO comment promises', () => {
    const c = DEMO.customers;
    const e = DEMO.employees;
    const tickets = (id: string) => bank.service_tickets.filter((t) => t.customer_id === id && t.status === 'open');
    expect(customers.get(c.retail)).toMatchObject({ branch_id: 'SH01', segment: 'retail', is_honeytoken: 0 });
    expect(tickets(c.retail)).toContainEqual(expect.objectContaining({ kind: 'counter_visit', assigned_employee_id: e.tellerSh01 }));
    expect(customers.get(c.vip)).toMatchObject({ segment: 'vip', relationship_manager_id: e.rmSh01 });
    expect(customers.get(c.employeeCustomer)).toMatchObject({ employee_id: e.tellerSh01, name: '李娜' });
    expect(bank.customer_relations).toContainEqual(expect.objectContaining({ employee_id: e.tellerSh01, customer_id: c.relative, relation: 'father' }));
    expect(customers.get(c.relative)!.address).toBe(customers.get(c.employeeCustomer)!.address);
    expect(customers.get(c.honeytoken)).toMatchObject({ branch_id: 'SH01', is_honeytoken: 1 });
    expect(tickets(c.honeytoken)).toEqual([]);
    const judicial = tickets(c.judicialAssistance).find((t) => t.kind === 'judicial_assistance');
    expect(judicial).toMatchObject({ assigned_employee_id: e.backOfficeSh01 });
    expect(judicial!.document_number).toMatch(/^\(2026\)沪01(15)?(执|执保|民初|财保)\d+号$|^沪公\(经\)协查字〔2026〕\d+号$/);
    expect(customers.get(c.publicFigure)).toMatchObject({ is_public_figure: 1, segment: 'vip' });
    expect(tickets(c.amlSubject)).toContainEqual(expect.objectContaining({ kind: 'aml_case', assigned_employee_id: e.investigator }));
    expect(tickets(c.auditSample)).toContainEqual(expect.objectContaining({ kind: 'audit_engagement', assigned_employee_id: e.auditor }));
    const brother = customers.get(c.undeclaredRelative)!;
    expect(brother.address).toBe(customers.get(c.employeeCustomer)!.address);
    expect(brother.name.slice(0, 1)).toBe('李');
    expect(bank.customer_relations.some((r) => r.customer_id === c.undeclaredRelative)).toBe(false);
  });
});

describe('honeytokens', () => {
  const h = collect({ seed: 3, customers: 3000, days: 20, honeytokenRate: 0.15 });
  const txPerAccount = new Map<string, number>();
  for (const t of h.transactions) txPerAccount.set(t.account_id, (txPerAccount.get(t.account_id) ?? 0) + 1);
  const groups = {
    honeytoken: h.customers.filter((c) => c.is_honeytoken === 1 && c.id !== DEMO.customers.honeytoken),
    ordinary: h.customers.filter((c) => c.is_honeytoken === 0 && !c.employee_id && Number(c.id.slice(1)) > MIN_CUSTOMERS),
  };
  const stats = (list: typeof h.customers) => {
    const ids = new Set(list.map((c) => c.id));
    const accounts = h.accounts.filter((a) => ids.has(a.customer_id));
    const names = list.map((c) => [...c.name].length);
    return {
      retail: list.filter((c) => c.segment === 'retail').length / list.length,
      accountsPerCustomer: accounts.length / list.length,
      linesPerAccount: accounts.reduce((s, a) => s + (txPerAccount.get(a.id) ?? 0), 0) / accounts.length,
      nameLength: names.reduce((s, n) => s + n, 0) / names.length,
      sh01: list.filter((c) => c.branch_id === 'SH01').length / list.length,
    };
  };

  it('exist at about the configured rate', () => {
    expect(groups.honeytoken.length).toBeGreaterThan(350);
    expect(groups.honeytoken.length).toBeLessThan(550);
  });

  it('are statistically indistinguishable from ordinary customers', () => {
    const a = stats(groups.honeytoken);
    const b = stats(groups.ordinary);
    expect(Math.abs(a.retail - b.retail)).toBeLessThan(0.05);
    expect(Math.abs(a.accountsPerCustomer - b.accountsPerCustomer)).toBeLessThan(0.12);
    expect(Math.abs(a.linesPerAccount - b.linesPerAccount) / b.linesPerAccount).toBeLessThan(0.05);
    expect(Math.abs(a.nameLength - b.nameLength)).toBeLessThan(0.15);
    expect(Math.abs(a.sh01 - b.sh01)).toBeLessThan(0.05);
  });

  it('never have an open ticket (nobody has a reason to look at them)', () => {
    const ids = new Set(groups.honeytoken.map((c) => c.id));
    expect(h.service_tickets.filter((t) => ids.has(t.customer_id) && t.status === 'open')).toEqual([]);
    expect(h.service_tickets.some((t) => ids.has(t.customer_id))).toBe(true);
  });
});
