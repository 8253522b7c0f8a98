/**
 * The record stream: a consumer reading while writers commit out of seq order (and some roll back)
 * sees every committed entry exactly once, in seq order, across restarts; offsets live in the
 * database and move forward only.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { engines } from '../../test/engines.ts';
import { openStore, type Store } from '../store/database.ts';
import { appendAuditEntry } from './record.ts';
import { naiveFence, sampleEvent } from './log/test-support/log-fixture.ts';
import { commitOffset, consumeRecord, consumerOffset, createRecordReader, readRecord, type RecordReader, type StreamEntry } from './record-stream.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class Rollback extends Error {}
class Crash extends Error {}

describe.each(engines)('the record stream on $name', (engine) => {
  const stores: Store[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  /**
   * Eight writers commit entries out of seq order while a consumer reads pages of 7, restarting
   * (a new reader, as a new process) every few pages and crashing inside its handler now and then.
   */
  async function scenario(naive: boolean) {
    const url = await engine.freshUrl();
    // PostgreSQL: writer pools and the consumer's as separate gateway instances; SQLite: one connection per process.
    for (let i = 0; i < (engine.name === 'postgres' ? 3 : 1); i++) stores.push(await openStore(url));
    const at = (i: number) => stores[i % stores.length]!;
    const committed: Array<{ seq: number; at: number }> = [];
    let rolledBack = 0;
    const writer = async (store: Store, w: number) => {
      for (let i = 0; i < 30; i++) {
        try {
          const seq = await store.db.transaction().execute(async (tx) => {
            const { seq } = await appendAuditEntry(tx, sampleEvent(w * 1000 + i));
            if ((w * 7 + i) % 6 === 0) throw new Rollback();
            await sleep((w * 13 + i * 7) % 5 === 0 ? 40 : (i * w) % 4);
            return seq;
          });
          committed.push({ seq, at: performance.now() });
        } catch (error) {
          if (!(error instanceof Rollback)) throw error;
          rolledBack++;
        }
      }
    };

    const consumerStore = at(2);
    const handled: number[] = [];
    let crashes = 0;
    let restarts = 0;
    let pages = 0;
    const newReader = (): RecordReader => createRecordReader(consumerStore, naive ? naiveFence(consumerStore) : undefined);
    let reader = newReader();
    const handle = async (entries: readonly StreamEntry[]) => {
      pages++;
      // A crash before the handler's effect: nothing of the page counts, the offset stays.
      if (pages % 5 === 0) { crashes++; throw new Crash(); }
      handled.push(...entries.map((e) => e.seq));
    };
    const consumeOnce = async () => {
      try {
        await consumeRecord(consumerStore, 'detection', handle, 7, reader);
      } catch (error) {
        if (!(error instanceof Crash)) throw error;
        reader = newReader();
      }
      if (pages % 4 === 0) { restarts++; reader = newReader(); }
    };

    let writing = true;
    const consumer = (async () => {
      while (writing) { await consumeOnce(); await sleep(2); }
    })();
    await Promise.all(Array.from({ length: 8 }, (_, w) => writer(at(w), w)));
    writing = false;
    await consumer;
    // Everything is committed now: the consumer catches up.
    for (let i = 0; i < 100 && (await consumerOffset(consumerStore.db, 'detection')) < Math.max(...committed.map((c) => c.seq)); i++) await consumeOnce();
    return { committed, rolledBack, handled, crashes, restarts };
  }

  it('hands a consumer every committed entry once, in seq order, across crashes and restarts', async () => {
    const { committed, rolledBack, handled, crashes, restarts } = await scenario(false);
    expect(rolledBack).toBeGreaterThan(20);
    expect(crashes).toBeGreaterThan(0);
    expect(restarts).toBeGreaterThan(0);
    if (engine.name === 'postgres') {
      // The scenario is real: some entry committed after a higher seq had committed.
      const inversions = committed.filter((a) => committed.some((b) => b.seq > a.seq && b.at < a.at)).length;
      expect(inversions).toBeGreaterThan(0);
    }
    expect(handled).toEqual(committed.map((c) => c.seq).sort((a, b) => a - b));
  }, 120_000);

  it.runIf(engine.name === 'postgres')('control: reading up to the highest visible seq misses entries still committing', async () => {
    const { committed, handled } = await scenario(true);
    expect(new Set(handled).size).toBeLessThan(committed.length);
  }, 120_000);

  describe('offsets and pages', () => {
    let store: Store;
    beforeAll(async () => {
      store = await openStore(await engine.freshUrl());
      for (let i = 0; i < 10; i++) await appendAuditEntry(store.db, sampleEvent(i));
    });
    afterAll(async () => store.close());

    it('reads typed entries in seq order, a page at a time, and ends at the fence', async () => {
      const first = await readRecord(store, 0, 4);
      expect(first.entries.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
      expect(first.next).toBe(4);
      const entry = first.entries[0]!.entry;
      // The union narrows on the action: the detail is the action's own type.
      if (entry.action !== 'customer.searched') throw new Error('a customer.searched entry expected');
      expect(entry.detail.termLength).toBe(0);
      const rest = await readRecord(store, 4, 100);
      expect(rest.entries.map((e) => e.seq)).toEqual([5, 6, 7, 8, 9, 10]);
      expect(rest.next).toBe(10);
      expect(await readRecord(store, 10, 100)).toEqual({ entries: [], next: 10 });
    });

    it('moves an offset forward only, and resumes a consumer exactly after it', async () => {
      expect(await consumerOffset(store.db, 'resume')).toBe(0);
      await commitOffset(store.db, 'resume', 6);
      await commitOffset(store.db, 'resume', 3);
      expect(await consumerOffset(store.db, 'resume')).toBe(6);
      const seen: number[] = [];
      const done = await consumeRecord(store, 'resume', async (entries) => { seen.push(...entries.map((e) => e.seq)); }, 3);
      expect(done).toEqual({ handled: 3, offset: 9 });
      expect(seen).toEqual([7, 8, 9]);
    });

    it('hands a page again when the process dies between handling it and committing (at least once)', async () => {
      await commitOffset(store.db, 'again', 2);
      const seen: number[] = [];
      // The handler's effect happened, then the process died before the commit: the offset did not move.
      const commitLost = consumeRecord(store, 'again', async (entries) => {
        seen.push(...entries.map((e) => e.seq));
        throw new Crash();
      }, 2);
      await expect(commitLost).rejects.toBeInstanceOf(Crash);
      await consumeRecord(store, 'again', async (entries) => { seen.push(...entries.map((e) => e.seq)); }, 2);
      expect(seen).toEqual([3, 4, 3, 4]);
      expect(await consumerOffset(store.db, 'again')).toBe(4);
    });

    it('refuses offsets, pages and consumer names out of range', async () => {
      await expect(readRecord(store, -1, 10)).rejects.toThrow(/offset/);
      await expect(readRecord(store, 0, 0)).rejects.toThrow(/page/);
      await expect(readRecord(store, 0, 10_001)).rejects.toThrow(/page/);
      await expect(consumerOffset(store.db, 'Has Spaces')).rejects.toThrow(/consumer/);
    });
  });

  it('property: whatever the appends, rollbacks, page sizes, crashes and restarts, a consumer handles each committed entry once, in order', async () => {
    const store = await openStore(await engine.freshUrl());
    stores.push(store);
    const op = fc.oneof(
      fc.record({ kind: fc.constant('append' as const), count: fc.integer({ min: 1, max: 4 }), rollback: fc.boolean() }),
      fc.record({ kind: fc.constant('consume' as const), limit: fc.integer({ min: 1, max: 5 }), crash: fc.boolean() }),
      fc.constant({ kind: 'restart' as const }),
    );
    let run = 0;
    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
      const consumer = `prop-${run++}`;
      // Each run starts after what earlier runs wrote.
      await commitOffset(store.db, consumer, await lastSeq(store));
      const committed: number[] = [];
      const handled: number[] = [];
      let reader = createRecordReader(store);
      const consume = async (limit: number, crash: boolean) => {
        try {
          await consumeRecord(store, consumer, async (entries) => {
            if (crash) throw new Crash();
            handled.push(...entries.map((e) => e.seq));
          }, limit, reader);
        } catch (error) {
          if (!(error instanceof Crash)) throw error;
        }
      };
      for (const o of ops) {
        if (o.kind === 'append') {
          await store.db.transaction().execute(async (tx) => {
            const seqs: number[] = [];
            for (let i = 0; i < o.count; i++) seqs.push((await appendAuditEntry(tx, sampleEvent(i))).seq);
            if (o.rollback) throw new Rollback();
            committed.push(...seqs);
          }).catch((error: unknown) => { if (!(error instanceof Rollback)) throw error; });
        } else if (o.kind === 'consume') {
          await consume(o.limit, o.crash);
        } else {
          reader = createRecordReader(store);
        }
        // Never ahead of what was committed, never out of order, never twice.
        expect(handled).toEqual(committed.slice(0, handled.length));
      }
      while ((await consumerOffset(store.db, consumer)) < (committed.at(-1) ?? 0)) await consume(5, false);
      expect(handled).toEqual(committed);
    }), { numRuns: engine.name === 'postgres' ? 15 : 30 });
  }, 180_000);
});

async function lastSeq(store: Store): Promise<number> {
  const row = await store.db.selectFrom('audit_entries').select((eb) => eb.fn.max('seq').as('max')).executeTakeFirst();
  return Number(row?.max ?? 0);
}
