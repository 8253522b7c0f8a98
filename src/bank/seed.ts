/**
 * Loads the demo bank into a store: streams `generateDemoBank` into multi-row inserts, committing
 * every few hundred thousand rows so neither memory nor the write-ahead log grows with the bank.
 * Seeding refuses a database that already holds bank data; the manifest row, written last, marks a
 * complete seed (`isSeeded`).
 *
 * @example
 * const passwordHash = await argon2.hash(demoPassword); // once, not per employee
 * await seedDemoBank(store, { seed: 1, customers: 10_000, days: 365, passwordHash, onProgress: (p) => bar.update(p.customersDone) });
 */
import { sql, type Kysely } from 'kysely';
import type { Store } from '../store/database.ts';
import type { Database } from '../store/schema.ts';
import { FlowguardError } from '../errors.ts';
import { BulkInserter } from './bulk-insert.ts';
import { DEMO_BANK_MANIFEST, generateDemoBank, type DemoBankChunk, type DemoBankOptions, type DemoBankTable } from './demo-bank.ts';

export interface SeedOptions extends DemoBankOptions {
  /** Called after every chunk is written (chunks hold up to `transactionChunk` rows). */
  onProgress?: (progress: SeedProgress) => void;
  /** Rows per database transaction (default 250,000). */
  rowsPerCommit?: number;
}

export interface SeedProgress {
  table: DemoBankTable;
  customersDone: number;
  customersTotal: number;
  /** Rows written so far, per table. */
  rows: Readonly<Partial<Record<DemoBankTable, number>>>;
  totalRows: number;
  elapsedMs: number;
}

export interface SeedReport {
  rows: Readonly<Partial<Record<DemoBankTable, number>>>;
  totalRows: number;
  elapsedMs: number;
}

/** Tables whose rows mean the database already holds a bank. */
const BANK_TABLES = ['branches', 'employees', 'customers', 'accounts', 'transactions'] as const;

/** True when a demo bank was seeded to completion (its manifest is present). */
export async function isSeeded(store: Pick<Store, 'db'>): Promise<boolean> {
  const row = await store.db
    .selectFrom('config_items')
    .select('key')
    .where('kind', '=', DEMO_BANK_MANIFEST.kind)
    .where('key', '=', DEMO_BANK_MANIFEST.key)
    .executeTakeFirst();
  return row !== undefined;
}

/** Throws `invalid_request` unless every bank table is empty. */
export async function assertEmptyBank(db: Kysely<Database>): Promise<void> {
  for (const table of BANK_TABLES) {
    // A probe, not a count: counting fifty million statement lines takes seconds.
    const row = await db.selectFrom(table).select(sql<number>`1`.as('present')).limit(1).executeTakeFirst();
    if (row) {
      throw new FlowguardError(
        'invalid_request',
        `The database already holds bank data (table ${table} is not empty): the demo bank is only seeded into an empty database. Use a new database file or an empty PostgreSQL database.`,
        { table },
      );
    }
  }
}

/**
 * Seeds a synthetic demo bank into an empty store. Deterministic for a given seed and `asOf`.
 * Returns the rows written per table.
 */
export async function seedDemoBank(store: Pick<Store, 'db'>, options: SeedOptions): Promise<SeedReport> {
  const started = performance.now();
  const { onProgress, rowsPerCommit = 250_000, ...bank } = options;
  await assertEmptyBank(store.db);
  const chunks = generateDemoBank(bank);
  const inserters = new Map<DemoBankTable, BulkInserter>();
  const rows: Partial<Record<DemoBankTable, number>> = {};
  let totalRows = 0;
  let customersDone = 0;
  let pending: IteratorResult<DemoBankChunk, void> = chunks.next();
  while (!pending.done) {
    await store.db.transaction().execute(async (trx) => {
      let written = 0;
      while (!pending.done && written < rowsPerCommit) {
        const chunk = pending.value;
        if (chunk.rows.length > 0) {
          let inserter = inserters.get(chunk.table);
          if (!inserter) inserters.set(chunk.table, (inserter = new BulkInserter(chunk.table, Object.keys(chunk.rows[0] as object))));
          await inserter.insert(trx, chunk.rows as Record<string, unknown>[]);
        }
        written += chunk.rows.length;
        totalRows += chunk.rows.length;
        rows[chunk.table] = (rows[chunk.table] ?? 0) + chunk.rows.length;
        if (chunk.table === 'customers') customersDone += chunk.rows.length;
        onProgress?.({ table: chunk.table, customersDone, customersTotal: bank.customers, rows: { ...rows }, totalRows, elapsedMs: performance.now() - started });
        pending = chunks.next();
      }
    });
  }
  return { rows, totalRows, elapsedMs: performance.now() - started };
}
