/**
 * Attempts refused unchecked — inside a sign-in delay or against a lock — come in floods: a guesser
 * who keeps sending gets a 429 each time. Each is evidence, but one entry each would let anyone write
 * the record as fast as they can send without signing in. They are counted instead
 * (audit/refusal-tally.ts): one entry when a window opens, one with the rest of the count when it
 * closes. A known employee's attempts are counted against the employee; anyone else's against the
 * address, since an unknown name may be a password typed into the wrong field and is never written down.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { AuditActor } from '../audit/record.ts';
import type { TallyFacts } from '../audit/actions.ts';
import { countRefusal, isTalliedActor, type TallyKind, type TalliedActor } from '../audit/refusal-tally.ts';

const TEN_MINUTES = 10 * 60_000;

/** Staff and portal sign-ins refused unchecked. */
export const SIGN_IN_HELD_BACK: TallyKind<'login.failed'> = { name: 'sign-in-held-back', action: 'login.failed', windowMs: TEN_MINUTES };
/** Portal code sends refused unchecked (written as `request.refused` before issue 10: the refusal is the identity service's). */
export const CODE_SEND_HELD_BACK: TallyKind<'portal.code_refused'> = { name: 'code-send-held-back', action: 'portal.code_refused', windowMs: TEN_MINUTES };

export interface HeldBackAttempt<A extends HeldBackAction> {
  /** The employee the attempt named, or the anonymous actor. */
  actor: AuditActor;
  ip: string;
  traceId: string;
  detail: TallyFacts[A];
}

type HeldBackAction = 'login.failed' | 'portal.code_refused';

/** The actor a held-back attempt is counted against: the named employee, else the client's address. */
export function heldBackActor(actor: AuditActor, ip: string): TalliedActor {
  return isTalliedActor(actor) ? actor : { ...actor, id: `address:${ip}` };
}

export async function recordHeldBack<A extends HeldBackAction>(db: Kysely<Database>, kind: TallyKind<A>, attempt: HeldBackAttempt<A>, now: Date): Promise<void> {
  await countRefusal(db, kind, heldBackActor(attempt.actor, attempt.ip), now, { traceId: attempt.traceId, detail: attempt.detail });
}
