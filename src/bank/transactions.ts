/**
 * A year (or any period) of statement lines for one account, month by month.
 *
 * Each calendar month gets 20–40 lines (skewed towards 20, pro-rated for months the period cuts):
 * the fixed items of a household first (salary or pension, rent or mortgage, utilities, phone,
 * quarterly interest on the 21st of March, June, September and December, as mainland banks settle
 * demand-deposit interest on the 20th), then everyday spending and transfers to fill the month.
 * Lines are posted in time order with a running balance: balance[i] = balance[i-1] + amount[i].
 * Debit and savings accounts never go below zero (a purchase the balance cannot cover shrinks, or
 * becomes a top-up from a relative); credit cards stay within their limit.
 */
import { beijingInstantMs, monthsOf, type MonthSlice } from './calendar.ts';
import { randomCardNumber } from './card-number.ts';
import {
  MERCHANTS, PAYMENT_APPS, TELECOMS, UTILITIES, WEALTH_PRODUCTS, generateCorporateAccount, generateEmployerName,
  type Category, type Channel,
} from './merchants.ts';
import { generateName, type City } from './names.ts';
import { Weighted, type Random } from './prng.ts';

export type Segment = 'retail' | 'private' | 'vip';
export type AccountKind = 'debit' | 'savings' | 'credit';

export interface Counterparty {
  name: string;
  account: string | null;
}

/** A statement line as the store keeps it (the id is assigned by the database). */
export interface TransactionRecord {
  account_id: string;
  posted_at: string;
  amount_cents: number;
  balance_cents: number;
  currency: string;
  description: string;
  channel: Channel;
  counterparty_name: string | null;
  counterparty_account: string | null;
  category: Category;
}

/** The household behind an account: what it earns, pays and who it sends money to. */
export interface FinancialProfile {
  segment: Segment;
  city: City;
  holderName: string;
  income: { kind: 'salary' | 'pension'; payer: Counterparty; amountCents: number; day: number };
  housing:
    | { kind: 'rent'; landlord: Counterparty; amountCents: number; day: number }
    | { kind: 'mortgage'; amountCents: number; day: number }
    | { kind: 'owner' };
  telecom: string;
  /** Family and friends who send and receive transfers. */
  contacts: Counterparty[];
  /** Multiplier on everyday spending: 1 is a typical city salary earner. */
  spendScale: number;
  /** Pays utilities through a payment app rather than by direct debit. */
  paysByApp: boolean;
}

export interface StatementAccount {
  id: string;
  kind: AccountKind;
  currency: string;
  cardNumber: string;
  /** Balance just before the period starts (negative = owed, credit cards only). */
  openingBalanceCents: number;
  /** Credit cards only; 0 otherwise. */
  creditLimitCents: number;
  /** The account salary arrives in and household bills leave from. */
  primary: boolean;
  /** The holder's other cards: where savings come from, which credit card gets repaid. */
  ownDebitCard: string | null;
  ownCreditCard: string | null;
}

/** A period of Beijing calendar days, [from, to). */
export interface Period {
  from: number;
  to: number;
}

/** The fewest and most lines in a full calendar month. */
export const LINES_PER_MONTH = { min: 20, max: 40 } as const;

/** Annual rate of demand deposits (活期), as large mainland banks pay since 2025: 0.05 %. */
const DEMAND_DEPOSIT_RATE = 0.0005;
/** Months whose 21st day carries the quarterly interest settlement (结息). */
const INTEREST_MONTHS = new Set([3, 6, 9, 12]);
const INTEREST_DAY = 21;

const SEGMENT_INCOME: Readonly<Record<Segment, readonly [number, number]>> = {
  retail: [6_000, 30_000],
  private: [40_000, 150_000],
  vip: [80_000, 400_000],
};

