import type { Kysely } from 'kysely';
import type { EngineMigration } from './index.ts';

/**
 * The openings of the employee commitments in entries of version 2 (src/audit/entry-actors.ts): for
 * each employee an entry names, where (a JSON Pointer into the entry), the employee ID and the
 * 32-byte nonce. Kept outside the entry and its leaf; deleted with the entry when it is shredded.
 */
export const entryOpeningTables: EngineMigration = (t) => ({
  async up(db: Kysely<any>) {
    await db.schema.createTable('entry_openings')
      .addColumn('seq', t.bigint, (c) => c.notNull())
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('employee_id', 'text', (c) => c.notNull())
      .addColumn('nonce', t.bytes, (c) => c.notNull())
      .addPrimaryKeyConstraint('entry_openings_pk', ['seq', 'path'])
      .execute();
  },
});
