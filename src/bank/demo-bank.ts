/**
 * The synthetic demo bank, streamed: `generateDemoBank` yields rows table by table in chunks, in an
 * order that satisfies every foreign key, so a bank of 100,000 customers and a year of statements
 * (tens of millions of lines) never sits in memory at once. Pure: no I/O, no clock unless `asOf` is
 * left out; the same options give the same rows.
 *
 * @example
 * for (const chunk of generateDemoBank({ seed: 7, customers: 1000, days: 90, passwordHash, asOf: '2026-11-27T02:00:00Z' })) {
 *   console.log(chunk.table, chunk.rows.length);
 * }
 */
import type { Insertable } from 'kysely';
import type { Database } from '../store/schema.ts';
import { FlowguardError } from '../errors.ts';
import { demoBranches } from './branches.ts';
import { beijingDay, formatDay } from './calendar.ts';
import { CardScramble } from './card-number.ts';
import { DEFAULT_HONEYTOKEN_RATE, planCustomers } from './customer-plan.ts';
import { generateCustomer, type BankContext, type GeneratedCustomer } from './customers.ts';
import { MIN_CUSTOMERS, NAMED_EMPLOYEES } from './demo-accounts.ts';
import { STREAM, Weighted, createRandom } from './prng.ts';
import { employeeRoleRows, employeeRows, planStaff, trainingRows } from './staff.ts';
import { generateTransactions, type TransactionRecord } from './transactions.ts';

export interface DemoBankOptions {
  /** Any integer; the same seed (and asOf) gives the same bank. */
  seed: number;
  /** Number of customers, at least the named cast (MIN_CUSTOMERS). */
  customers: number;
  /** Days of statement history before `asOf` (1–3660). */
  days: number;
  /** Hash of the demo password, given to every employee (hash once with argon2, not per employee). */
  passwordHash: string;
  /** Retail branches, 2–8 (default 8), plus the head office. */
  branches?: number;
  /**
   * The moment the bank is described at (ISO-8601). Statements end the Beijing day before it; open
   * tickets were opened shortly before it. Default: now — pass it for reproducible output.
   */
  asOf?: string;
  /** Share of ordinary customers that are honeytokens (default 0.002). */
  honeytokenRate?: number;
  /** Customers generated per block (default 500) and statement lines per chunk (default 20,000). */
  customerBlock?: number;
  transactionChunk?: number;
}

/** Tables the demo bank fills. */
export type DemoBankTable =
  | 'branches' | 'employees' | 'employee_roles' | 'training_records' | 'customers' | 'customer_relations' | 'accounts'
  | 'service_tickets' | 'transactions' | 'config_items';

/** A batch of rows for one table. Chunks arrive in foreign-key order. */
export type DemoBankChunk = { [T in DemoBankTable]: { table: T; rows: Insertable<Database[T]>[] } }[DemoBankTable];

/** The configuration item that describes a seeded demo bank (kind, key). */
export const DEMO_BANK_MANIFEST = { kind: 'demo_bank', key: 'manifest' } as const;

export interface DemoBankManifest {
  demoOnly: true;
  warning: string;
  seed: number;
  customers: number;
  days: number;
  branches: number;
  asOf: string;
  period: { from: string; to: string };
  honeytokenRate: number;
  /** The named demo accounts the tour uses (every generated employee has the same password too). */
  namedAccounts: string[];
}

interface ResolvedOptions extends Required<Omit<DemoBankOptions, 'asOf'>> {
  asOfMs: number;
}

function resolve(options: DemoBankOptions): ResolvedOptions {
  const bad = (option: keyof DemoBankOptions, message: string) => new FlowguardError('invalid_request', message, { option });
  const { seed, customers, days } = options;
  if (!Number.isSafeInteger(seed)) throw bad('seed', 'The demo bank seed must be an integer.');
  if (!Number.isInteger(customers) || customers < MIN_CUSTOMERS || customers > 9_999_999) {
    throw bad('customers', `The demo bank needs from ${MIN_CUSTOMERS} (the named demo customers) to 9,999,999 customers.`);
  }
  if (!Number.isInteger(days) || days < 1 || days > 3660) throw bad('days', 'The demo bank history must be from 1 to 3660 days.');
  const branches = options.branches ?? 8;
  if (!Number.isInteger(branches) || branches < 2 || branches > 8) throw bad('branches', 'The demo bank has from 2 to 8 retail branches.');
  if (typeof options.passwordHash !== 'string' || options.passwordHash.length === 0) {
    throw bad('passwordHash', 'The demo bank needs the hash of the demo password (hash it once with argon2).');
  }
  const asOfMs = options.asOf === undefined ? Date.now() : Date.parse(options.asOf);
  if (!Number.isFinite(asOfMs)) throw bad('asOf', 'asOf must be an ISO-8601 date-time such as 2026-11-27T09:00:00+08:00.');
  const honeytokenRate = options.honeytokenRate ?? DEFAULT_HONEYTOKEN_RATE;
  if (!(honeytokenRate >= 0 && honeytokenRate <= 0.5)) throw bad('honeytokenRate', 'The honeytoken rate must be between 0 and 0.5.');
  const customerBlock = options.customerBlock ?? 500;
  const transactionChunk = options.transactionChunk ?? 20_000;
  if (!(Number.isInteger(customerBlock) && customerBlock >= 1)) throw bad('customerBlock', 'customerBlock must be a positive integer.');
  if (!(Number.isInteger(transactionChunk) && transactionChunk >= 1)) throw bad('transactionChunk', 'transactionChunk must be a positive integer.');
  return { seed, customers, days, branches, passwordHash: options.passwordHash, asOfMs, honeytokenRate, customerBlock, transactionChunk };
}