/** Creates a household for a customer: income, housing, contacts, habits. */
export function createFinancialProfile(rng: Random, segment: Segment, city: City, holderName: string, age: number): FinancialProfile {
  const [lo, hi] = SEGMENT_INCOME[segment];
  const pension = age >= 60 && rng.chance(0.8);
  const monthly = pension ? rng.logUniform(3_000, 9_000) : rng.logUniform(lo, hi);
  const amountCents = Math.round(monthly * 100);
  const income = pension
    ? { kind: 'pension' as const, payer: { name: `${city}市社会保险事业管理中心`, account: generateCorporateAccount(rng) }, amountCents, day: rng.int(5, 15) }
    : { kind: 'salary' as const, payer: { name: generateEmployerName(rng, city), account: generateCorporateAccount(rng) }, amountCents, day: rng.pick([5, 8, 10, 10, 15, 15, 20, 25]) };
  const h = rng.next();
  const housing: FinancialProfile['housing'] =
    h < 0.35
      ? { kind: 'rent', landlord: contact(rng), amountCents: roundYuan(monthly * (0.2 + 0.2 * rng.next()), 100), day: rng.int(1, 5) }
      : h < 0.65
        ? { kind: 'mortgage', amountCents: Math.round(monthly * (0.2 + 0.2 * rng.next()) * 100), day: rng.int(1, 28) }
        : { kind: 'owner' };
  const contacts: Counterparty[] = [];
  for (let i = rng.int(3, 6); i > 0; i--) contacts.push(contact(rng));
  return {
    segment,
    city,
    holderName,
    income,
    housing,
    telecom: rng.pick(TELECOMS),
    contacts,
    spendScale: Math.min(12, Math.max(0.5, monthly / 14_000)),
    paysByApp: rng.chance(0.6),
  };
}

function contact(rng: Random): Counterparty {
  return { name: generateName(rng, rng.chance(0.5) ? 'male' : 'female').full, account: randomCardNumber(rng) };
}

/** Whole yuan rounded to a multiple of `step`, in cents. */
function roundYuan(yuan: number, step: number): number {
  return Math.max(step, Math.round(yuan / step) * step) * 100;
}

/** Opening balances by kind and segment, in yuan (log-uniform between the bounds). */
const OPENING: Readonly<Record<AccountKind, Readonly<Record<Segment, readonly [number, number]>>>> = {
  debit: { retail: [2_000, 80_000], private: [200_000, 2_000_000], vip: [1_000_000, 20_000_000] },
  savings: { retail: [10_000, 300_000], private: [500_000, 5_000_000], vip: [3_000_000, 30_000_000] },
  credit: { retail: [10_000, 80_000], private: [100_000, 300_000], vip: [300_000, 1_000_000] },
};

/** Opening balance and credit limit for a new account of a segment. */
export function openingPosition(rng: Random, kind: AccountKind, segment: Segment): { balanceCents: number; limitCents: number } {
  const [lo, hi] = OPENING[kind][segment];
  if (kind === 'credit') {
    const limitCents = roundYuan(rng.logUniform(lo, hi), 1000);
    return { balanceCents: -Math.round(limitCents * 0.3 * rng.next()), limitCents };
  }
  return { balanceCents: Math.round(rng.logUniform(lo, hi) * 100), limitCents: 0 };
}

/**
 * How a line's amount is settled when it is posted, in time order: known in advance ('fixed'),
 * quarterly interest on the balance at the time, repayment of what a card owes at the time, or a
 * wealth-management subscription taking a share of the balance at the time.
 */
type Settle = 'fixed' | 'interest' | 'repayment' | 'subscription';

interface PlannedLine {
  ms: number;
  amount: number;
  settle: Settle;
  description: string;
  channel: Channel;
  counterpartyName: string | null;
  counterpartyAccount: string | null;
  category: Category;
}

type Filler = 'merchant' | 'transfer_out' | 'transfer_in' | 'atm' | 'red_packet' | 'cash_deposit' | 'refund' | 'cash_advance';

const FILLERS: Readonly<Record<AccountKind, Weighted<Filler>>> = {
  debit: new Weighted<Filler>([['merchant', 72], ['transfer_out', 8], ['transfer_in', 6], ['atm', 4], ['red_packet', 6], ['cash_deposit', 1], ['refund', 3]]),
  savings: new Weighted<Filler>([['merchant', 50], ['transfer_out', 15], ['transfer_in', 20], ['atm', 10], ['cash_deposit', 5]]),
  credit: new Weighted<Filler>([['merchant', 93], ['refund', 5], ['cash_advance', 2]]),
};

/** Local hour of everyday activity: quiet at night, peaks at lunch and in the evening. */
const ACTIVE_HOURS = new Weighted<number>([
  [7, 3], [8, 5], [9, 5], [10, 5], [11, 7], [12, 10], [13, 7], [14, 5], [15, 5], [16, 5], [17, 6], [18, 9],
  [19, 10], [20, 9], [21, 7], [22, 4], [23, 2], [0, 1],
]);

