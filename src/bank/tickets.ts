/**
 * Service tickets: the business reasons staff have to look at a customer. Counter visits and calls
 * are everyday; loan applications and complaints regular; judicial assistance requests (协助查询/执行
 * from courts and police), anti-money-laundering cases and audit engagements rare. Their document
 * numbers follow the formats the issuers use, so a reference can be checked against them.
 */
import type { Insertable } from 'kysely';
import type { ServiceTicketTable } from '../store/schema.ts';
import type { DemoBranch } from './branches.ts';
import { MS_PER_DAY, beijingDay, dayParts } from './calendar.ts';
import type { Period, Segment } from './transactions.ts';
import type { Staff, StaffMember } from './staff.ts';
import type { Random } from './prng.ts';

export type TicketKind = ServiceTicketTable['kind'];
export type TicketRow = Insertable<ServiceTicketTable>;

const MINUTE = 60_000;

/** What ticket generation needs to know about the bank. */
export interface TicketContext {
  staff: Staff;
  period: Period;
  /** The moment the demo bank describes: nothing is opened or closed after it. */
  asOfMs: number;
  /** Allocates ticket ids in generation order. */
  nextId(): string;
}

export interface TicketCustomer {
  id: string;
  branch: DemoBranch;
  segment: Segment;
  relationshipManagerId: string | null;
  /** Honeytokens get the same history but never an open ticket: nobody has a reason to look. */
  honeytoken: boolean;
}

/** A court case number (案号), e.g. "(2026)沪0115执1234号": year, court code, case type, serial. */
export function courtCaseNumber(rng: Random, branch: DemoBranch, year: number): string {
  return `(${year})${rng.pick(branch.courts)}${rng.pick(['执', '执', '执保', '民初', '财保'])}${rng.int(1, 19_999)}号`;
}

/** A public security bureau's assistance request, e.g. "沪公(经)协查字〔2026〕123号". */
export function policeRequestNumber(rng: Random, branch: DemoBranch, year: number): string {
  return `${branch.police}公(经)协查字〔${year}〕${rng.int(1, 2_999)}号`;
}

/** An anti-money-laundering case id, e.g. "AML-2026-000123". */
export function amlCaseNumber(rng: Random, year: number): string {
  return `AML-${year}-${String(rng.int(1, 999_999)).padStart(6, '0')}`;
}

/** An internal audit engagement number, e.g. "AUD-2026-017". */
export function auditEngagementNumber(rng: Random, year: number): string {
  return `AUD-${year}-${String(rng.int(1, 999)).padStart(3, '0')}`;
}

function ymd(ms: number): string {
  const { year, month, dayOfMonth } = dayParts(beijingDay(new Date(ms)));
  return `${year}${String(month).padStart(2, '0')}${String(dayOfMonth).padStart(2, '0')}`;
}

function yearOf(ms: number): number {
  return dayParts(beijingDay(new Date(ms))).year;
}

/** The document number a ticket of this kind carries, or null for counter visits and calls. */
export function documentNumber(rng: Random, kind: TicketKind, branch: DemoBranch, openedMs: number): string | null {
  const year = yearOf(openedMs);
  switch (kind) {
    case 'judicial_assistance':
      return rng.chance(0.6) ? courtCaseNumber(rng, branch, year) : policeRequestNumber(rng, branch, year);
    case 'aml_case':
      return amlCaseNumber(rng, year);
    case 'audit_engagement':
      return auditEngagementNumber(rng, year);
    case 'loan_application':
      return `DK${ymd(openedMs)}${rng.digits(6)}`;
    case 'complaint':
      return `TS${ymd(openedMs)}${rng.digits(5)}`;
    case 'counter_visit':
    case 'call':
      return null;
  }
}

interface KindProfile {
  /** Expected tickets per customer over a year. */
  perYear: number;
  /** How long the ticket stays open, in minutes. */
  minutes: readonly [number, number];
  /** Share opened close enough to the end to still be open. */
  recentShare: number;
}

