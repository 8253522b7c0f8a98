/**
 * Refusals that come in floods — the rate limiter's 429s, a customer's misses while probing log
 * indexes — are evidence, but one entry per refusal lets a single client write the record (and the
 * public log) as fast as it can send: one session once wrote 47,734 entries in four minutes. Such
 * refusals are counted here instead, per principal and kind, in fixed windows held in the database,
 * so every node counts into the same window and no count lives only in a process's memory.
 *
 * A window's first refusal appends one entry at once (the record shows the flood as it starts);
 * later refusals in the window only add to its count; closing the window appends the rest of the
 * count as one entry. Each entry's `detail.refusals` counts refusals no earlier entry counted, so a
 * window's entries add up to its total. A window is closed — never silently dropped — by:
 * - the principal's next refusal of the kind after the window ended (`countRefusal`);
 * - the housekeeping schedule, every run including the one at start (`closeRefusalTallies(…, 'ended')`),
 *   which also closes what a node killed without a shutdown left open;
 * - a clean shutdown (`closeRefusalTallies(…, 'all')`), which closes open windows early.
 * Each close deletes the row and appends its entry in one transaction, so two nodes cannot both close it.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, RefusalTallyTable } from '../store/schema.ts';
import { appendAuditEntry, type AuditActor, type AuditEvent } from './record.ts';
import { isTalliedAction, type TallyClosed, type TalliedAction, type TallyFacts, type TallyWindow } from './actions.ts';

/** One kind of counted refusal: the action its entries carry and the length of its windows. */
export interface TallyKind<A extends TalliedAction = TalliedAction> {
  /** Stored in the key and as the entries' `detail.tally`. */
  readonly name: string;
  readonly action: A;
  readonly windowMs: number;
}

/** The refusal just counted: how many the window holds now, including it, and when the window ends. */
export interface CountedRefusal { refusals: number; windowEnd: Date; opened: boolean }

/** The open window of a principal, as far as it has counted. */
export interface OpenTally { refusals: number; windowEnd: Date }

/** Why a window was closed, as the closing entry says. */
export type CloseReason = 'next_window' | 'housekeeping' | 'shutdown';

type Db = Kysely<Database>;
type Tx = Transaction<Database>;

/** A named principal: refusals by nobody in particular are not tallied (there is no one to count them against). */
export type TalliedActor = AuditActor & { id: string };

/** Concurrent first refusals race for the new window's row at most once each; three tries are ample. */
const MAX_TRIES = 3;

/** True for an actor with an id, the only kind refusals can be counted against. */
export function isTalliedActor(actor: AuditActor): actor is TalliedActor {
  return actor.id !== null;
}

function tallyKey(kind: TallyKind, actor: TalliedActor): string {
  return `${kind.name}:${actor.kind}:${actor.id}`;
}

/**
 * Counts one refusal of `kind` against `actor` at `now`. The first refusal of a window appends one
 * entry (with `detail` and the trace id) in the same transaction that opens the window, after closing
 * the actor's ended window if there is one; any later refusal in the window is one counter update.
 */
/** What the first refusal of a window says of itself. */
export interface FirstRefusal<A extends TalliedAction> { traceId?: string | undefined; detail?: TallyFacts[A] }

export async function countRefusal<A extends TalliedAction>(db: Db, kind: TallyKind<A>, actor: TalliedActor, now: Date, first: FirstRefusal<A> = {}): Promise<CountedRefusal> {
  const key = tallyKey(kind, actor);
  const at = now.toISOString();
  for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
    const counted = await db.updateTable('refusal_tallies')
      .set({ refusals: sql<number>`refusals + 1` })
      .where('key', '=', key)
      .where('window_end', '>', at)
      .returning(['refusals', 'window_end'])
      .executeTakeFirst();
    if (counted) return { refusals: Number(counted.refusals), windowEnd: new Date(counted.window_end), opened: false };
    const opened = await db.transaction().execute((tx) => openWindow(tx, kind, key, actor, now, first));
    if (opened) return opened;
    // Another node opened the window between our update and our insert: count into it.
  }
  throw new Error(`Could not count a refusal in ${key} after ${MAX_TRIES} tries.`);
}