/**
 * Generates the statement lines of `account` over `period`, in posting order.
 * Deterministic: the same stream, account, profile and period give the same lines.
 */
export function generateTransactions(rng: Random, account: StatementAccount, profile: FinancialProfile, period: Period): TransactionRecord[] {
  const out: TransactionRecord[] = [];
  let balance = account.openingBalanceCents;
  const planned: PlannedLine[] = [];
  for (const slice of monthsOf(period.from, period.to)) {
    planned.length = 0;
    planFixedLines(rng, account, profile, slice, planned);
    const target = linesForSlice(rng, slice);
    for (let i = planned.length; i < target; i++) planned.push(planFiller(rng, account, profile, slice));
    planned.sort((a, b) => a.ms - b.ms);
    for (const line of planned) balance = post(rng, account, profile, line, balance, out);
  }
  return out;
}

/** 20–40 lines for a full month, skewed towards 20 (mean ≈ 27); pro-rated for partial months. */
function linesForSlice(rng: Random, slice: MonthSlice): number {
  const u = rng.next();
  const full = LINES_PER_MONTH.min + Math.floor((LINES_PER_MONTH.max - LINES_PER_MONTH.min + 1) * u * u);
  const days = slice.to - slice.from;
  return days === slice.length ? full : Math.max(1, Math.round((full * days) / slice.length));
}

function at(slice: MonthSlice, dayOfMonth: number): number | null {
  const day = slice.first + Math.min(dayOfMonth, slice.length) - 1;
  return day >= slice.from && day < slice.to ? day : null;
}

function instant(rng: Random, day: number, fromHour: number, toHour: number): number {
  return beijingInstantMs(day, fromHour * 3600 + Math.floor(rng.next() * (toHour - fromHour) * 3600));
}

function line(ms: number, amount: number, description: string, channel: Channel, counterparty: Counterparty | null, category: Category, settle: Settle = 'fixed'): PlannedLine {
  return { ms, amount, settle, description, channel, counterpartyName: counterparty?.name ?? null, counterpartyAccount: counterparty?.account ?? null, category };
}

function jitter(rng: Random, cents: number, spread: number): number {
  return Math.round(cents * (1 - spread + 2 * spread * rng.next()));
}

