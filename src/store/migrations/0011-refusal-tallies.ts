import type { Kysely } from 'kysely';
import type { EngineMigration } from './index.ts';

/**
 * Refusals counted in aggregate (src/audit/refusal-tally.ts): one row per principal and kind of
 * refusal while its window is open. `recorded` is how many of `refusals` the record already holds,
 * so the entry that closes the window records exactly the rest.
 */
export const refusalTallyTables: EngineMigration = () => ({
  async up(db: Kysely<any>) {
    await db.schema.createTable('refusal_tallies')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('tally', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('window_start', 'text', (c) => c.notNull())
      .addColumn('window_end', 'text', (c) => c.notNull())
      .addColumn('refusals', 'integer', (c) => c.notNull())
      .addColumn('recorded', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('refusal_tallies_window_end').on('refusal_tallies').column('window_end').execute();
  },
});
