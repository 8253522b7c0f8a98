import type { Kysely } from 'kysely';
import type { EngineMigration } from './index.ts';

/**
 * The verifiable log over `audit_entries` (src/audit/log/README.md): which entry is leaf number i,
 * the tiles and entry bundles served under /log/, the signed checkpoints and the integrator's state.
 * Entry contents stay in `audit_entries`; nothing here names a customer, an employee or a reference.
 */
export const logTables: EngineMigration = (t) => ({
  async up(db: Kysely<any>) {
    // One row: the tree as last integrated (size, root, right border) and the highest integrated seq.
    await db.schema.createTable('log_state')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('size', t.bigint, (c) => c.notNull())
      .addColumn('root', t.bytes, (c) => c.notNull())
      .addColumn('border', t.bytes, (c) => c.notNull())
      .addColumn('last_seq', t.bigint, (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    // SHA-256("") is the root of the empty tree (RFC 6962 §2.1).
    await db.insertInto('log_state').values({
      id: 1, size: 0, root: Buffer.from('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'hex'),
      border: Buffer.alloc(0), last_seq: 0, updated_at: new Date(0).toISOString(),
    }).execute();
    // Leaf index ↔ audit seq. Unique seq: an entry can never be integrated twice.
    await db.schema.createTable('log_leaves')
      .addColumn('log_index', t.bigint, (c) => c.primaryKey())
      .addColumn('seq', t.bigint, (c) => c.notNull().unique())
      .addColumn('shredded_at', 'text')
      .execute();
    await db.schema.createTable('log_tiles')
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('n', t.bigint, (c) => c.notNull())
      .addColumn('width', 'integer', (c) => c.notNull())
      .addColumn('data', t.bytes, (c) => c.notNull())
      .addPrimaryKeyConstraint('log_tiles_pk', ['level', 'n'])
      .execute();
    await db.schema.createTable('log_bundles')
      .addColumn('n', t.bigint, (c) => c.primaryKey())
      .addColumn('width', 'integer', (c) => c.notNull())
      .addColumn('data', t.bytes, (c) => c.notNull())
      .execute();
    await db.schema.createTable('log_checkpoints')
      .addColumn('id', t.serial, (c) => (t.name === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey()))
      .addColumn('size', t.bigint, (c) => c.notNull())
      .addColumn('root', t.bytes, (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull())
      .addColumn('published_note', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('log_checkpoints_size').on('log_checkpoints').column('size').execute();
  },
});
