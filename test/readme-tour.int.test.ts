/**
 * The README's tour, run verbatim (but for the port) against a real `flowguard serve --demo` on a
 * fresh database: what a new user pastes must work.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { ROOT, startDemoServer, type DemoServer } from './demo-server.ts';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';


function tourScript(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /<!-- tour:start -->\s*```bash\n([\s\S]*?)```\s*<!-- tour:end -->/.exec(readme);
  if (!block) throw new Error('README.md has no tour block');
  return block[1]!;
}

describe('README tour', () => {
  let server: DemoServer;
  let port = 0;
  const db = `sqlite:${join(mkdtempSync(join(tmpdir(), 'fg-tour-')), 'flowguard.db')}`;
  beforeAll(async () => {
    server = await startDemoServer(db);
    port = Number(new URL(server.base).port);
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('works as written', () => {
    const script = tourScript();
    expect(script).toContain('FG=http://127.0.0.1:8080');
    const r = spawnSync('bash', ['-eo', 'pipefail', '-c', script.replace('FG=http://127.0.0.1:8080', `FG=http://127.0.0.1:${port}`)], {
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
