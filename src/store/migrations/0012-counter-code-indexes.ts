import type { Kysely } from 'kysely';
import type { EngineMigration } from './index.ts';

/**
 * Counter codes are limited per customer and per employee over a rolling window (counter-codes.ts):
 * each send counts the recent codes of both, inside its transaction. Without these indexes each
 * count scans every code ever sent.
 */
export const counterCodeIndexes: EngineMigration = () => ({
  async up(db: Kysely<any>) {
    await db.schema.createIndex('verification_codes_customer').on('verification_codes').columns(['customer_id', 'created_at']).execute();
    await db.schema.createIndex('verification_codes_employee').on('verification_codes').columns(['employee_id', 'created_at']).execute();
  },
});
