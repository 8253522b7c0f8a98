/**
 * The one way routes reach customer data. A route builds an accessor for its caller and request —
 * `customerData(ctx, principal, traceId)` — and each method decides (the caller's kind; the gate's
 * checks), records, and returns. Routes get no statement source: the context they are given
 * (`routeContext`) refuses every read of it, and test/customer-data-boundary.test.ts fails when a
 * route file imports the source, the database module or a module this accessor wraps.
 *
 * Statements leave only through the statement gate and its release pipeline. The other reads of
 * customer data are deliberate exceptions, named in DIRECT_READS with the action that records each.
 */
import type { AppContext } from '../server/context.ts';
import type { CustomerPrincipal, Principal, StaffPrincipal } from '../core/principal.ts';
import type { StatementSource } from '../bank/statement-source.ts';
import { appendAuditEntry, type AuditAction } from '../audit/record.ts';
import { auditActorOf as staffActor } from '../identity/principal.ts';
import { FlowguardError } from '../errors.ts';
import { maskValue } from './masking.ts';
import { searchCustomers, type CustomerHit } from './customer-search.ts';
import { sendCounterCode, type CounterCodeSent } from './counter-codes.ts';
import { acknowledgeLegalWarning, releaseOwnStatement, releaseStatement } from './statement-gate.ts';
import type { Rendered } from './release/render.ts';
import { listPostReviews, type PostReviewView } from './post-reviews.ts';
import { listFlags, type FlagFilter, type FlagView } from './flags.ts';

export type { FlagFilter, FlagView };
import { accessHistory, type AccessHistoryItem } from '../customers/history.ts';
import { fileAccessReport, listAccessReports } from '../customers/access-reports.ts';
import { accessNotificationsEnabled, setAccessNotifications } from '../customers/access-notifications.ts';
import type { AccessReportTable } from '../store/schema.ts';

/**
 * Reads of customer data outside a statement request, each with the reason it exists and the action
 * that records it. Adding a read of customer data means adding it here, with its record.
 */
export const DIRECT_READS = {
  customerSearch: { action: 'customer.searched', why: 'find the customer to request for: masked hits, no segment or flags' },
  counterCode: { action: 'customer.code_sent', why: "text the customer's phone a code that proves they are at the counter" },
  portalAccounts: { action: 'portal.accounts_viewed', why: 'a customer lists their own accounts (card numbers masked) to pick one' },
  ownStatement: { action: 'portal.statement_viewed', why: 'a customer reads their own statement (PIPL Art. 45), through the release pipeline' },
  ownHistory: { action: 'portal.history_viewed', why: 'a customer reads who accessed their statement' },
  accessHistory: { action: 'customer.access_history_viewed', why: "security staff read a customer's access history, withheld items marked" },
  accessReports: { action: 'access_reports.listed', why: "security staff read customers' reports of accesses they do not recognise" },
  postReviews: { action: 'post_reviews.listed', why: 'reviewers read break-glass uses, with the customer and the justification' },
  silentFlags: { action: 'flags.listed', why: 'oversight reads what the policy flagged about requests (customer, request, employee pseudonym); never the requester' },
} as const satisfies Record<string, { action: AuditAction; why: string }>;

export interface CustomerData {
  /** Staff: masked search (recorded as customer.searched). */
  searchCustomers(q: string): Promise<CustomerHit[]>;
  /** Staff at a counter: a one-time code to the customer's phone (recorded). */
  sendCounterCode(customerId: string): Promise<CounterCodeSent>;
  /** Staff: acknowledge the legal warning of their own request (recorded). */
  acknowledgeLegalWarning(requestId: string, version: string): Promise<{ id: string; acknowledgedAt: string }>;
  /** Staff: release the statement of their own request through the gate (recorded before it is sent). */
  releaseStatement(requestId: string): Promise<Rendered>;
  /** Staff: a customer's access history with withheld items marked (recorded). */
  accessHistory(customerId: string): Promise<Array<AccessHistoryItem & { withheld: boolean }>>;
  /** Staff: customers' reports of accesses they do not recognise (recorded). */
  accessReports(): Promise<AccessReportTable[]>;
  /** Staff: break-glass uses and their reviews (recorded). */
  postReviews(): Promise<PostReviewView[]>;
  /** Staff: the silent flags, read and recorded in one transaction (flags.ts). */
  silentFlags(filter: FlagFilter): Promise<FlagView[]>;
  /** Customer: their own accounts, card numbers masked (recorded). */
  ownAccounts(): Promise<Array<{ id: string; cardNumber: string | null; kind: string; currency: string }>>;
  /** Customer: their own statement through the gate (recorded before it is sent). */
  ownStatement(accountId: string, period: { from: string; to: string }): Promise<Rendered>;
  /** Customer: who accessed their statement, withheld items left out (recorded). */
  ownHistory(): Promise<AccessHistoryItem[]>;
  /** Customer: report an access in their history (recorded with the report). */
  reportAccess(seq: number, comment: string): Promise<{ id: string }>;
  /** Customer: whether they get a text message for every access. */
  ownNotifications(): Promise<boolean>;
  /** Customer: turn access notifications on or off (recorded with the change). */
  setOwnNotifications(enabled: boolean): Promise<boolean>;
}

/** The full context behind each route context, known only here. */
const gateContexts = new WeakMap<AppContext, AppContext>();