/** Yearly rates: every customer visits or calls now and then; judicial requests hit ~0.3 % a year. */
const KINDS: Readonly<Record<TicketKind, KindProfile>> = {
  counter_visit: { perYear: 1.2, minutes: [5, 45], recentShare: 0.005 },
  call: { perYear: 0.8, minutes: [3, 20], recentShare: 0.003 },
  loan_application: { perYear: 0.04, minutes: [3 * 1440, 20 * 1440], recentShare: 0.4 },
  complaint: { perYear: 0.015, minutes: [1440, 15 * 1440], recentShare: 0.2 },
  judicial_assistance: { perYear: 0.003, minutes: [2 * 1440, 10 * 1440], recentShare: 0.5 },
  aml_case: { perYear: 0.002, minutes: [10 * 1440, 60 * 1440], recentShare: 0.6 },
  audit_engagement: { perYear: 0.001, minutes: [5 * 1440, 30 * 1440], recentShare: 0.5 },
};

/** Who works a ticket of a kind for a customer; null when the call centre (outside the demo) took it. */
function assignee(rng: Random, kind: TicketKind, c: TicketCustomer, ctx: TicketContext): string | null {
  const branch = ctx.staff.working.get(c.branch.id);
  const from = (list: readonly StaffMember[] | undefined): string | null => (list && list.length > 0 ? rng.pick(list).id : null);
  switch (kind) {
    case 'counter_visit':
      return from(branch?.teller);
    case 'call':
      return rng.chance(0.5) ? null : c.relationshipManagerId ?? from(branch?.teller);
    case 'loan_application':
      return c.relationshipManagerId ?? from(branch?.relationship_manager) ?? from(branch?.back_office);
    case 'complaint':
      return rng.chance(0.7) ? from(branch?.back_office) : from(branch?.branch_manager);
    case 'judicial_assistance':
      return from(branch?.back_office);
    case 'aml_case':
      return rng.chance(0.7) ? from(ctx.staff.headOffice.investigator) : from(ctx.staff.headOffice.compliance_officer);
    case 'audit_engagement':
      return from(ctx.staff.headOffice.auditor);
  }
}

/** Small counts with the given mean (Poisson by inversion; means here are below 2). */
function poisson(rng: Random, mean: number): number {
  let k = 0;
  let p = Math.exp(-mean);
  let cdf = p;
  const u = rng.next();
  while (u > cdf && k < 20) {
    k += 1;
    p *= mean / k;
    cdf += p;
  }
  return k;
}

/** The tickets of one customer over the period, in generation order. */
export function generateTickets(rng: Random, c: TicketCustomer, ctx: TicketContext): TicketRow[] {
  const rows: TicketRow[] = [];
  const periodMs = (ctx.period.to - ctx.period.from) * MS_PER_DAY;
  const startMs = ctx.asOfMs - periodMs;
  for (const kind of Object.keys(KINDS) as TicketKind[]) {
    const k = KINDS[kind];
    for (let n = poisson(rng, (k.perYear * periodMs) / (365 * MS_PER_DAY)); n > 0; n--) {
      const minutes = rng.int(k.minutes[0], k.minutes[1]);
      const recent = rng.chance(k.recentShare);
      const openedMs = recent
        ? ctx.asOfMs - Math.floor(rng.next() * minutes * MINUTE)
        : startMs + Math.floor(rng.next() * Math.max(0, periodMs - minutes * MINUTE));
      const closedMs = openedMs + minutes * MINUTE;
      const open = closedMs > ctx.asOfMs && !c.honeytoken;
      rows.push(ticketRow(ctx.nextId(), c.id, assignee(rng, kind, c, ctx), kind, open,
        documentNumber(rng, kind, c.branch, openedMs), openedMs, Math.min(closedMs, ctx.asOfMs - MINUTE)));
    }
  }
  return rows;
}

/** An open ticket the demo tour relies on, opened shortly before the demo's moment. */
export function openDemoTicket(rng: Random, id: string, customerId: string, assignedTo: string, kind: TicketKind, branch: DemoBranch, asOfMs: number): TicketRow {
  const openedMs = asOfMs - (kind === 'counter_visit' ? rng.int(10, 40) : rng.int(1, 5) * 1440) * MINUTE;
  return ticketRow(id, customerId, assignedTo, kind, true, documentNumber(rng, kind, branch, openedMs), openedMs, null);
}

function ticketRow(id: string, customerId: string, assignedTo: string | null, kind: TicketKind, open: boolean, doc: string | null, openedMs: number, closedMs: number | null): TicketRow {
  return {
    id,
    customer_id: customerId,
    assigned_employee_id: assignedTo,
    kind,
    status: open ? 'open' : 'closed',
    document_number: doc,
    opened_at: new Date(openedMs).toISOString(),
    closed_at: open || closedMs === null ? null : new Date(Math.max(closedMs, openedMs)).toISOString(),
  };
}
