import type { AppContext } from '../server/context.ts';
import type { StaffPrincipal } from '../core/principal.ts';
import type { ServiceRefusalAction } from '../audit/actions.ts';
import { appendAuditEntry } from '../audit/record.ts';
import type { FlowguardError } from '../errors.ts';
import { auditActorOf as staffActor } from '../identity/principal.ts';
import { findFullNumbers, maskFullNumbers } from '../privacy/full-numbers.ts';

/**
 * Records a refused attempt in its own transaction (the attempt's own work was rolled back): who
 * tried what, and why it was refused. What was typed is kept only as far as it is not free text, and
 * masked: the record refuses a full number, and a refusal must not turn into a 500 that records nothing.
 */
export async function recordRefusal(
  ctx: AppContext,
  staff: StaffPrincipal,
  action: ServiceRefusalAction,
  error: FlowguardError,
  traceId: string,
  about: { customerId?: string | undefined; requestId?: string | undefined; purpose?: string | undefined },
): Promise<void> {
  error.recorded = true;
  const customerId = about.customerId && /^[A-Za-z0-9_-]{1,64}$/.test(about.customerId) && findFullNumbers(about.customerId).length === 0 ? about.customerId : null;
  await appendAuditEntry(ctx.store.db, {
    action,
    actor: staffActor(staff),
    customerId,
    requestId: about.requestId ?? null,
    traceId,
    detail: { error: error.code, message: redactNumbers(error.message).slice(0, 300), purpose: about.purpose === undefined ? null : maskFullNumbers(about.purpose).slice(0, 64) },
  }, ctx.now());
}

/** Long digit runs in a refused request's message may be a number someone typed; keep none. */
function redactNumbers(text: string): string {
  return text.replace(/[0-9Xx]{12,}/g, '[number]');
}
