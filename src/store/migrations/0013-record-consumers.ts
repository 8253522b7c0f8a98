import type { Kysely } from 'kysely';
import type { EngineMigration } from './index.ts';

/**
 * Where each reader of the record stream (src/audit/record-stream.ts) stopped: the seq of the last
 * entry it handled. One row per consumer; moved forward only, in the database, so a consumer
 * resumes where it stopped on any node and after any restart.
 */
export const recordConsumerTables: EngineMigration = (t) => ({
  async up(db: Kysely<any>) {
    await db.schema.createTable('record_consumers')
      .addColumn('consumer', 'text', (c) => c.primaryKey())
      .addColumn('after_seq', t.bigint, (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
});
