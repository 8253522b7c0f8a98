import type { Kysely } from 'kysely';
import type { EngineMigration } from './index.ts';

/**
 * The append-only record. Canonical bytes are the truth; the other columns are copies for queries
 * (customer history, an employee's recent requests) and are never used to rebuild an entry.
 */
export const auditTables: EngineMigration = (t) => ({
  async up(db: Kysely<any>) {
    await db.schema.createTable('audit_entries')
      .addColumn('seq', t.serial, (c) => (t.name === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
      .addColumn('entry', t.bytes, (c) => c.notNull())
      .addColumn('salt', t.bytes, (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text')
      .addColumn('customer_id', 'text')
      .addColumn('request_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_entries_customer').on('audit_entries').columns(['customer_id', 'seq']).execute();
    await db.schema.createIndex('audit_entries_actor').on('audit_entries').columns(['actor_id', 'seq']).execute();
    await db.schema.createIndex('audit_entries_request').on('audit_entries').column('request_id').execute();
  },
});
