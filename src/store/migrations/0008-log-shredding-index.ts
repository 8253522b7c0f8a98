import { sql, type Kysely } from 'kysely';
import type { EngineMigration } from './index.ts';

/**
 * `audit verify` reads every recorded retention run (retention.ts). Without an index that is a scan
 * of the whole audit table; a partial index holds only those few entries and costs appends nothing.
 */
export const logShreddingIndex: EngineMigration = () => ({
  async up(db: Kysely<any>) {
    await db.schema.createIndex('audit_entries_shredding').on('audit_entries').column('seq')
      .where(sql.ref('action'), '=', sql.lit('log.entries_shredded')).execute();
  },
});
