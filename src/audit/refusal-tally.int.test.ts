import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'kysely';
import { engines } from '../../test/engines.ts';
import { openStore, type Store } from '../store/database.ts';
import { closeRefusalTallies, countRefusal, openTally, type TalliedActor, type TallyKind } from './refusal-tally.ts';
import { parseEntry } from './record.ts';

const T0 = new Date('2026-11-25T02:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const KIND: TallyKind = { name: 'test-refused', action: 'request.rate_limited', windowMs: 600_000 };
const OTHER: TallyKind = { name: 'other-refused', action: 'log.entry_refused', windowMs: 600_000 };
const actor = (id: string): TalliedActor => ({ kind: 'staff', id, pseudonym: `P-${id}`, branchId: 'SH01', bankRole: 'teller' });

interface TallyEntry { actorId: string | null; action: string; refusals: number; windowTotal?: number; first?: boolean; closedBy?: string; window: { start: string; end: string } }

async function tallyEntries(store: Store, action = KIND.action): Promise<TallyEntry[]> {
  // The employee is in the indexed column; the entry itself names them by pseudonym only.
  const rows = await store.db.selectFrom('audit_entries').select(['entry', 'actor_id']).where('action', '=', action).orderBy('seq').execute();
  return rows.map((r) => {
    const e = parseEntry(r.entry);
    return { actorId: r.actor_id, action: e.action, ...(e.detail as Omit<TallyEntry, 'actorId' | 'action'>) };
  });
}

const sum = (entries: TallyEntry[]) => entries.reduce((n, e) => n + e.refusals, 0);

describe.each(engines)('refusal tallies on $name', (engine) => {
  let store: Store;
  beforeAll(async () => { store = await openStore(await engine.freshUrl()); });
  afterAll(async () => { await store.close(); });

  it('records a window as one entry when it opens and one with the rest when housekeeping closes it', async () => {
    const a = actor('E-A');
    for (let i = 0; i < 300; i++) await countRefusal(store.db, KIND, a, at(i), { traceId: `trace-${i}`, detail: { route: '/x' } });
    const opening = await tallyEntries(store);
    expect(opening).toEqual([{ actorId: 'E-A', action: KIND.action, route: '/x', tally: KIND.name, refusals: 1, first: true, window: { start: at(0).toISOString(), end: at(600).toISOString() } }]);
    expect(await openTally(store.db, KIND, a, at(300))).toEqual({ refusals: 300, windowEnd: at(600) });

    expect(await closeRefusalTallies(store.db, at(599), 'ended')).toBe(0);
    expect(await closeRefusalTallies(store.db, at(600), 'ended')).toBe(1);
    const entries = await tallyEntries(store);
    expect(entries).toHaveLength(2);
    expect(entries[1]).toMatchObject({ actorId: 'E-A', refusals: 299, windowTotal: 300, closedBy: 'housekeeping', window: { start: at(0).toISOString(), end: at(600).toISOString() } });
    expect(sum(entries)).toBe(300);
    expect(await openTally(store.db, KIND, a, at(600))).toBeNull();
    expect(await closeRefusalTallies(store.db, at(1200), 'all')).toBe(0);
  });

  it('closes an ended window at the principal\'s next refusal, and keeps principals and kinds apart', async () => {
    const b = actor('E-B');
    const c = actor('E-C');
    for (let i = 0; i < 5; i++) await countRefusal(store.db, KIND, b, at(i));
    await countRefusal(store.db, KIND, c, at(10));
    await countRefusal(store.db, OTHER, b, at(10));
    expect((await countRefusal(store.db, KIND, b, at(700))).opened).toBe(true);
    const ofB = (await tallyEntries(store)).filter((e) => e.actorId === 'E-B');
    expect(ofB.map((e) => [e.refusals, e.closedBy ?? 'opened'])).toEqual([[1, 'opened'], [4, 'next_window'], [1, 'opened']]);
    expect(await openTally(store.db, KIND, c, at(20))).toEqual({ refusals: 1, windowEnd: at(610) });
    expect(await openTally(store.db, OTHER, b, at(20))).toEqual({ refusals: 1, windowEnd: at(610) });
    // A window of one refusal closes without another entry: its count is already recorded.
    await closeRefusalTallies(store.db, at(2000), 'all');
    const all = await tallyEntries(store);
    expect(all.filter((e) => e.actorId === 'E-C')).toHaveLength(1);
    expect(sum(all.filter((e) => e.actorId === 'E-B'))).toBe(6);
    expect(await tallyEntries(store, OTHER.action)).toHaveLength(1);
  });

  it('closes open windows at shutdown, ending them when they were closed', async () => {
    const d = actor('E-D');
    for (let i = 0; i < 7; i++) await countRefusal(store.db, KIND, d, at(5000 + i));
    expect(await closeRefusalTallies(store.db, at(5100), 'all')).toBe(1);
    const ofD = (await tallyEntries(store)).filter((e) => e.actorId === 'E-D');
    expect(ofD[1]).toMatchObject({ refusals: 6, windowTotal: 7, closedBy: 'shutdown', window: { start: at(5000).toISOString(), end: at(5100).toISOString() } });
  });

  // Several nodes share a PostgreSQL database; an SQLite file has one server process, so there the
  // "second node" is the same store, and the test is of concurrent requests in one process.
  it('counts every refusal once when two nodes count the same principal at once', async () => {
    const second = engine.name === 'postgres' ? await openStore(await sameDatabase(store), { migrate: false }) : null;
    const nodes = [store, second ?? store];
    try {
      const e = actor('E-RACE');
      const counted = await Promise.all(Array.from({ length: 60 }, (_, i) => countRefusal(nodes[i % 2]!.db, KIND, e, at(9000))));
      expect(counted.filter((r) => r.opened)).toHaveLength(1);
      expect(counted.map((r) => r.refusals).sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      // Both nodes' housekeeping closes the same ended window: one records it.
      const closed = await Promise.all(nodes.map((node) => closeRefusalTallies(node.db, at(9600), 'ended')));
      expect(closed.reduce((a, b) => a + b, 0)).toBe(1);
      const ofE = (await tallyEntries(store)).filter((x) => x.actorId === 'E-RACE');
      expect(ofE).toHaveLength(2);
      expect(sum(ofE)).toBe(60);
    } finally {
      await second?.close();
    }
  });

  it('closes a window under the action it opened with, even one renamed since; refuses a stored action that is not counted', async () => {
    // A held-back portal code send opened before issue 10 was written as request.refused.
    const renamed: TallyKind<'portal.code_refused'> = { name: 'code-send-held-back', action: 'portal.code_refused', windowMs: 600_000 };
    const who = actor('address:203.0.113.9');
    const key = `${renamed.name}:${who.kind}:${who.id}`;
    const row = { tally: renamed.name, actor: JSON.stringify(who), window_start: at(20_000).toISOString(), window_end: at(20_600).toISOString(), refusals: 1, recorded: 1 };
    await store.db.insertInto('refusal_tallies').values({ key, action: 'request.refused', ...row }).execute();
    await countRefusal(store.db, renamed, who, at(20_010), { detail: { reason: 'too_many_attempts', hold: 'delayed', act: 'portal.code', mobile: '138****1234', ip: '203.0.113.9' } });
    expect(await closeRefusalTallies(store.db, at(20_600), 'ended')).toBe(1);
    const closing = parseEntry((await store.db.selectFrom('audit_entries').select('entry').orderBy('seq', 'desc').executeTakeFirstOrThrow()).entry);
    expect(closing).toMatchObject({ action: 'request.refused', detail: { tally: renamed.name, refusals: 1, windowTotal: 2, closedBy: 'housekeeping' } });

    await store.db.insertInto('refusal_tallies').values({ key: 'odd', action: 'statement.viewed', ...row, refusals: 3 }).execute();
    await expect(closeRefusalTallies(store.db, at(20_600), 'ended')).rejects.toThrow(/not counted/);
    await store.db.deleteFrom('refusal_tallies').where('key', '=', 'odd').execute();
  });
});

/** The URL of the database `store` is on, so a second store can act as a second node. */
async function sameDatabase(store: Store): Promise<string> {
  return process.env.FLOWGUARD_TEST_PG!.replace(/\/[^/]*$/, `/${await currentDatabase(store)}`);
}

async function currentDatabase(store: Store): Promise<string> {
  const row = await sql<{ name: string }>`select current_database() as name`.execute(store.db);
  return row.rows[0]!.name;
}

describe('refusal tallies lose no count, whatever the order of refusals and closes', () => {
  it('the entries and the open windows add up to every refusal counted, with at most two entries per window', async () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('refuse' as const), who: fc.constantFrom('E-1', 'E-2', 'E-3'), advance: fc.integer({ min: 0, max: 400 }) }),
      fc.record({ kind: fc.constantFrom('ended' as const, 'all' as const), advance: fc.integer({ min: 0, max: 400 }) }),
    );
    await fc.assert(fc.asyncProperty(fc.array(step, { maxLength: 60 }), async (steps) => {
      const store = await openStore('sqlite::memory:');
      try {
        let clock = 0;
        const counted = new Map<string, number>();
        const windowsOpened = new Map<string, number>();
        for (const s of steps) {
          clock += s.advance;
          if (s.kind === 'refuse') {
            counted.set(s.who, (counted.get(s.who) ?? 0) + 1);
            if ((await countRefusal(store.db, KIND, actor(s.who), at(clock))).opened) windowsOpened.set(s.who, (windowsOpened.get(s.who) ?? 0) + 1);
          } else {
            await closeRefusalTallies(store.db, at(clock), s.kind);
          }
        }
        const entries = await tallyEntries(store);
        const open = await store.db.selectFrom('refusal_tallies').selectAll().execute();
        for (const [who, n] of counted) {
          const mine = entries.filter((e) => e.actorId === who);
          const unrecorded = open.filter((r) => r.key.endsWith(`:${who}`)).reduce((k, r) => k + r.refusals - r.recorded, 0);
          expect(sum(mine) + unrecorded).toBe(n);
          expect(mine.length).toBeLessThanOrEqual(2 * windowsOpened.get(who)!);
          expect(mine.filter((e) => e.first)).toHaveLength(windowsOpened.get(who)!);
        }
        // Closing everything leaves nothing unrecorded.
        await closeRefusalTallies(store.db, at(clock), 'all');
        expect(sum(await tallyEntries(store))).toBe([...counted.values()].reduce((a, b) => a + b, 0));
      } finally {
        await store.close();
      }
    }), { numRuns: 60 });
  });
});
