/**
 * Fast multi-row inserts that stay dialect-neutral: Kysely compiles one INSERT … VALUES statement
 * per table and row count (so the placeholders are right for SQLite's `?` and PostgreSQL's `$n`),
 * and every later batch of that size reuses the SQL text with fresh parameters. Building a query
 * tree per row would cost more than the database spends storing it.
 *
 * Statements stay under 32,766 parameters, SQLite's default SQLITE_MAX_VARIABLE_NUMBER (since
 * 3.32); PostgreSQL's limit (65,535, a 16-bit count in the Bind message) is higher.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';

/** The most parameters one statement may carry on every supported engine. */
export const MAX_PARAMETERS = 32_766;
/** More rows per statement stops paying off well before the parameter limit. */
const MAX_ROWS_PER_STATEMENT = 2000;

type Row = Record<string, unknown>;

/** Inserts rows of one table in as few statements as the limits allow. */
export class BulkInserter {
  readonly #columns: readonly string[];
  readonly #rowsPerStatement: number;
  readonly #templates = new Map<number, string>();

  constructor(
    readonly table: keyof Database & string,
    columns: readonly string[],
  ) {
    if (columns.length === 0) throw new RangeError(`no columns to insert into ${table}`);
    this.#columns = columns;
    this.#rowsPerStatement = Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS / columns.length)));
  }

  /** Inserts `rows` (all with the inserter's columns) through `db`, which may be a transaction. */
  async insert(db: Kysely<Database>, rows: readonly Row[]): Promise<void> {
    for (let start = 0; start < rows.length; start += this.#rowsPerStatement) {
      const end = Math.min(rows.length, start + this.#rowsPerStatement);
      const params: unknown[] = new Array((end - start) * this.#columns.length);
      let p = 0;
      for (let r = start; r < end; r++) {
        const row = rows[r] as Row;
        for (const c of this.#columns) params[p++] = row[c] ?? null;
      }
      await db.executeQuery(CompiledQuery.raw(this.#template(db, end - start), params));
    }
  }

  /**
   * The SQL of an n-row insert, compiled once by the dialect. Checks that the dialect lays the
   * parameters out row by row in column order, which `insert` relies on.
   */
  #template(db: Kysely<Database>, n: number): string {
    const cached = this.#templates.get(n);
    if (cached) return cached;
    const probe = Object.fromEntries(this.#columns.map((c, i) => [c, i]));
    const compiled = db.insertInto(this.table as never).values(Array.from({ length: n }, () => probe) as never).compile();
    const expected = Array.from({ length: n * this.#columns.length }, (_, i) => i % this.#columns.length);
    if (compiled.parameters.length !== expected.length || compiled.parameters.some((v, i) => v !== expected[i])) {
      throw new Error(`unexpected parameter layout compiling a bulk insert into ${this.table}`);
    }
    this.#templates.set(n, compiled.sql);
    return compiled.sql;
  }
}
