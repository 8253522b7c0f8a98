/**
 * One demo customer with everything attached: identity, accounts, household finances, relation to
 * staff and service tickets. A customer is generated from its own random stream (seed, index), so
 * customer 42 is the same whatever the size of the bank; only id-number uniqueness and ticket ids
 * depend on the customers generated before it.
 */
import type { Insertable } from 'kysely';
import type { AccountTable, CustomerRelationTable, CustomerTable } from '../store/schema.ts';
import { RETAIL_BRANCHES, type DemoBranch } from './branches.ts';
import { beijingIso, formatDay, parseDay } from './calendar.ts';
import { CardScramble, DEMO_BANK_BINS, demoCardNumber, type CardBin } from './card-number.ts';
import type { NamedCustomer, Relation } from './demo-accounts.ts';
import {
  generateAddress, generateMobile, generateName, generateRelativeName, pickResidenceCity, type City, type PersonName, type Sex,
} from './names.ts';
import { STREAM, Weighted, createRandom, type Random } from './prng.ts';
import { REGION_CODES, XINJIANG_REGION_CODES, generateResidentId, pickRegion } from './resident-id.ts';
import type { StaffMember } from './staff.ts';
import { generateTickets, openDemoTicket, type TicketContext, type TicketRow } from './tickets.ts';
import {
  createFinancialProfile, openingPosition, type AccountKind, type FinancialProfile, type Period, type Segment, type StatementAccount,
} from './transactions.ts';

/** What a customer index stands for. Everything not special is ordinary (and maybe a honeytoken). */
export type CustomerSlot =
  | { kind: 'named'; named: NamedCustomer }
  | { kind: 'employee'; member: StaffMember }
  | { kind: 'relative'; member: StaffMember; relation: Relation; declared: boolean }
  | { kind: 'ordinary'; honeytoken: boolean };

export interface BankContext {
  seed: number;
  branches: readonly DemoBranch[];
  period: Period;
  asOfDay: number;
  asOfMs: number;
  tickets: TicketContext;
  scramble: CardScramble;
  /** Resident id numbers already issued: the column is unique. */
  usedIdNumbers: Set<string>;
  branchPicker: Weighted<DemoBranch>;
}

export interface GeneratedAccount {
  row: Insertable<AccountTable>;
  statement: StatementAccount;
}

export interface GeneratedCustomer {
  index: number;
  row: Insertable<CustomerTable>;
  relation: Insertable<CustomerRelationTable> | null;
  accounts: GeneratedAccount[];
  profile: FinancialProfile;
  tickets: TicketRow[];
}

/** Customer id of index 0, 1, …: C0000001, C0000002, … */
export function customerId(index: number): string {
  return `C${String(index + 1).padStart(7, '0')}`;
}

/** Account id: the customer's number and the account's ordinal (A00000011 is C0000001's first). */
export function accountId(index: number, ordinal: number): string {
  return `A${String(index + 1).padStart(7, '0')}${ordinal + 1}`;
}

/** Segments of ordinary customers: retail ~85 %, private banking ~10 %, VIP ~5 %. */
const SEGMENTS = new Weighted<Segment>([['retail', 85], ['private', 10], ['vip', 5]]);
/** Share of public figures (entertainers, officials, entrepreneurs); they are private or VIP. */
const PUBLIC_FIGURE_SHARE = 0.003;
/** Adult age bands and their weights. */
const AGE_BANDS = new Weighted<readonly [number, number]>([
  [[18, 24], 10], [[25, 34], 22], [[35, 44], 22], [[45, 54], 20], [[55, 64], 15], [[65, 85], 11],
]);
const ACCOUNT_COUNT = new Weighted<number>([[1, 55], [2, 33], [3, 12]]);
const EXTRA_ACCOUNT = new Weighted<AccountKind>([['savings', 50], ['credit', 35], ['debit', 15]]);
const DAYS_PER_YEAR = 365.25;

