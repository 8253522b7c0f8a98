import pg from 'pg';
import { PostgresDialect } from 'kysely';
import type { EngineTypes } from './dialect-kind.ts';

export const postgresTypes: EngineTypes = { name: 'postgres', serial: 'bigserial', bytes: 'bytea', bigint: 'bigint' };

// int8 arrives as a string by default; our counters and cents stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** Opens a pool with synchronous_commit forced on for every connection, whatever the server default. */
export function openPostgres(url: string): { dialect: PostgresDialect; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max: 10, options: '-c synchronous_commit=on -c timezone=UTC' });
  return { dialect: new PostgresDialect({ pool }), pool };
}

export async function postgresDurability(pool: pg.Pool): Promise<Record<string, string>> {
  const r = await pool.query<{ synchronous_commit: string }>('show synchronous_commit');
  return { synchronous_commit: r.rows[0]?.synchronous_commit ?? 'unknown' };
}
