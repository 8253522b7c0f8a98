/**
 * The security dashboard's series, each a plain count over the record or the requests in a window,
 * so a test (or an auditor with SQL) can recompute every number shown.
 */
import type { AppContext } from '../server/context.ts';

/** Actions that put a statement in front of an employee: an access, as the dashboard counts it. */
export const ACCESS_ACTIONS = ['statement.viewed', 'statement.exported'] as const;

export interface DashboardSeries {
  window: { from: string; to: string; hours: number };
  /** One bucket per UTC hour in the window, oldest first; `hour` is the ISO hour `YYYY-MM-DDTHH`. */
  accessesPerHour: Array<{ hour: string; count: number }>;
  decisionsByOutcome: Array<{ outcome: string; count: number }>;
  /** Requests by deciding policy id (a request decided by two policies counts for both). */
  decisionsByReason: Array<{ policyId: string; count: number }>;
  purposes: Array<{ purpose: string; count: number }>;
  /** Employees (pseudonyms) by the number of distinct customers whose statement they accessed. */
  topEmployees: Array<{ pseudonym: string; branchId: string; distinctCustomers: number; accesses: number }>;
  breakGlass: { count: number; openReviews: number };
  pendingApprovals: number;
}

function countBy<T>(items: readonly T[], key: (item: T) => string | string[]): Array<{ key: string; count: number }> {
  const counts = new Map<string, number>();
  for (const item of items) for (const k of [key(item)].flat()) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts].map(([k, count]) => ({ key: k, count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

/** The hour buckets covering `hours` hours up to and including the hour of `now`. */
export function hourBuckets(now: Date, hours: number): string[] {
  const end = Math.floor(now.getTime() / 3_600_000);
  return Array.from({ length: hours }, (_, i) => new Date((end - hours + 1 + i) * 3_600_000).toISOString().slice(0, 13));
}

/** Every series over the last `hours` hours (requests and accesses created in the window). */
export async function dashboardSeries(ctx: AppContext, hours: number): Promise<DashboardSeries> {
  const now = ctx.now();
  const buckets = hourBuckets(now, hours);
  const from = `${buckets[0]}:00:00.000Z`;
  const db = ctx.store.db;

  const accesses = await db.selectFrom('audit_entries')
    .select(['created_at', 'actor_id', 'customer_id'])
    .where('action', 'in', [...ACCESS_ACTIONS]).where('created_at', '>=', from).execute();
  const perHour = new Map(buckets.map((b) => [b, 0]));
  for (const a of accesses) {
    const h = a.created_at.slice(0, 13);
    if (perHour.has(h)) perHour.set(h, perHour.get(h)! + 1);
  }

  const requests = await db.selectFrom('statement_requests')
    .select(['decision', 'purpose', 'break_glass'])
    .where('created_at', '>=', from).execute();
  const decisions = requests.map((r) => {
    try {
      const d = JSON.parse(r.decision) as { outcome?: string; policyIds?: string[] };
      return { outcome: d.outcome ?? 'unknown', policyIds: d.policyIds ?? [] };
    } catch {
      return { outcome: 'unknown', policyIds: [] };
    }
  });

  const byEmployee = new Map<string, { customers: Set<string>; accesses: number }>();
  for (const a of accesses) {
    if (!a.actor_id) continue;
    const e = byEmployee.get(a.actor_id) ?? { customers: new Set<string>(), accesses: 0 };
    if (a.customer_id) e.customers.add(a.customer_id);
    e.accesses++;
    byEmployee.set(a.actor_id, e);
  }
  const ids = [...byEmployee.keys()];
  const employees = ids.length === 0 ? [] : await db.selectFrom('employees').select(['id', 'pseudonym', 'branch_id']).where('id', 'in', ids).execute();
  const topEmployees = employees
    .map((e) => ({ pseudonym: e.pseudonym, branchId: e.branch_id, distinctCustomers: byEmployee.get(e.id)!.customers.size, accesses: byEmployee.get(e.id)!.accesses }))
    .sort((a, b) => b.distinctCustomers - a.distinctCustomers || b.accesses - a.accesses || a.pseudonym.localeCompare(b.pseudonym))
    .slice(0, 10);

  const openReviews = await db.selectFrom('post_reviews').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'open').executeTakeFirstOrThrow();
  const pending = await db.selectFrom('statement_requests').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'pending_approval').where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now.toISOString())]))
    .executeTakeFirstOrThrow();

  return {
    window: { from, to: now.toISOString(), hours },
    accessesPerHour: buckets.map((hour) => ({ hour, count: perHour.get(hour)! })),
    decisionsByOutcome: countBy(decisions, (d) => d.outcome).map(({ key, count }) => ({ outcome: key, count })),
    decisionsByReason: countBy(decisions, (d) => d.policyIds).map(({ key, count }) => ({ policyId: key, count })),
    purposes: countBy(requests, (r) => r.purpose).map(({ key, count }) => ({ purpose: key, count })),
    topEmployees,
    breakGlass: { count: requests.filter((r) => r.break_glass === 1).length, openReviews: Number(openReviews.n) },
    pendingApprovals: Number(pending.n),
  };
}