/** The statement period of a demo bank: the `days` Beijing days before the day of `asOf`. */
export function demoPeriod(options: Pick<DemoBankOptions, 'days' | 'asOf'>): { from: string; to: string } {
  const asOfDay = beijingDay(new Date(options.asOf === undefined ? Date.now() : Date.parse(options.asOf)));
  return { from: formatDay(asOfDay - options.days), to: formatDay(asOfDay - 1) };
}

/**
 * Generates the demo bank as a stream of row chunks: branches, staff, roles, training records, then
 * customers block by block (customers, declared relations, accounts, tickets, then their statement
 * lines in chunks), and last the manifest configuration item.
 */
export function* generateDemoBank(options: DemoBankOptions): Generator<DemoBankChunk, void, undefined> {
  const o = resolve(options);
  const asOfDay = beijingDay(new Date(o.asOfMs));
  const period = { from: asOfDay - o.days, to: asOfDay };
  const branches = demoBranches(o.branches);
  const staff = planStaff(o.seed, branches, o.customers, asOfDay);

  yield { table: 'branches', rows: branches.map((b) => ({ id: b.id, code: b.code, name: b.name, city: b.city })) };
  yield { table: 'employees', rows: employeeRows(staff, o.passwordHash) };
  yield { table: 'employee_roles', rows: employeeRoleRows(staff) };
  yield { table: 'training_records', rows: trainingRows(o.seed, staff, asOfDay) };

  let ticketSeq = 0;
  const retail = branches.filter((b) => b.retail);
  const ctx: BankContext = {
    seed: o.seed,
    branches,
    period,
    asOfDay,
    asOfMs: o.asOfMs,
    tickets: { staff, period, asOfMs: o.asOfMs, nextId: () => `T${String(++ticketSeq).padStart(9, '0')}` },
    scramble: new CardScramble(createRandom(o.seed, STREAM.cardScramble)),
    usedIdNumbers: new Set(),
    branchPicker: new Weighted(retail.map((b) => [b, b.weight] as const)),
  };
  const plan = planCustomers(o.seed, staff, o.customers, o.honeytokenRate, asOfDay);

  let lines: TransactionRecord[] = [];
  for (let start = 0; start < o.customers; start += o.customerBlock) {
    const block: GeneratedCustomer[] = [];
    for (let i = start; i < Math.min(o.customers, start + o.customerBlock); i++) block.push(generateCustomer(ctx, i, plan.slot(i)));
    yield { table: 'customers', rows: block.map((c) => c.row) };
    const relations = block.flatMap((c) => (c.relation ? [c.relation] : []));
    if (relations.length > 0) yield { table: 'customer_relations', rows: relations };
    yield { table: 'accounts', rows: block.flatMap((c) => c.accounts.map((a) => a.row)) };
    const tickets = block.flatMap((c) => c.tickets);
    if (tickets.length > 0) yield { table: 'service_tickets', rows: tickets };
    for (const c of block) {
      c.accounts.forEach((a, ordinal) => {
        const rng = createRandom(o.seed, STREAM.transactions, c.index, ordinal);
        for (const line of generateTransactions(rng, a.statement, c.profile, period)) lines.push(line);
      });
      if (lines.length >= o.transactionChunk) {
        yield { table: 'transactions', rows: lines };
        lines = [];
      }
    }
  }
  if (lines.length > 0) yield { table: 'transactions', rows: lines };

  const manifest: DemoBankManifest = {
    demoOnly: true,
    warning: 'Synthetic demo data. Every staff account, named or generated, shares the demo password: never use this database in production.',
    seed: o.seed,
    customers: o.customers,
    days: o.days,
    branches: o.branches,
    asOf: new Date(o.asOfMs).toISOString(),
    period: { from: formatDay(period.from), to: formatDay(period.to - 1) },
    honeytokenRate: o.honeytokenRate,
    namedAccounts: NAMED_EMPLOYEES.map((e) => e.username),
  };
  yield {
    table: 'config_items',
    rows: [{ ...DEMO_BANK_MANIFEST, body: JSON.stringify(manifest), version: 1, updated_at: manifest.asOf }],
  };
}
