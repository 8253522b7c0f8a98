import { resolve } from 'node:path';
import { Kysely } from 'kysely';
import type { SQLiteConnection } from './dialect/sqlite.ts';
import type { Database } from './schema.ts';
import type { EngineTypes } from './dialect/dialect-kind.ts';
import { openSqlite, sqliteDurability, sqliteTypes } from './dialect/sqlite.ts';
import { openPostgres, postgresDurability, postgresTypes } from './dialect/postgres.ts';
import { migrateToLatest } from './migrations/index.ts';
import { FlowguardError } from '../errors.ts';

export const DEFAULT_DB_URL = 'sqlite:./data/flowguard.db';

export interface Store {
  readonly db: Kysely<Database>;
  readonly engine: EngineTypes;
  /** Where the data lives, with any password removed: safe to print. */
  readonly location: string;
  /** The durability settings as the engine reports them (tests assert them). */
  durability(): Promise<Record<string, string>>;
  close(): Promise<void>;
  /**
   * The SQLite connection under `db`, for the rare bulk read where Kysely's cost per query (about
   * 0.1 ms: compile, prepare, the connection's mutex) outweighs the query's own (log-tile-entries.ts).
   */
  readonly sqlite?: SQLiteConnection;
}

/**
 * Opens the database named by a URL (`sqlite:./path.db`, `sqlite::memory:` or `postgres://…`) and
 * brings its schema to the latest migration.
 */
export async function openStore(url: string = DEFAULT_DB_URL, opts: { migrate?: boolean } = {}): Promise<Store> {
  const store = connect(url);
  if (opts.migrate !== false) await migrateToLatest(store.db, store.engine);
  return store;
}

function connect(url: string): Store {
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const { dialect, pool } = openPostgres(url);
    const db = new Kysely<Database>({ dialect });
    return {
      db,
      engine: postgresTypes,
      location: url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@'),
      durability: () => postgresDurability(pool),
      close: () => db.destroy(),
    };
  }
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    const file = path === ':memory:' ? path : resolve(path);
    const { dialect, raw } = openSqlite(file);
    const db = new Kysely<Database>({ dialect });
    return { db, engine: sqliteTypes, location: file, durability: () => sqliteDurability(raw), close: () => db.destroy(), sqlite: raw };
  }
  throw new FlowguardError('invalid_database_url', `Database URL "${url.split(':')[0]}:…" is not supported: use sqlite:<file> or postgres://user@host:port/db.`);
}
