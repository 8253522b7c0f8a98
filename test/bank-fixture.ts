/**
 * A small, hand-made bank for integration tests: every customer exists to exercise one rule, and a
 * canary transaction with a unique marker lets tests prove a statement never leaked. (The generated
 * demo bank in src/bank is for demos, benchmarks and scale; tests need names they can reason about.)
 */
import type { Store } from '../src/store/database.ts';
import { hashPassword } from '../src/identity/passwords.ts';
import { hasValidIdCheckDigit, isLuhnValid } from '../src/privacy/full-numbers.ts';

export const PASSWORD = 'test-only-password-1';
/** Wednesday 2026-11-25 10:00 in Shanghai: office hours. */
export const OFFICE_HOURS = new Date('2026-11-25T02:00:00.000Z');

export const E = {
  teller: 'E-TELLER', teller2: 'E-TELLER2', rm: 'E-RM', backOffice: 'E-BACK', manager: 'E-MANAGER', tellerBj: 'E-TELLER-BJ',
  managerBj: 'E-MANAGER-BJ', analyst: 'E-ANALYST', investigator: 'E-INVEST', auditor: 'E-AUDITOR', admin: 'E-ADMIN', admin2: 'E-ADMIN2', lapsed: 'E-LAPSED', compliance: 'E-COMPLIANCE',
} as const;

export const C = {
  retail: 'C-RETAIL', vip: 'C-VIP', employee: 'C-EMPLOYEE', relative: 'C-RELATIVE', honeytoken: 'C-HONEY', judicial: 'C-JUDICIAL', aml: 'C-AML', target: 'C-TARGET',
} as const;

export const T = {
  retailVisit: 'T-RETAIL-VISIT', honeyVisit: 'T-HONEY-VISIT', vipVisit: 'T-VIP-VISIT', relativeVisit: 'T-REL-VISIT', employeeVisit: 'T-EMP-VISIT',
  judicial: 'T-JUDICIAL', judicialDoc: '(2026)沪0105执1234号', aml: 'T-AML-CASE', lapsedVisit: 'T-LAPSED-VISIT', targetComplaint: 'T-TARGET-COMPLAINT',
} as const;

export const MOBILE = { retail: '13800138001', target: '13800138008' } as const;
/** Appears in one transaction of C.target only: no response may ever carry it unless released. */
export const CANARY = 'CANARY-7f3a9c-金丝雀';
/** The same for C.retail, whom a teller can legitimately see: catches a gate that serves another's request. */
export const CANARY_RETAIL = 'CANARY-retail-51d0e2';

function card(prefix: string): string {
  for (let d = 0; d < 10; d++) if (isLuhnValid(`${prefix}${d}`)) return `${prefix}${d}`;
  throw new Error('unreachable');
}

function residentId(body17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body17].reduce((s, c, i) => s + Number(c) * w[i]!, 0);
  return body17 + '10X98765432'[sum % 11];
}

let hash: Promise<string> | undefined;

