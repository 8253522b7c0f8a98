/**
 * A refused attempt by a signed-in person is evidence, whatever refused it: the schema, the body
 * parser or a service. Services record their own refusals with context; this catches the rest.
 * Rate-limit refusals come in floods, so they are counted per principal (audit/refusal-tally.ts):
 * one entry when a principal's window of refusals opens, one with the rest of the count when it closes.
 */
import type { FastifyRequest } from 'fastify';
import type { AppContext } from './context.ts';
import type { FlowguardError } from '../errors.ts';
import { appendAuditEntry } from '../audit/record.ts';
import { auditActorOf } from '../identity/principal.ts';
import { countRefusal, isTalliedActor, type TallyKind } from '../audit/refusal-tally.ts';

/**
 * Rate-limit refusals of one principal, in windows of 10 minutes: a flood costs the record at most
 * two entries per principal per window, and its first entry is written as it starts.
 */
export const RATE_LIMITED: TallyKind = { name: 'rate-limited', action: 'request.rate_limited', windowMs: 10 * 60_000 };

export async function recordUnrecordedRefusal(ctx: AppContext, request: FastifyRequest, error: FlowguardError): Promise<void> {
  const principal = request.principal;
  if (!principal || error.recorded || error.status < 400 || error.status >= 500) return;
  try {
    const actor = auditActorOf(principal);
    if (error.code === 'rate_limited' && isTalliedActor(actor)) {
      await countRefusal(ctx.store.db, RATE_LIMITED, actor, ctx.now(), {
        traceId: request.id,
        detail: { method: request.method, route: request.routeOptions.url ?? null, status: error.status },
      });
      error.recorded = true;
      return;
    }
    await appendAuditEntry(ctx.store.db, {
      action: 'request.refused',
      actor,
      traceId: request.id,
      detail: { method: request.method, route: request.routeOptions.url ?? null, error: error.code, status: error.status },
    }, ctx.now());
    error.recorded = true;
  } catch (e) {
    request.log.error({ err: e }, 'could not record a refused request');
  }
}
