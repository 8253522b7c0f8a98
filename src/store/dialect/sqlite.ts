import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { SqliteDialect } from 'kysely';
import type { EngineTypes } from './dialect-kind.ts';

export const sqliteTypes: EngineTypes = { name: 'sqlite', serial: 'integer', bytes: 'blob', bigint: 'integer' };

/**
 * Opens the embedded database. WAL lets readers run beside the one writer; synchronous=FULL makes
 * every commit reach the disk before it returns, so an acknowledged audit entry survives power loss.
 */
export function openSqlite(file: string): { dialect: SqliteDialect; raw: SQLite.Database } {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const raw = new SQLite(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  return { dialect: new SqliteDialect({ database: raw }), raw };
}

export async function sqliteDurability(raw: SQLite.Database): Promise<Record<string, string>> {
  const sync = raw.pragma('synchronous', { simple: true });
  const mode = raw.pragma('journal_mode', { simple: true });
  // SQLite reports synchronous as a number: 2 = FULL, 3 = EXTRA.
  return { synchronous: sync === 2 ? 'full' : sync === 3 ? 'extra' : String(sync), journal_mode: String(mode) };
}