/** Generates customer `index` for the given slot. */
export function generateCustomer(ctx: BankContext, index: number, slot: CustomerSlot): GeneratedCustomer {
  const rng = createRandom(ctx.seed, STREAM.customer, index);
  const id = customerId(index);
  const named = slot.kind === 'named' ? slot.named : null;
  const member = slot.kind === 'employee' || slot.kind === 'relative' ? slot.member : null;

  const branch = pickBranch(rng, ctx, slot);
  const sex = pickSex(rng, slot);
  const birthDay = pickBirthDay(rng, ctx, slot);
  const name = pickName(rng, slot, sex);
  const region = name.style === 'uyghur' ? rng.pick(XINJIANG_REGION_CODES) : pickRegion(rng, cityKey(branch.city));
  let idNumber = generateResidentId(rng, region, birthDay, sex);
  while (ctx.usedIdNumbers.has(idNumber)) idNumber = generateResidentId(rng, region, birthDay, sex);
  ctx.usedIdNumbers.add(idNumber);
  // Drawn even for named customers, so fixing a tour number does not shift the rest of the bank.
  const drawnMobile = generateMobile(rng);
  const mobile = named?.mobile ?? drawnMobile;
  const residence = pickResidenceCity(rng, branch.city);
  // Employees give their home address; undeclared relatives always live with them (that is how
  // detection finds them), declared relatives usually do.
  const sharesHome = slot.kind === 'employee' || (slot.kind === 'relative' && (!slot.declared || rng.chance(0.75)));
  const address = named?.address ?? (member && sharesHome ? member.home : generateAddress(rng, residence));

  const publicFigure = named ? named.isPublicFigure === true : slot.kind === 'ordinary' && rng.chance(PUBLIC_FIGURE_SHARE);
  const segment: Segment = named ? named.segment : publicFigure ? (rng.chance(0.6) ? 'vip' : 'private') : SEGMENTS.pick(rng);
  const working = ctx.tickets.staff.working.get(branch.id);
  const rmId = named
    ? (named.relationshipManagerId ?? null)
    : segment === 'retail' || !working || working.relationship_manager.length === 0
      ? null
      : rng.pick(working.relationship_manager).id;

  // Customer since before the period, so every account has a full history; the youngest opened
  // theirs as minors (from 16 on their own, earlier through a guardian), as mainland banks allow.
  const latest = ctx.period.from - 30;
  const earliest = Math.min(latest, Math.max(birthDay + Math.ceil(16 * DAYS_PER_YEAR), ctx.period.from - 25 * 365));
  const sinceDay = earliest + Math.floor(rng.next() * Math.max(1, latest - earliest));
  const honeytoken = named ? named.isHoneytoken === true : slot.kind === 'ordinary' && slot.honeytoken;

  const row: Insertable<CustomerTable> = {
    id,
    name: name.full,
    id_number: idNumber,
    mobile,
    address,
    branch_id: branch.id,
    segment,
    relationship_manager_id: rmId,
    is_public_figure: publicFigure ? 1 : 0,
    is_honeytoken: honeytoken ? 1 : 0,
    employee_id: named?.employeeId ?? (slot.kind === 'employee' ? slot.member.id : null),
    created_at: beijingIso(sinceDay, rng.int(9 * 3600, 17 * 3600)),
  };

  const age = Math.floor((ctx.asOfDay - birthDay) / DAYS_PER_YEAR);
  const profile = createFinancialProfile(rng, segment, residence, name.full, age);
  const accounts = generateAccounts(rng, ctx, index, named?.accounts ?? pickAccountKinds(rng), segment, branch, sinceDay);

  const relationOf = named?.relativeOf ?? (slot.kind === 'relative' ? { employeeId: slot.member.id, relation: slot.relation, declared: slot.declared } : null);
  const declaredBy = relationOf?.declared ? (member ?? ctx.tickets.staff.members.find((m) => m.id === relationOf.employeeId)) : undefined;
  const relation = relationOf?.declared && declaredBy
    ? { employee_id: relationOf.employeeId, customer_id: id, relation: relationOf.relation, declared_at: beijingIso(Math.min(ctx.asOfDay - 1, declaredBy.hiredDay + rng.int(0, 60)), rng.int(9 * 3600, 17 * 3600)) }
    : null;

  const ticketRng = createRandom(ctx.seed, STREAM.tickets, index);
  const ticketCustomer = { id, branch, segment, relationshipManagerId: rmId, honeytoken };
  const tickets = generateTickets(ticketRng, ticketCustomer, ctx.tickets);
  if (named?.openTicket) {
    tickets.push(openDemoTicket(ticketRng, ctx.tickets.nextId(), id, named.openTicket.assignedTo, named.openTicket.kind, branch, ctx.asOfMs));
  }
  return { index, row, relation, accounts, profile, tickets };
}

function cityKey(city: City): keyof typeof REGION_CODES | undefined {
  return city === '上海' || city === '北京' || city === '深圳' || city === '杭州' ? city : undefined;
}

function pickBranch(rng: Random, ctx: BankContext, slot: CustomerSlot): DemoBranch {
  const byId = (id: string) => ctx.branches.find((b) => b.id === id);
  switch (slot.kind) {
    case 'named':
      return byId(slot.named.branchId) ?? (RETAIL_BRANCHES[0] as DemoBranch);
    case 'employee':
      // Head-office staff bank at the branch downstairs.
      return byId(slot.member.branchId)?.retail ? (byId(slot.member.branchId) as DemoBranch) : (byId('SH01') as DemoBranch);
    case 'relative': {
      const own = byId(slot.member.branchId);
      return own?.retail && rng.chance(0.6) ? own : ctx.branchPicker.pick(rng);
    }
    case 'ordinary':
      return ctx.branchPicker.pick(rng);
  }
}

