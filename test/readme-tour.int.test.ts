/**
 * The README's tour, run verbatim (but for the port) against a real `flowguard serve --demo` on a
 * fresh database: what a new user pastes must work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;

function tourScript(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /<!-- tour:start -->\s*```bash\n([\s\S]*?)```\s*<!-- tour:end -->/.exec(readme);
  if (!block) throw new Error('README.md has no tour block');
  return block[1]!;
}

describe('README tour', () => {
  let server: ChildProcess;
  let port = 0;
  const db = `sqlite:${join(mkdtempSync(join(tmpdir(), 'fg-tour-')), 'flowguard.db')}`;
  beforeAll(async () => {
    server = spawn(process.execPath, ['bin/flowguard.mjs', 'serve', '--demo', '--port', '0', '--db', db], { cwd: ROOT, env: { ...process.env, FLOWGUARD_LOG_LEVEL: 'warn' } });
    port = await new Promise<number>((resolve, reject) => {
      let out = '';
      server.stdout!.on('data', (d) => {
        out += d;
        const m = /demo bank at http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      server.on('exit', (code) => reject(new Error(`server exited ${code}`)));
    });
  }, 120_000);
  afterAll(() => {
    server?.kill('SIGTERM');
  });

  it('works as written', () => {
    const script = tourScript();
    expect(script).toContain('FG=http://127.0.0.1:8080');
    const r = spawnSync('bash', ['-euo', 'pipefail', '-c', script.replace('FG=http://127.0.0.1:8080', `FG=http://127.0.0.1:${port}`)], {
      cwd: ROOT,
      env: { ...process.env, FLOWGUARD_DB: db },
      encoding: 'utf8',
      timeout: 90_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/^(allowed|pending_approval)$/m);
    expect(out).toContain('法律风险警示');
    expect(out).toMatch(/^张\*$/m);
    expect(out).toMatch(/^\d{6}\*{9}\d{4}$/m);
    expect(out).toMatch(/李娜 E000001/);
    expect(out).toMatch(/kind: 'view'/);
    expect(out).toMatch(/purpose: 'service_ticket'/);
    expect(out).not.toMatch(/李娜', ?\n?.*pseudonym/);
  }, 120_000);
});
