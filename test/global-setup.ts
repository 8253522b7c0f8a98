/**
 * Before any test: the web console is built (a no-op when web/dist matches its sources), so a fresh
 * clone's `npm test` checks the pages' CSP and the e2e suite instead of finding no console to serve.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const build = spawnSync(process.execPath, ['bin/build-web.mjs'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'inherit', 'pipe'] });
  if (build.status !== 0) throw new Error(`The web console did not build (node bin/build-web.mjs): ${build.stderr}`);
}