function pickSex(rng: Random, slot: CustomerSlot): Sex {
  if (slot.kind === 'named') return slot.named.sex;
  if (slot.kind === 'employee') return slot.member.name.sex;
  if (slot.kind === 'relative') {
    if (slot.relation === 'father') return 'male';
    if (slot.relation === 'mother') return 'female';
    if (slot.relation === 'spouse') return slot.member.name.sex === 'male' ? 'female' : 'male';
  }
  return rng.chance(0.5) ? 'male' : 'female';
}

function pickBirthDay(rng: Random, ctx: BankContext, slot: CustomerSlot): number {
  if (slot.kind === 'named' && slot.named.birthDate) return parseDay(slot.named.birthDate);
  if (slot.kind === 'employee') return slot.member.birthDay;
  const years = (n: number) => Math.round(n * DAYS_PER_YEAR);
  if (slot.kind === 'relative') {
    const own = slot.member.birthDay;
    const d = rng.int(0, 364);
    switch (slot.relation) {
      case 'father':
      case 'mother':
        return own - years(rng.int(23, 35)) - d;
      case 'child':
        return Math.min(own + years(rng.int(23, 35)) + d, ctx.asOfDay - years(18) - d);
      case 'spouse':
      case 'sibling':
        return own + years(rng.int(-5, 5)) + d;
    }
  }
  const [lo, hi] = AGE_BANDS.pick(rng);
  return ctx.asOfDay - years(rng.int(lo, hi)) - rng.int(0, 364);
}

function pickName(rng: Random, slot: CustomerSlot, sex: Sex): PersonName {
  switch (slot.kind) {
    case 'named': {
      const full = slot.named.name;
      return full.includes('·') ? { full, surname: null, sex, style: 'uyghur' } : { full, surname: full.slice(0, 1), sex, style: 'han' };
    }
    case 'employee':
      return slot.member.name;
    case 'relative':
      // Children take their father's surname; mothers and spouses keep their own.
      return slot.relation === 'mother' || slot.relation === 'spouse' ? generateName(rng, sex) : generateRelativeName(rng, slot.member.name, sex);
    case 'ordinary':
      return generateName(rng, sex);
  }
}

function pickAccountKinds(rng: Random): AccountKind[] {
  const kinds: AccountKind[] = ['debit'];
  for (let n = ACCOUNT_COUNT.pick(rng); kinds.length < n; ) {
    const k = EXTRA_ACCOUNT.pick(rng);
    if (k === 'credit' && kinds.includes('credit')) continue;
    kinds.push(k);
  }
  return kinds;
}

const BINS_BY_KIND: Readonly<Record<AccountKind, readonly CardBin[]>> = {
  debit: DEMO_BANK_BINS.filter((b) => b.kind === 'debit'),
  savings: DEMO_BANK_BINS.filter((b) => b.kind === 'savings'),
  credit: DEMO_BANK_BINS.filter((b) => b.kind === 'credit'),
};

/** Card serials: three per customer index, so numbers never collide across customers. */
const CARDS_PER_CUSTOMER = 3;

function generateAccounts(
  rng: Random, ctx: BankContext, index: number, kinds: readonly AccountKind[], segment: Segment, branch: DemoBranch, sinceDay: number,
): GeneratedAccount[] {
  const cards = kinds.map((kind, ordinal) => {
    const bin = rng.pick(BINS_BY_KIND[kind]);
    return demoCardNumber(bin, index * CARDS_PER_CUSTOMER + ordinal, ctx.scramble);
  });
  const debitCard = cards[0] ?? null;
  const creditCard = cards[kinds.indexOf('credit')] ?? null;
  return kinds.map((kind, ordinal) => {
    const opened = sinceDay + Math.floor(rng.next() * Math.max(1, ctx.period.from - sinceDay - 1) * (ordinal === 0 ? 0.1 : 1));
    const position = openingPosition(rng, kind, segment);
    const id = accountId(index, ordinal);
    return {
      row: { id, customer_id: customerId(index), card_number: cards[ordinal] as string, kind, currency: 'CNY', branch_id: branch.id, opened_on: formatDay(opened) },
      statement: {
        id, kind, currency: 'CNY', cardNumber: cards[ordinal] as string,
        openingBalanceCents: position.balanceCents, creditLimitCents: position.limitCents,
        primary: ordinal === 0,
        ownDebitCard: ordinal === 0 ? null : debitCard,
        ownCreditCard: ordinal === 0 ? creditCard : null,
      },
    };
  });
}