function planFixedLines(rng: Random, account: StatementAccount, p: FinancialProfile, slice: MonthSlice, out: PlannedLine[]): void {
  let day: number | null;
  if (account.kind === 'credit') {
    if ((day = at(slice, 8)) !== null) {
      const auto = rng.chance(0.6);
      out.push(line(instant(rng, day, auto ? 1 : 9, auto ? 4 : 22), 0, auto ? '自动还款' : '信用卡还款', auto ? '批量' : '手机银行',
        { name: p.holderName, account: account.ownDebitCard }, 'card_repayment', 'repayment'));
    }
    return;
  }
  if (INTEREST_MONTHS.has(slice.month) && (day = at(slice, INTEREST_DAY)) !== null) {
    out.push(line(instant(rng, day, 0, 2), 0, '结息', '批量', null, 'interest', 'interest'));
  }
  if (!account.primary && account.ownDebitCard && (day = at(slice, p.income.day + 1)) !== null) {
    // Savings and second cards are fed from the salary card, the day after payday.
    const share = account.kind === 'savings' ? 0.1 + 0.3 * rng.next() : 0.2 + 0.3 * rng.next();
    out.push(line(instant(rng, day, 9, 22), roundYuan((p.income.amountCents / 100) * share, 100), '转账存入', '手机银行',
      { name: p.holderName, account: account.ownDebitCard }, 'transfer_in'));
  }
  if (account.kind === 'savings') {
    if (rng.chance(0.5) && (day = at(slice, rng.int(1, 28))) !== null) {
      out.push(line(instant(rng, day, 9, 15), 0, `理财申购 ${rng.pick(WEALTH_PRODUCTS)}`, '手机银行', null, 'wealth', 'subscription'));
    }
    if (rng.chance(0.4) && (day = at(slice, rng.int(1, 28))) !== null) {
      out.push(line(instant(rng, day, 9, 15), Math.round(p.income.amountCents * (0.2 + rng.next())), `理财赎回 ${rng.pick(WEALTH_PRODUCTS)}`, '批量', null, 'wealth'));
    }
    return;
  }
  if (!account.primary) return;
  const income = p.income;
  if ((day = at(slice, income.day)) !== null) {
    out.push(line(instant(rng, day, 8, 11), jitter(rng, income.amountCents, 0.03), income.kind === 'salary' ? '代发工资' : '养老金', '批量', income.payer, 'salary'));
    if (income.kind === 'salary' && slice.month === 1 && rng.chance(0.7)) {
      out.push(line(instant(rng, day, 8, 11), Math.round(income.amountCents * (1 + 2 * rng.next())), '代发年终奖', '批量', income.payer, 'salary'));
    }
  }
  const housing = p.housing;
  if (housing.kind === 'rent' && (day = at(slice, housing.day)) !== null) {
    out.push(line(instant(rng, day, 19, 23), -housing.amountCents, '房租', '手机银行', housing.landlord, 'rent'));
  } else if (housing.kind === 'mortgage' && (day = at(slice, housing.day)) !== null) {
    out.push(line(instant(rng, day, 1, 4), -housing.amountCents, '个人住房贷款还款', '批量', null, 'mortgage'));
  }
  const utilities = UTILITIES[p.city];
  const channel: Channel = p.paysByApp ? '快捷支付' : '批量';
  const scale = Math.sqrt(p.spendScale);
  if ((day = at(slice, 12)) !== null) {
    out.push(line(instant(rng, day, p.paysByApp ? 9 : 2, p.paysByApp ? 22 : 5), -Math.round(rng.logUniform(80, 400) * scale * 100), p.paysByApp ? '支付宝-电费' : '代扣电费', channel, { name: utilities.electricity, account: null }, 'utilities'));
  }
  if ((day = at(slice, 16)) !== null) {
    out.push(line(instant(rng, day, p.paysByApp ? 9 : 2, p.paysByApp ? 22 : 5), -Math.round(rng.logUniform(30, 180) * scale * 100), p.paysByApp ? '支付宝-燃气费' : '代扣燃气费', channel, { name: utilities.gas, account: null }, 'utilities'));
  }
  if (slice.month % 2 === 1 && (day = at(slice, 18)) !== null) {
    out.push(line(instant(rng, day, p.paysByApp ? 9 : 2, p.paysByApp ? 22 : 5), -Math.round(rng.logUniform(30, 150) * scale * 100), p.paysByApp ? '支付宝-水费' : '代扣水费', channel, { name: utilities.water, account: null }, 'utilities'));
  }
  if ((day = at(slice, rng.int(1, 28))) !== null) {
    out.push(line(instant(rng, day, 8, 23), -100 * rng.pick([50, 100, 100, 200]), '话费充值', '快捷支付', { name: p.telecom, account: null }, 'telecom'));
  }
  if (account.ownCreditCard && (day = at(slice, 7)) !== null) {
    out.push(line(instant(rng, day, 9, 22), -Math.round(rng.logUniform(800, 8_000) * p.spendScale * 100), '信用卡还款', '手机银行',
      { name: p.holderName, account: account.ownCreditCard }, 'card_repayment'));
  }
}

function planFiller(rng: Random, account: StatementAccount, p: FinancialProfile, slice: MonthSlice): PlannedLine {
  const day = slice.from + Math.floor(rng.next() * (slice.to - slice.from));
  const kind = FILLERS[account.kind].pick(rng);
  switch (kind) {
    case 'merchant':
      return merchantLine(rng, p, beijingInstantMs(day, ACTIVE_HOURS.pick(rng) * 3600 + rng.int(0, 3599)));
    case 'transfer_out': {
      const to = rng.pick(p.contacts);
      return line(instant(rng, day, 8, 23), -roundYuan(rng.logUniform(100, 5_000) * p.spendScale, 10), rng.chance(0.5) ? '转账汇款' : '跨行转出', rng.chance(0.8) ? '手机银行' : '网银', to, 'transfer_out');
    }
    case 'transfer_in': {
      const from = rng.pick(p.contacts);
      return line(instant(rng, day, 8, 23), roundYuan(rng.logUniform(100, 5_000) * p.spendScale, 10), rng.chance(0.5) ? '转账存入' : '跨行转入', '手机银行', from, 'transfer_in');
    }
    case 'atm':
      return line(instant(rng, day, 7, 23), -100 * 100 * rng.int(1, 30), 'ATM取款', 'ATM', null, 'cash_withdrawal');
    case 'red_packet': {
      const incoming = rng.chance(0.45);
      const cents = Math.round(rng.logUniform(5, 300) * 100);
      return line(instant(rng, day, 8, 24), incoming ? cents : -cents, incoming ? '财付通-微信红包' : '财付通-微信转账', '快捷支付',
        { name: '财付通支付科技有限公司', account: null }, incoming ? 'transfer_in' : 'transfer_out');
    }
    case 'cash_deposit':
      return line(instant(rng, day, 9, 17), 100 * 100 * rng.int(5, 200), '现金存入', '柜面', null, 'cash_deposit');
    case 'refund': {
      const m = MERCHANTS.pick(rng);
      return line(instant(rng, day, 0, 24), Math.round(rng.logUniform(m.min, m.max) * 100), `退款 ${m.brand}`, '快捷支付', { name: m.legalName, account: null }, 'refund');
    }
    case 'cash_advance':
      return line(instant(rng, day, 7, 23), -100 * 100 * rng.int(5, 20), '信用卡取现', 'ATM', null, 'cash_withdrawal');
  }
}

