import { createHash } from 'node:crypto';
import pg from 'pg';
import { PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import type { EngineTypes } from './dialect-kind.ts';
import { PREPARE_ONCE } from './prepare-once.ts';

export const postgresTypes: EngineTypes = { name: 'postgres', serial: 'bigserial', bytes: 'bytea', bigint: 'bigint' };

// int8 arrives as a string by default; our counters and cents stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

/** Opens a pool with synchronous_commit forced on for every connection, whatever the server default. */
export function openPostgres(url: string): { dialect: PostgresDialect; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max: 10, options: '-c synchronous_commit=on -c timezone=UTC' });
  return { dialect: new PostgresDialect({ pool: preparing(pool) }), pool };
}

/**
 * The pool as Kysely sees it, except that a statement starting with PREPARE_ONCE runs as a named
 * prepared statement: node-postgres parses it once per connection and the server keeps its plan.
 * Planning the decision's facts query took about 0.2 ms of its 0.34 ms on the bench machine.
 */
function preparing(pool: pg.Pool): PostgresPool {
  const clients = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    // Kysely passes (sql, parameters), or a cursor when streaming; only marked texts change.
    const query = (text: string, parameters: ReadonlyArray<unknown>) =>
      typeof text === 'string' && text.startsWith(PREPARE_ONCE)
        ? client.query({ name: statementName(text), text, values: [...parameters] })
        : client.query(text, parameters as unknown[]);
    return { query: query as unknown as PostgresPoolClient['query'], release: (destroy?: boolean) => client.release(destroy) };
  };
  return {
    async connect() {
      const client = await pool.connect();
      let wrapped = clients.get(client);
      if (!wrapped) clients.set(client, (wrapped = wrap(client)));
      return wrapped;
    },
    end: () => pool.end(),
  };
}

const names = new Map<string, string>();

/** One name per statement text: node-postgres refuses a name reused for another text. */
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) names.set(text, (name = `fg_${createHash('sha256').update(text).digest('hex').slice(0, 24)}`));
  return name;
}

export async function postgresDurability(pool: pg.Pool): Promise<Record<string, string>> {
  const r = await pool.query<{ synchronous_commit: string }>('show synchronous_commit');
  return { synchronous_commit: r.rows[0]?.synchronous_commit ?? 'unknown' };
}
