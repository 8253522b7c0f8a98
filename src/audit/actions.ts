/**
 * The actions of the record and what each one's `detail` holds: one type per action. This file has
 * no imports, so the console (web/) imports the action list from here and a missing label fails its
 * type check.
 *
 * ## How refusals are named
 * - A service that refuses an act on a subject it owns writes `<subject>.refused` or
 *   `<subject>.<act>_refused`, in the service, with a `ServiceRefusalDetail` (or a tally): a statement
 *   request `statement.refused`, a release `statement.release_refused`, an approval
 *   `approval.refused`, a configuration change `config.change_refused`, a counter code
 *   `customer.code_refused`, a portal code `portal.code_refused`, a customer's log read
 *   `log.entry_refused`.
 * - `request.refused` is the HTTP layer's only: a request refused before any service took it
 *   (input hygiene, schema, sign-in, role), with the method, route and error. `request.rate_limited`
 *   is the HTTP layer's counted refusal.
 * - A wrong password or code is not a refusal but a failed sign-in: `login.failed`.
 * Entries keep the name they were written with: `request.refused` entries written before issue 10
 * include refused releases and held-back portal code sends; `portal.alerts_changed` is the old name
 * of `portal.access_notifications_changed`. Retired names stay readable and are never written again.
 *
 * ## Employees in a detail
 * The details are generic in how an employee appears: written as an `EmployeeRef` (record.ts turns
 * it into a pseudonym and a commitment), read back as `{ pseudonym, commitment }` — or, in entries of
 * version 1, as the bare employee ID.
 */

