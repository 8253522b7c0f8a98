/**
 * Whether a customer may read a log entry that is about them: only when their own access history
 * shows it, so an access withheld by the no-tipping-off rules stays hidden in the log too. The log
 * (audit) cannot ask this itself — customers sit above it — so the server hands this check to the
 * log routes.
 */
import type { AppContext } from '../server/context.ts';
import { accessHistory } from './history.ts';

/** True when the customer's history, without withheld items, lists the entry at `seq`. */
export async function historyShowsEntry(ctx: AppContext, customerId: string, seq: number): Promise<boolean> {
  const visible = await accessHistory(ctx, customerId, { includeWithheld: false });
  return visible.some((item) => item.seq === seq);
}
