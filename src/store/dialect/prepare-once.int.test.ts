import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { engines } from '../../../test/engines.ts';
import { openStore } from '../database.ts';
import { PREPARE_ONCE } from './prepare-once.ts';

describe.each(engines)('PREPARE_ONCE on $name', (engine) => {
  it('answers like the plain statement, with new parameters each time', async () => {
    const store = await openStore(await engine.freshUrl(), { migrate: false });
    try {
      await store.db.transaction().execute(async (tx) => {
        for (const n of [1, 2, 3]) {
          const marked = await sql<{ n: number }>`${sql.raw(PREPARE_ONCE)} select ${n} + 1 as n`.execute(tx);
          const plain = await sql<{ n: number }>`select ${n} + 1 as n`.execute(tx);
          expect(marked.rows).toEqual(plain.rows);
        }
        if (engine.name === 'postgres') {
          // One transaction holds one connection: the marked text was prepared there, once.
          const prepared = await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(tx);
          expect(prepared.rows.filter((r) => r.statement.startsWith(PREPARE_ONCE))).toHaveLength(1);
        }
      });
    } finally {
      await store.close();
    }
  });
});
