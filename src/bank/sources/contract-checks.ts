/**
 * What Flowguard checks of every answer from a bank's system before the gate shapes it, whatever the
 * adapter: a source that hands back another customer's account, or rows outside the period asked
 * for, would show an employee what the decision did not allow. A failed check is
 * `source_invalid_response`, naming the rule broken, never the data.
 */
import { sourceInvalidResponse, type SourceAccount, type StatementRow } from '../statement-source.ts';

/** An ISO-8601 UTC instant as the contract writes it (Date.prototype.toISOString). */
const CANONICAL_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** `YYYY-MM-DD` (00:00 UTC) or an ISO-8601 instant → epoch ms; NaN when it is neither. */
export function periodBoundMs(bound: string): number {
  if (/^\d{4}-\d{2}-\d{2}$/.test(bound)) return Date.parse(`${bound}T00:00:00.000Z`);
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/.test(bound) ? Date.parse(bound) : Number.NaN;
}

/**
 * An instant from a bank's system in the contract's form (`…T…sss Z`), or null when it is not an
 * instant with an explicit offset: a time without one would be read in this server's zone.
 */
export function canonicalInstant(value: string | Date): string | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (CANONICAL_INSTANT.test(value)) return value;
  const ms = periodBoundMs(value);
  return /T/.test(value) && Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** The customer's accounts in id order; refuses an account of anyone else and a repeated id. */
export function checkAccounts(customerId: string, accounts: SourceAccount[]): SourceAccount[] {
  const seen = new Set<string>();
  for (const [i, a] of accounts.entries()) {
    if (a.customerId !== customerId) throw sourceInvalidResponse(`account #${i + 1} belongs to another customer than the one asked for`);
    if (seen.has(a.id)) throw sourceInvalidResponse(`account #${i + 1} repeats an account id`);
    seen.add(a.id);
  }
  return [...accounts].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
}

/** Refuses a row outside [from, to) and rows out of time order. */
export function checkRows(from: string, to: string, rows: readonly StatementRow[]): void {
  const start = periodBoundMs(from);
  const end = periodBoundMs(to);
  let previous = Number.NEGATIVE_INFINITY;
  for (const [i, r] of rows.entries()) {
    const at = Date.parse(r.postedAt);
    if (!(at >= start && at < end)) throw sourceInvalidResponse(`row #${i + 1} was posted outside the period asked for`);
    if (at < previous) throw sourceInvalidResponse(`row #${i + 1} is out of time order`);
    previous = at;
  }
}

/** Money as integer cents: a JSON number or PostgreSQL's bigint text, exact (|n| < 2^53). */
export function cents(value: unknown): number | null {
  const n = typeof value === 'string' && /^-?\d{1,16}$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : null;
}