async function openWindow<A extends TalliedAction>(tx: Tx, kind: TallyKind<A>, key: string, actor: TalliedActor, now: Date, first: FirstRefusal<A>): Promise<CountedRefusal | null> {
  await closeWindow(tx, key, now, 'next_window', { evenIfOpen: false });
  const windowStart = now.toISOString();
  const windowEnd = new Date(now.getTime() + kind.windowMs).toISOString();
  const inserted = await tx.insertInto('refusal_tallies')
    .values({ key, tally: kind.name, action: kind.action, actor: JSON.stringify(actor), window_start: windowStart, window_end: windowEnd, refusals: 1, recorded: 1 })
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('key')
    .executeTakeFirst();
  if (!inserted) return null;
  const detail = { ...first.detail, tally: kind.name, refusals: 1, window: { start: windowStart, end: windowEnd }, first: true as const };
  await appendAuditEntry(tx, talliedEvent(kind.action, actor, detail, first.traceId), now);
  return { refusals: 1, windowEnd: new Date(windowEnd), opened: true };
}

/** The actor's open window of `kind` at `now`, or null when none is open. */
export async function openTally(db: Db, kind: TallyKind, actor: TalliedActor, now: Date): Promise<OpenTally | null> {
  const row = await db.selectFrom('refusal_tallies')
    .select(['refusals', 'window_end'])
    .where('key', '=', tallyKey(kind, actor))
    .where('window_end', '>', now.toISOString())
    .executeTakeFirst();
  return row ? { refusals: Number(row.refusals), windowEnd: new Date(row.window_end) } : null;
}

/**
 * Closes windows and records what they counted beyond their first entry: `ended` closes those whose
 * time is up (housekeeping), `all` every window (shutdown). Returns how many windows it closed.
 */
export async function closeRefusalTallies(db: Db, now: Date, which: 'ended' | 'all'): Promise<number> {
  let query = db.selectFrom('refusal_tallies').select('key');
  if (which === 'ended') query = query.where('window_end', '<=', now.toISOString());
  const reason: CloseReason = which === 'ended' ? 'housekeeping' : 'shutdown';
  let closed = 0;
  for (const { key } of await query.execute()) {
    if (await db.transaction().execute((tx) => closeWindow(tx, key, now, reason, { evenIfOpen: which === 'all' }))) closed++;
  }
  return closed;
}

/**
 * Deletes the window `key` (only once it has ended, unless `evenIfOpen`) and appends one entry with
 * the refusals no entry holds yet. False when there was no such window (another node closed it).
 */
async function closeWindow(tx: Tx, key: string, now: Date, reason: CloseReason, { evenIfOpen }: { evenIfOpen: boolean }): Promise<boolean> {
  let query = tx.deleteFrom('refusal_tallies').where('key', '=', key);
  if (!evenIfOpen) query = query.where('window_end', '<=', now.toISOString());
  const row = await query.returningAll().executeTakeFirst();
  if (!row) return false;
  const unrecorded = Number(row.refusals) - Number(row.recorded);
  if (unrecorded > 0) await appendAuditEntry(tx, closingEntry(row, unrecorded, now, reason), now);
  return true;
}

function closingEntry(row: RefusalTallyTable, unrecorded: number, now: Date, reason: CloseReason): AuditEvent {
  // A window closed early (at shutdown) ends when it was closed: no refusal after that is in it.
  const end = row.window_end < now.toISOString() ? row.window_end : now.toISOString();
  // A window closes under the action it opened with, even one renamed since (actions.ts).
  if (!isTalliedAction(row.action)) throw new Error(`Refusal tally ${row.key} holds action ${row.action}, which is not counted.`);
  const detail = { tally: row.tally, refusals: unrecorded, windowTotal: Number(row.refusals), window: { start: row.window_start, end }, closedBy: reason };
  return talliedEvent(row.action, JSON.parse(row.actor) as AuditActor, detail);
}

/**
 * A counted refusal's event. Every tallied action's detail is `Tallied<TallyFacts[A]>` (actions.ts):
 * an opening entry spreads the facts `countRefusal` was given for that very action (typed there), a
 * closing entry carries only the window. The compiler cannot relate a generic action to its entry in
 * the detail map, so this is the one place that asserts it.
 */
function talliedEvent(action: TalliedAction, actor: AuditActor, detail: TallyWindow & ({ first: true } | Omit<TallyClosed, keyof TallyWindow>), traceId?: string): AuditEvent {
  return { action, actor, detail, ...(traceId ? { traceId } : {}) } as unknown as AuditEvent;
}

/**
 * Closes ended windows now and then every `everyMs` (a minute: a window's total reaches the record
 * within a minute of its end, or at the next start if the node was killed). The timer does not keep
 * the process alive.
 */
export function scheduleTallyClosing(db: Db, now: () => Date, onError: (error: unknown) => void, everyMs = 60_000): { stop(): void } {
  const run = () => { closeRefusalTallies(db, now(), 'ended').catch(onError); };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