function merchantLine(rng: Random, p: FinancialProfile, ms: number): PlannedLine {
  const m = MERCHANTS.pick(rng);
  const scale = m.category === 'dining' || m.category === 'transport' || m.category === 'fuel' ? Math.sqrt(p.spendScale) : p.spendScale;
  const amount = -Math.max(1, Math.round(rng.logUniform(m.min, m.max) * scale * 100));
  const online = m.pay === 'online' || (m.pay === 'both' && rng.chance(0.6));
  if (online) {
    const app = (m.apps ?? PAYMENT_APPS).pick(rng);
    return line(ms, amount, `${app.label}-${m.brand}`, '快捷支付', { name: app.legalName, account: null }, m.category);
  }
  return line(ms, amount, `消费 ${m.brand}`, 'POS', { name: m.legalName, account: null }, m.category);
}

/** Settles one planned line against the running balance and appends it; returns the new balance. */
function post(rng: Random, account: StatementAccount, p: FinancialProfile, planned: PlannedLine, balance: number, out: TransactionRecord[]): number {
  let amount = planned.amount;
  let { description, channel, counterpartyName, counterpartyAccount, category } = planned;
  switch (planned.settle) {
    case 'interest':
      amount = Math.max(1, Math.round((Math.max(0, balance) * DEMAND_DEPOSIT_RATE) / 4));
      break;
    case 'repayment':
      amount = balance < 0 ? (rng.chance(0.85) ? -balance : Math.max(1, Math.round(-balance * (0.1 + 0.5 * rng.next())))) : 0;
      break;
    case 'subscription':
      // A share of the balance in whole hundreds of yuan; nothing to invest makes it a purchase below.
      amount = -Math.floor((Math.max(0, balance) * (0.05 + 0.3 * rng.next())) / 10_000) * 10_000;
      break;
    case 'fixed':
      break;
  }
  const floor = account.kind === 'credit' ? -account.creditLimitCents : 0;
  if (amount <= 0 && balance + amount < floor) {
    // The account cannot cover it: spend part of what is left, or (when little is left) the
    // household tops the account up instead, as a relative's transfer.
    const room = balance - floor;
    if (room >= 10_000) {
      amount = -Math.floor(room * (0.3 + 0.5 * rng.next()));
    } else {
      const from = rng.pick(p.contacts);
      amount = roundYuan(rng.logUniform(500, 5_000) * p.spendScale, 100);
      description = account.kind === 'credit' ? '信用卡还款' : '转账存入';
      channel = '手机银行';
      counterpartyName = account.kind === 'credit' ? p.holderName : from.name;
      counterpartyAccount = account.kind === 'credit' ? account.ownDebitCard : from.account;
      category = account.kind === 'credit' ? 'card_repayment' : 'transfer_in';
    }
  } else if (amount === 0) {
    // Nothing owed on the due date: the line becomes an ordinary purchase.
    const m = merchantLine(rng, p, planned.ms);
    amount = balance + m.amount >= floor ? m.amount : -1;
    ({ description, channel, counterpartyName, counterpartyAccount, category } = m);
  }
  balance += amount;
  out.push({
    account_id: account.id,
    posted_at: new Date(planned.ms).toISOString(),
    amount_cents: amount,
    balance_cents: balance,
    currency: account.currency,
    description,
    channel,
    counterparty_name: counterpartyName,
    counterparty_account: counterpartyAccount,
    category,
  });
  return balance;
}
