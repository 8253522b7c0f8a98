import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { sqliteDriver, SQLITE_DRIVER } from './sqlite.ts';

const nodeMajor = Number(process.versions.node.split('.')[0]);

describe('the SQLite driver', () => {
  it('is better-sqlite3 13 on Node 22 and later and 12 on Node 20, the majors that run there', () => {
    const version = createRequire(import.meta.url)(`${SQLITE_DRIVER}/package.json`).version as string;
    expect(Number(version.split('.')[0])).toBe(nodeMajor >= 22 ? 13 : 12);
  });

  it('survives the garbage collection of many statements (with better-sqlite3 12, Node 24.19+ aborts in this loop)', () => {
    const db = new (sqliteDriver())(':memory:');
    db.exec('create table t (a integer primary key, b blob)');
    for (let i = 0; i < 5_000; i++) db.prepare('insert into t (b) values (?)').run(Buffer.alloc(64, i));
    expect(db.prepare('select count(*) as n from t').get()).toEqual({ n: 5_000 });
    db.close();
  });
});