/**
 * The context routes are given: everything the app context has, except that its statement source
 * refuses every read. A route, or a service a route calls directly, that reaches for the source
 * fails loudly instead of reading around the gate; the accessor built from it uses the real one.
 */
export function routeContext(ctx: AppContext): AppContext {
  const refusing: StatementSource = {
    accounts: () => Promise.reject(new Error('Customer data is read through customerData(…) only (src/access/customer-data.ts).')),
    rows: () => Promise.reject(new Error('Customer data is read through customerData(…) only (src/access/customer-data.ts).')),
  };
  const routeCtx = new Proxy(ctx, { get: (target, key, receiver) => (key === 'source' ? refusing : Reflect.get(target, key, receiver)) });
  gateContexts.set(routeCtx, ctx);
  return routeCtx;
}

export function customerData(routeCtx: AppContext, principal: Principal, traceId: string): CustomerData {
  const ctx = gateContexts.get(routeCtx) ?? routeCtx;
  const asStaff = (): StaffPrincipal => {
    if (principal.kind !== 'staff') throw new FlowguardError('forbidden', 'This is for bank staff; customers use the portal.');
    return principal;
  };
  const asCustomer = (): CustomerPrincipal => {
    if (principal.kind !== 'customer') throw new FlowguardError('forbidden', 'This is the customer portal; staff use the console.');
    return principal;
  };
  return {
    searchCustomers: (q) => searchCustomers(ctx, asStaff(), q, traceId),
    sendCounterCode: (customerId) => sendCounterCode(ctx, asStaff(), customerId, traceId),
    acknowledgeLegalWarning: (requestId, version) => acknowledgeLegalWarning(ctx, asStaff(), requestId, version, traceId),
    releaseStatement: (requestId) => releaseStatement(ctx, asStaff(), requestId, traceId),

    async accessHistory(customerId) {
      const staff = asStaff();
      const items = await accessHistory(ctx, customerId, { includeWithheld: true });
      // An unknown ID has no history and is not a customer: the entry names none.
      await appendAuditEntry(ctx.store.db, { action: DIRECT_READS.accessHistory.action, actor: staffActor(staff), customerId: items.length > 0 ? customerId : null, traceId, detail: { items: items.length, withheld: items.filter((i) => i.withheld).length } }, ctx.now());
      return items;
    },
    async accessReports() {
      const staff = asStaff();
      const reports = await listAccessReports(ctx);
      await appendAuditEntry(ctx.store.db, { action: DIRECT_READS.accessReports.action, actor: staffActor(staff), traceId, detail: { results: reports.length, customers: distinct(reports.map((r) => r.customer_id)) } }, ctx.now());
      return reports;
    },
    // listFlags appends its entry (DIRECT_READS.silentFlags) in the transaction that reads the flags.
    silentFlags: (filter) => listFlags(ctx, asStaff(), filter, traceId),
    async postReviews() {
      const staff = asStaff();
      const reviews = await listPostReviews(ctx);
      await appendAuditEntry(ctx.store.db, { action: DIRECT_READS.postReviews.action, actor: staffActor(staff), traceId, detail: { results: reviews.length, customers: distinct(reviews.map((r) => r.customerId)) } }, ctx.now());
      return reviews;
    },

    async ownAccounts() {
      const me = asCustomer();
      const rules = ctx.settings.masking();
      const accounts = (await ctx.source.accounts(me.customerId)).map((a) => ({ id: a.id, cardNumber: maskValue(a.cardNumber, rules.card_number, 'card_number'), kind: a.kind, currency: a.currency }));
      await appendAuditEntry(ctx.store.db, { action: DIRECT_READS.portalAccounts.action, actor: { kind: 'customer', id: me.customerId }, customerId: me.customerId, traceId, detail: { accounts: accounts.map((a) => a.id) } }, ctx.now());
      return accounts;
    },
    ownStatement: (accountId, period) => releaseOwnStatement(ctx, asCustomer().customerId, accountId, period, traceId),
    async ownHistory() {
      const me = asCustomer();
      const items = await accessHistory(ctx, me.customerId, { includeWithheld: false });
      await appendAuditEntry(ctx.store.db, { action: DIRECT_READS.ownHistory.action, actor: { kind: 'customer', id: me.customerId }, customerId: me.customerId, traceId, detail: { items: items.length } }, ctx.now());
      return items.map(({ withheld: _withheld, ...item }) => item);
    },
    reportAccess: (seq, comment) => fileAccessReport(ctx, asCustomer().customerId, seq, comment, traceId),
    ownNotifications: () => accessNotificationsEnabled(ctx.store.db, asCustomer().customerId),
    async setOwnNotifications(enabled) {
      const me = asCustomer();
      const now = ctx.now();
      // The change and its record commit together: a customer who turned them off is on record as having done so.
      await ctx.store.db.transaction().execute(async (tx) => {
        await setAccessNotifications(tx, me.customerId, enabled, now);
        await appendAuditEntry(tx, { action: 'portal.access_notifications_changed', actor: { kind: 'customer', id: me.customerId }, customerId: me.customerId, traceId, detail: { enabled } }, now);
      });
      return enabled;
    },
  };
}

function distinct(ids: string[]): string[] {
  return [...new Set(ids)];
}