/** Every action, in the order the console's record filter offers them. */
export const AUDIT_ACTIONS = [
  'statement.requested', 'statement.refused', 'statement.viewed', 'statement.exported', 'statement.release_refused',
  'legal_warning.acknowledged',
  'approval.granted', 'approval.rejected', 'approval.refused',
  'break_glass.used', 'post_review.closed',
  'customer.searched', 'customer.code_sent', 'customer.code_refused', 'customer.access_history_viewed',
  'access_reports.listed', 'post_reviews.listed',
  'history.withheld',
  'login.succeeded', 'login.failed', 'logout', 'login.released',
  'config.change_proposed', 'config.change_applied', 'config.change_rejected', 'config.change_refused',
  'training.recorded', 'employee.revealed', 'flags.listed',
  'portal.code_sent', 'portal.code_refused', 'portal.login', 'portal.history_viewed', 'portal.access_notifications_changed',
  'portal.alerts_changed', 'portal.statement_viewed', 'portal.access_reported', 'portal.accounts_viewed',
  'request.refused', 'request.rate_limited',
  'log.entry_read', 'log.entry_refused', 'log.entries_shredded',
  'audit_record.searched', 'audit_record.entry_read',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Names entries written before still carry, which nothing writes any more. */
export type RetiredAction = 'portal.alerts_changed';

/** The actions a writer may append. */
export type WritableAction = Exclude<AuditAction, RetiredAction>;

const ACTION_SET: ReadonlySet<string> = new Set(AUDIT_ACTIONS);

/** Whether a stored action name is one of the record's. */
export function isAuditAction(name: string): name is AuditAction {
  return ACTION_SET.has(name);
}

export interface Period { from: string; to: string }

/** Why a service refused an act (access/refusals.ts): the error code, its message without numbers, the purpose if one was typed. */
export interface ServiceRefusalDetail { error: string; message: string; purpose: string | null }

/** The refusals a service writes with a `ServiceRefusalDetail` (access/refusals.ts). */
export type ServiceRefusalAction = 'statement.refused' | 'statement.release_refused' | 'approval.refused' | 'config.change_refused' | 'customer.code_refused';

/** The HTTP layer's refusal (server/refusal-record.ts, server/input-hygiene.ts). */
export interface HttpRefusalDetail {
  method: string;
  route: string | null;
  error: string;
  status: number;
  /** Input hygiene only: where the personal number was typed, and its masked form. */
  part?: string; field?: string; kind?: string; masked?: string;
}

/** A window of counted refusals (refusal-tally.ts). */
export interface TallyWindow { tally: string; refusals: number; window: { start: string; end: string } }
/** The entry a window's first refusal writes: that refusal's own facts and the window. */
export type TallyOpened<D> = D & TallyWindow & { first: true };
/** The entry that closes a window: the refusals no earlier entry counted. */
export interface TallyClosed extends TallyWindow { windowTotal: number; closedBy: 'next_window' | 'housekeeping' | 'shutdown' }
export type Tallied<D> = TallyOpened<D> | TallyClosed;

/** What a counted refusal's first entry says of the refusal itself, per action that is counted. */
export interface TallyFacts {
  'login.failed': FailedSignIn & { customerKnown?: boolean; hold?: string };
  'portal.code_refused': { reason: string; hold: string; act: string; mobile: string; ip: string };
  'request.rate_limited': { method: string; route: string | null; status: number };
  'log.entry_refused': Record<never, never>;
  /** Only windows opened before issue 10 (held-back portal code sends): closed under the name they opened with. */
  'request.refused': TallyFacts['portal.code_refused'];
}
export type TalliedAction = keyof TallyFacts;

const TALLIED: ReadonlySet<string> = new Set<TalliedAction>(['login.failed', 'portal.code_refused', 'request.rate_limited', 'log.entry_refused', 'request.refused']);

/** Whether a stored tally's action is one that is counted (refusal_tallies.action). */
export function isTalliedAction(name: string): name is TalliedAction {
  return TALLIED.has(name);
}

export type FailedSignIn =
  | { method: 'password'; usernameKnown: boolean; reason: string; ip: string; trustedDevice: boolean }
  | { method: 'portal_code'; reason: string; mobile: string; ip: string };

/** A released statement: what was shown or handed out, and the watermark it carried. */
export interface ReleaseDetail {
  purpose: string;
  output: string;
  accounts: string[];
  period: Period;
  rows: number;
  unmasked: string[];
  breakGlass: boolean;
  /** When it was drawn and the request tag; in version-1 entries, the watermark's text. */
  watermark: { time: string; tag: string } | string;
}

/** Each action's detail; `E` is how an employee appears (see the file comment), `Actor` how a whole actor does. */
export interface ActionDetails<E, Actor = E> {
  'statement.requested': {
    purpose: string; referenceKind: string; reference: string; accounts: string[]; period: Period; output: string;
    unmask: string[]; decision: string; policyIds: string[]; reason: { zh: string; en: string }; status: string;
  };
  'statement.refused': ServiceRefusalDetail;
  'statement.viewed': ReleaseDetail;
  'statement.exported': ReleaseDetail;
  'statement.release_refused': ServiceRefusalDetail;
  'legal_warning.acknowledged': { version: string };
  'approval.granted': { comment: string; requester: E; purpose: string };
  'approval.rejected': { comment: string; requester: E; purpose: string };
  'approval.refused': ServiceRefusalDetail;
  'break_glass.used': { justification: string | null; policyIds: string[] };
  'post_review.closed': { reviewId: string; outcome: string; comment: string; requester: E };
  'customer.searched': { termKind: 'digits' | 'customer_id' | 'text'; termLength: number; hits: string[] };
  'customer.code_sent': { codeId: string; sentTo: string };
  'customer.code_refused': ServiceRefusalDetail;
  /** Staff read a customer's access history (src/access/customer-data.ts); `customer` is the entry's. */
  'customer.access_history_viewed': { items: number; withheld: number };
  /** Staff listed customers' access reports; the customers whose reports they saw. */
  'access_reports.listed': { results: number; customers: string[] };
  /** Staff listed break-glass reviews; the customers whose statements they concern. */
  'post_reviews.listed': { results: number; customers: string[] };
  'history.withheld': { purpose: string; until: string | null };
  'login.succeeded': { method: 'password'; ip: string; trustedDevice: boolean; lockCleared?: boolean };
  'login.failed': FailedSignIn | Tallied<TallyFacts['login.failed']>;
  'logout': { via: string };
  'login.released': { employee: Actor; was: 'locked' | 'delayed' | 'free'; failures: number };
  /** A role grant's key is the employee it grants to: an employee reference like any other. */
  'config.change_proposed': { changeId: string; kind: string; key: string | E; bodyBytes: number };
  'config.change_applied': { changeId: string; kind: string; key: string | E; proposer: E };
  'config.change_rejected': { changeId: string; kind: string; key: string | E; proposer: E };
  'config.change_refused': ServiceRefusalDetail;
  'training.recorded': { count: number; employees: E[] };
  'employee.revealed':
    | { employee: E; reason: string }
    | { seq: number; paths: string[]; employees: E[]; reason: string };
  'flags.listed': { filter: { kind: string | null; since: string | null }; results: number };
  'portal.code_sent': { mobile: string; delivered: boolean; ip: string };
  'portal.code_refused': Tallied<TallyFacts['portal.code_refused']>;
  'portal.login': { method: 'portal_code'; ip: string };
  'portal.history_viewed': { items: number };
  'portal.access_notifications_changed': { enabled: boolean };
  'portal.alerts_changed': { enabled: boolean };
  'portal.statement_viewed': { accounts: string[]; period: Period; rows: number };
  'portal.access_reported': { reportId: string; seq: number };
  'portal.accounts_viewed': { accounts: string[] };
  'request.refused': HttpRefusalDetail | Tallied<TallyFacts['request.refused']>;
  'request.rate_limited': Tallied<TallyFacts['request.rate_limited']>;
  'log.entry_read': { index: number; seq: number; treeSize: number; format: 'json' | 'proof' };
  'log.entry_refused': Tallied<TallyFacts['log.entry_refused']>;
  'log.entries_shredded': { before: string; count: number; ranges: Array<[number, number]> };
  'audit_record.searched': { filter: { [field: string]: unknown }; results: number };
  'audit_record.entry_read': { seq: number };
}

/** An employee as a stored entry shows it: version 2 a pseudonym and commitment, version 1 the ID. */
export type StoredEmployee = { pseudonym: string; commitment: string } | string;

/** An actor as a writer gives it: a core type, so callers name actors without importing audit's internals. */
export type { AuditActor } from '../core/principal.ts';

/** An actor as a stored entry shows it. */
export interface StoredActor {
  kind: 'staff' | 'customer' | 'system' | 'anonymous';
  /** Customers and system actors; staff only in version-1 entries. */
  id?: string | null;
  pseudonym?: string;
  commitment?: string;
  branchId?: string;
  bankRole?: string;
}

/** One stored entry of action `A`, as parsed from its bytes. */
export interface StoredEntryOf<A extends AuditAction> {
  v: number;
  time: string;
  action: A;
  actor: StoredActor;
  customer: string | null;
  request: string | null;
  detail: ActionDetails<StoredEmployee, StoredActor>[A];
  trace: string | null;
}

/** Any stored entry: narrow on `action` to read its detail. */
export type StoredEntry = { [A in AuditAction]: StoredEntryOf<A> }[AuditAction];
