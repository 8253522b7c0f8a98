import type { Kysely } from 'kysely';
import type { EngineMigration } from './index.ts';

/** Judicial requests find their ticket by the court or police document number. */
export const ticketDocumentIndex: EngineMigration = () => ({
  async up(db: Kysely<any>) {
    await db.schema.createIndex('service_tickets_document').on('service_tickets').column('document_number').execute();
  },
});
