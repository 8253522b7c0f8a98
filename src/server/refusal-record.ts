/**
 * A refused attempt by a signed-in person is evidence, whatever refused it: the schema, the body
 * parser or a service. Services record their own refusals with context; this catches the rest.
 */
import type { FastifyRequest } from 'fastify';
import type { AppContext } from './context.ts';
import type { FlowguardError } from '../errors.ts';
import { appendAuditEntry } from '../audit/record.ts';
import { auditActorOf } from '../identity/principal.ts';

export async function recordUnrecordedRefusal(ctx: AppContext, request: FastifyRequest, error: FlowguardError): Promise<void> {
  const principal = request.principal;
  if (!principal || error.recorded || error.status < 400 || error.status >= 500) return;
  try {
    await appendAuditEntry(ctx.store.db, {
      action: 'request.refused',
      actor: auditActorOf(principal),
      traceId: request.id,
      detail: { method: request.method, route: request.routeOptions.url ?? null, error: error.code, status: error.status },
    }, ctx.now());
    error.recorded = true;
  } catch (e) {
    request.log.error({ err: e }, 'could not record a refused request');
  }
}
