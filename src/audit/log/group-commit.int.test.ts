import { afterEach, describe, expect, it } from 'vitest';
import { engines } from '../../../test/engines.ts';
import { openStore, type Store } from '../../store/database.ts';
import { isLuhnValid } from '../../privacy/full-numbers.ts';
import { appendAuditEntries, GroupCommitter } from './group-commit.ts';
import { sampleEvent } from './test-support/log-fixture.ts';

const cardNumber = () => {
  for (let d = 0; d < 10; d++) if (isLuhnValid(`621700123456789012${d}`)) return `621700123456789012${d}`;
  throw new Error('unreachable');
};

describe.each(engines)('group commit on $name', (engine) => {
  let store: Store;
  afterEach(async () => store?.close());

  it('acknowledges each of many concurrent appends with the seq of its own entry, in few commits', async () => {
    store = await openStore(await engine.freshUrl());
    const committer = new GroupCommitter(store.db, { maxBatch: 300 });
    const appended = await Promise.all(Array.from({ length: 2_000 }, (_, i) => committer.append(sampleEvent(i))));
    expect(new Set(appended.map((a) => a.seq)).size).toBe(2_000);
    const rows = await store.db.selectFrom('audit_entries').select(['seq', 'entry', 'salt']).execute();
    expect(rows).toHaveLength(2_000);
    const bySeq = new Map(rows.map((r) => [Number(r.seq), r]));
    appended.forEach((a, i) => {
      expect(bySeq.get(a.seq)!.entry.equals(a.bytes)).toBe(true);
      expect(JSON.parse(a.bytes.toString()).detail.termLength).toBe(i);
    });
    expect(new Set(rows.map((r) => r.salt.toString('hex'))).size).toBe(2_000);
    // Batches: a handful of distinct creation times (one per commit), not 2,000.
    const times = new Set(appended.map((a) => a.createdAt));
    expect(times.size).toBeLessThan(50);
  });

  it('refuses only the entry holding a full card number; the others of its batch commit', async () => {
    store = await openStore(await engine.freshUrl());
    const committer = new GroupCommitter(store.db);
    const bad = { ...sampleEvent(1), detail: { termKind: 'text' as const, termLength: 4, hits: [`card ${cardNumber()}`] } };
    const results = await Promise.allSettled([committer.append(sampleEvent(0)), committer.append(bad), committer.append(sampleEvent(2))]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await store.db.selectFrom('audit_entries').select('seq').execute()).toHaveLength(2);
    await expect(appendAuditEntries(store.db, [sampleEvent(3), bad])).rejects.toThrow(/full card number/);
    expect(await store.db.selectFrom('audit_entries').select('seq').execute()).toHaveLength(2);
  });
});
