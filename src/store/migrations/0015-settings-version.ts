import type { Kysely } from 'kysely';
import type { EngineMigration } from './index.ts';

/**
 * Ready for several nodes (issue 10 item 9). Request rate limits are counted in `rate_limit_counts`
 * (src/identity/rate-limit-counts.ts) so every node spends the same budget: one row per limited key
 * while its window is open, removed by housekeeping once `window_end` has passed. Keys are SHA-256
 * digests (they hold client addresses and customer IDs).
 *
 * The settings version each node polls needs no table of its own: it is read from `config_items`
 * (src/access/settings.ts, `settingsVersion`), whose rows every applied change inserts or bumps.
 */
export const settingsVersionTables: EngineMigration = () => ({
  async up(db: Kysely<any>) {
    await db.schema.createTable('rate_limit_counts')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('window_end', 'text', (c) => c.notNull())
      .addColumn('hits', 'integer', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('rate_limit_counts_window_end').on('rate_limit_counts').column('window_end').execute();
  },
});
