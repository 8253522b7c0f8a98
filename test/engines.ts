/**
 * The engines every store-backed test runs on. SQLite always; PostgreSQL when FLOWGUARD_TEST_PG
 * names an admin URL (`.ci/run` starts a private server and sets it). Under CI a missing PostgreSQL
 * is a failure, never a silent skip.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TestEngine {
  readonly name: 'sqlite' | 'postgres';
  /** A URL to a new, empty database. */
  freshUrl(): Promise<string>;
}

const pgAdmin = process.env.FLOWGUARD_TEST_PG;
if (process.env.CI === 'true' && !pgAdmin) {
  throw new Error('CI=true but FLOWGUARD_TEST_PG is not set: the PostgreSQL tests must run in CI (see .ci/run).');
}

const sqlite: TestEngine = {
  name: 'sqlite',
  async freshUrl() {
    return `sqlite:${join(mkdtempSync(join(tmpdir(), 'fg-test-')), 'flowguard.db')}`;
  },
};

const postgres: TestEngine = {
  name: 'postgres',
  async freshUrl() {
    const name = `fg_test_${randomBytes(6).toString('hex')}`;
    const client = new pg.Client({ connectionString: pgAdmin });
    await client.connect();
    try {
      await client.query(`create database ${name}`);
    } finally {
      await client.end();
    }
    const u = new URL(pgAdmin!);
    u.pathname = `/${name}`;
    return u.toString();
  },
};

export const engines: TestEngine[] = pgAdmin ? [sqlite, postgres] : [sqlite];
