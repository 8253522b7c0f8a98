import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { SqliteDialect } from 'kysely';
import type { EngineTypes } from './dialect-kind.ts';

/**
 * better-sqlite3 in the major that works on this Node.js. Version 13 (Node-API) needs Node 22 and
 * crashes Node 20 when loaded; version 12 runs on Node 20, but on Node 24.19 and later it aborts the
 * process when the garbage collector frees a statement outside JavaScript (its ObjectWrap removes a
 * cleanup hook with no environment entered). So 13 is the dependency, and 12 an optional one
 * (`better-sqlite3-node20`) loaded only on Node 20. Their APIs are the same.
 */
const load = createRequire(import.meta.url);
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);
export const SQLITE_DRIVER = NODE_MAJOR >= 22 ? 'better-sqlite3' : 'better-sqlite3-node20';
let driver: typeof BetterSqlite3 | undefined;

/** The driver, loaded on first use: a missing one is then an error the CLI and server report, not a crash on import. */
export function sqliteDriver(): typeof BetterSqlite3 {
  return (driver ??= loadDriver());
}

function loadDriver(): typeof BetterSqlite3 {
  try {
    return load(SQLITE_DRIVER) as typeof BetterSqlite3;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND' || SQLITE_DRIVER !== 'better-sqlite3-node20') throw error;
    throw new Error('On Node 20 the embedded database needs better-sqlite3 12 (the optional dependency better-sqlite3-node20), which `npm ci` builds from source and could not: install python3, make and a C++ compiler and run `npm ci` again, or run on Node 22 or later.', { cause: error });
  }
}
export type SQLiteConnection = BetterSqlite3.Database;

export const sqliteTypes: EngineTypes = { name: 'sqlite', serial: 'integer', bytes: 'blob', bigint: 'integer' };

/**
 * Opens the embedded database. WAL lets readers run beside the one writer; synchronous=FULL makes
 * every commit reach the disk before it returns, so an acknowledged audit entry survives power loss.
 */
export function openSqlite(file: string): { dialect: SqliteDialect; raw: SQLiteConnection } {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const raw = new (sqliteDriver())(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  return { dialect: new SqliteDialect({ database: raw }), raw };
}

export async function sqliteDurability(raw: SQLiteConnection): Promise<Record<string, string>> {
  const sync = raw.pragma('synchronous', { simple: true });
  const mode = raw.pragma('journal_mode', { simple: true });
  // SQLite reports synchronous as a number: 2 = FULL, 3 = EXTRA.
  return { synchronous: sync === 2 ? 'full' : sync === 3 ? 'extra' : String(sync), journal_mode: String(mode) };
}
