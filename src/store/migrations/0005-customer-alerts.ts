import type { Kysely } from 'kysely';
import type { EngineMigration } from './index.ts';

/** Customers who asked for a text message on every access to their statements. */
export const customerAlertTables: EngineMigration = () => ({
  async up(db: Kysely<any>) {
    await db.schema.createTable('customer_alerts')
      .addColumn('customer_id', 'text', (c) => c.primaryKey())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
  },
});
