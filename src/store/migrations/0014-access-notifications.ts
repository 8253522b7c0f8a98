import type { Kysely } from 'kysely';
import type { EngineMigration } from './index.ts';

/**
 * Issue 10 item 8, finishing the half-built:
 * - the customer's "access alerts" become "access notifications", so that "alert" is left for
 *   detection; the table is renamed (its columns never named alerts);
 * - a break-glass post-review can be closed: who closed it, when, with which outcome and comment.
 */
export const accessNotificationTables: EngineMigration = () => ({
  async up(db: Kysely<any>) {
    await db.schema.alterTable('customer_alerts').renameTo('customer_access_notifications').execute();
    // SQLite takes one column per ALTER TABLE.
    await db.schema.alterTable('post_reviews').addColumn('outcome', 'text').execute();
    await db.schema.alterTable('post_reviews').addColumn('comment', 'text').execute();
    await db.schema.alterTable('post_reviews').addColumn('reviewer_id', 'text').execute();
    await db.schema.alterTable('post_reviews').addColumn('closed_at', 'text').execute();
  },
});
