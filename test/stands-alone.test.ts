/**
 * A bank clones this repository alone: nothing it runs or tests may reach outside it for data.
 * (The needle is assembled so that this file does not name it.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FOLDERS = ['src', 'test', 'bench', 'web', 'bin'];
const SKIP = new Set(['node_modules', 'dist', '.git']);
const NEEDLES = [['..', 'shared'].join('/'), ['shared', 'vectors'].join('/')];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (SKIP.has(e.name)) return [];
    const path = join(dir, e.name);
    return e.isDirectory() ? files(path) : /\.(ts|tsx|mjs|js|json|md|go|c|gyp|html|css)$/.test(e.name) ? [path] : [];
  });
}

describe('the repository stands alone', () => {
  it('no file under src, test, bench, web or bin names the folder beside the repository', () => {
    const offenders = FOLDERS.flatMap((f) => files(join(ROOT, f)))
      .filter((path) => NEEDLES.some((n) => readFileSync(path, 'utf8').includes(n)))
      .map((path) => relative(ROOT, path));
    expect(offenders).toEqual([]);
  });
});
