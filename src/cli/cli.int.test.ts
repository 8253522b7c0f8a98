import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;
const run = (...args: string[]) => spawnSync(process.execPath, ['bin/flowguard.mjs', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
const tmpDb = () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'fg-cli-')), 'flowguard.db')}`;

describe('the flowguard command', () => {
  it.each([
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['serve', '--port', 'eighty'], /--port must be a number/],
    [['seed', '--demo', '--customers', '-3', '--db', 'sqlite::memory:'], /expected a whole number/],
    [['seed', '--demo', '--db', 'mysql://localhost/x'], /use sqlite:<file> or postgres:/],
    [['seed'], /required option '--demo'/],
  ])('misuse %j prints one line and exits 2', (args, message) => {
    const r = run(...args);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it('seeds a small bank deterministically and refuses to seed it twice', () => {
    const db = tmpDb();
    const first = run('seed', '--demo', '--customers', '30', '--days', '40', '--seed', '7', '--json', '--db', db);
    expect(first.status).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report.rows.customers).toBe(30);
    const again = run('seed', '--demo', '--customers', '30', '--days', '40', '--db', db);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/already holds bank data/);
    const other = run('seed', '--demo', '--customers', '30', '--days', '40', '--seed', '7', '--json', '--db', tmpDb());
    expect(JSON.parse(other.stdout).rows).toEqual(report.rows);
  });

  it('prints help and exits 0', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('serve');
  });
});