export async function seedTestBank(store: Store): Promise<void> {
  const db = store.db;
  hash ??= hashPassword(PASSWORD);
  const password_hash = await hash;
  const at = '2025-01-01T00:00:00.000Z';
  await db.insertInto('branches').values([
    { id: 'SH01', code: 'SH01', name: '上海虹口支行', city: '上海' },
    { id: 'BJ01', code: 'BJ01', name: '北京朝阳支行', city: '北京' },
    { id: 'HQ', code: 'HQ', name: '总行', city: '上海' },
  ]).execute();
  const emp = (id: string, username: string, name: string, branch: string, role: 'teller' | 'relationship_manager' | 'back_office' | 'branch_manager', status: 'active' | 'on_notice' | 'left' = 'active') =>
    ({ id, username, display_name: name, pseudonym: `P-${id.slice(2)}`, branch_id: branch, bank_role: role, status, password_hash, created_at: at });
  await db.insertInto('employees').values([
    emp(E.teller, 'teller', '王小明', 'SH01', 'teller'),
    emp(E.teller2, 'teller2', '李丽', 'SH01', 'teller'),
    emp(E.rm, 'rm', '赵强', 'SH01', 'relationship_manager'),
    emp(E.backOffice, 'backoffice', '孙芳', 'SH01', 'back_office'),
    emp(E.manager, 'manager', '周建国', 'SH01', 'branch_manager'),
    emp(E.tellerBj, 'teller.bj', '吴静', 'BJ01', 'teller'),
    emp(E.managerBj, 'manager.bj', '郑伟', 'BJ01', 'branch_manager'),
    emp(E.analyst, 'analyst', '钱安', 'HQ', 'back_office'),
    emp(E.investigator, 'investigator', '冯查', 'HQ', 'back_office'),
    emp(E.auditor, 'auditor', '陈审', 'HQ', 'back_office'),
    emp(E.admin, 'admin', '褚管', 'HQ', 'back_office'),
    emp(E.admin2, 'admin2', '卫管', 'HQ', 'back_office'),
    emp(E.lapsed, 'lapsed', '蒋过', 'SH01', 'teller'),
    emp(E.compliance, 'compliance', '沈合', 'HQ', 'back_office'),
  ]).execute();
  await db.insertInto('employee_roles').values([
    { employee_id: E.manager, role: 'approver' },
    { employee_id: E.managerBj, role: 'approver' },
    { employee_id: E.analyst, role: 'security_analyst' },
    { employee_id: E.investigator, role: 'investigator' },
    { employee_id: E.auditor, role: 'auditor' },
    { employee_id: E.admin, role: 'admin' },
    { employee_id: E.admin2, role: 'admin' },
    { employee_id: E.compliance, role: 'compliance_officer' },
  ]).execute();
  const training = Object.values(E).flatMap((id) => (['training', 'attestation'] as const).map((kind) => ({
    id: `TR-${id}-${kind}`, employee_id: id, kind, completed_on: '2026-01-10',
    valid_until: id === E.lapsed && kind === 'training' ? '2026-06-30T23:59:59.999Z' : '2027-01-10T23:59:59.999Z', recorded_at: at,
  })));
  await db.insertInto('training_records').values(training).execute();

  const cust = (id: string, name: string, n: number, segment: 'retail' | 'private' | 'vip', extra: Partial<{ employee_id: string; is_honeytoken: 0 | 1; relationship_manager_id: string; address: string; mobile: string }> = {}) => ({
    id, name, id_number: residentId(`3101091985010${String(100 + n).padStart(4, '0')}`), mobile: extra.mobile ?? `1390000${String(n).padStart(4, '0')}`,
    address: extra.address ?? `上海市虹口区四川北路${n}号`, branch_id: 'SH01', segment, relationship_manager_id: extra.relationship_manager_id ?? null,
    is_public_figure: 0 as const, is_honeytoken: extra.is_honeytoken ?? 0, employee_id: extra.employee_id ?? null, created_at: at,
  });
  await db.insertInto('customers').values([
    cust(C.retail, "欧阳·O'Brien 娜", 1, 'retail', { mobile: MOBILE.retail }),
    cust(C.vip, '马云飞', 2, 'vip', { relationship_manager_id: E.rm }),
    cust(C.employee, '李丽', 3, 'retail', { employee_id: E.teller2 }),
    cust(C.relative, '王大明', 4, 'retail'),
    cust(C.honeytoken, '刘德华', 5, 'retail', { is_honeytoken: 1 }),
    cust(C.judicial, '张三; DROP TABLE customers;--', 6, 'retail'),
    cust(C.aml, '买买提·艾力', 7, 'retail'),
    cust(C.target, '𠮷野家', 8, 'retail', { mobile: MOBILE.target }),
  ]).execute();
  await db.insertInto('customer_relations').values({ employee_id: E.teller, customer_id: C.relative, relation: 'brother', declared_at: at }).execute();

  const customers = Object.values(C);
  await db.insertInto('accounts').values(customers.map((c, i) => ({
    id: `A-${c.slice(2)}`, customer_id: c, card_number: card(`62170012345678${String(i).padStart(4, '0')}`), kind: 'debit' as const, currency: 'CNY', branch_id: 'SH01', opened_on: '2020-01-01',
  }))).execute();
  const rows = customers.flatMap((c, i) => {
    let balance = 1_000_000;
    return Array.from({ length: 90 }, (_, d) => {
      const amount = d % 30 === 0 ? 1_500_000 : -((d * 137 + i * 31) % 20_000) - 100;
      balance += amount;
      const canary = d === 45 ? (c === C.target ? CANARY : c === C.retail ? CANARY_RETAIL : null) : null;
      return {
        account_id: `A-${c.slice(2)}`,
        posted_at: new Date(Date.parse('2026-08-01T02:00:00Z') + d * 86_400_000).toISOString(),
        amount_cents: amount,
        balance_cents: balance,
        currency: 'CNY',
        description: canary ?? (amount > 0 ? '代发工资' : '快捷支付 美团'),
        channel: amount > 0 ? '网银' : '快捷支付',
        counterparty_name: amount > 0 ? '上海某某科技有限公司' : '美团',
        counterparty_account: amount > 0 ? card('31001234567890123') : null,
        category: amount > 0 ? 'salary' : 'shopping',
      };
    });
  });
  for (let i = 0; i < rows.length; i += 200) await db.insertInto('transactions').values(rows.slice(i, i + 200)).execute();

  const ticket = (id: string, customer: string, kind: 'counter_visit' | 'judicial_assistance' | 'aml_case' | 'complaint', assigned: string | null, doc: string | null = null) =>
    ({ id, customer_id: customer, assigned_employee_id: assigned, kind, status: 'open' as const, document_number: doc, opened_at: at, closed_at: null });
  await db.insertInto('service_tickets').values([
    ticket(T.retailVisit, C.retail, 'counter_visit', E.teller),
    ticket(T.honeyVisit, C.honeytoken, 'counter_visit', E.teller),
    ticket(T.vipVisit, C.vip, 'counter_visit', E.teller),
    ticket(T.relativeVisit, C.relative, 'counter_visit', E.teller),
    ticket(T.employeeVisit, C.employee, 'counter_visit', E.teller),
    ticket(T.judicial, C.judicial, 'judicial_assistance', E.compliance, T.judicialDoc),
    ticket(T.aml, C.aml, 'aml_case', E.investigator),
    ticket(T.lapsedVisit, C.retail, 'counter_visit', E.lapsed),
    ticket(T.targetComplaint, C.target, 'complaint', null),
  ]).execute();
}

/**
 * A full card number (Luhn-valid) and a resident ID (GB 11643 check digit) as a person might type
 * them into a field: valid, so the guards that look for personal numbers see them.
 */
export const TYPED_CARD = [...'0123456789'].map((d) => `622848041234567890${d}`).find(isLuhnValid)!;
export const TYPED_ID = [...'0123456789X'].map((c) => `11010519900307123${c}`).find(hasValidIdCheckDigit)!;
