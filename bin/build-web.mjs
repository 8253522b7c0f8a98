#!/usr/bin/env node
// Builds the web console into web/dist when it is missing or older than its sources. `npm start`
// runs this first; the e2e tests run it too. A hash of the sources decides, not timestamps.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const web = new URL('../web/', import.meta.url).pathname;
const stampFile = join(web, 'dist', '.source-hash');

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'dist' || name === 'node_modules') return [];
    return statSync(path).isDirectory() ? files(path) : [path];
  }).sort();
}

const hash = createHash('sha256');
for (const file of files(web)) hash.update(relative(web, file)).update('\0').update(readFileSync(file)).update('\0');
const lock = new URL('../package-lock.json', import.meta.url).pathname;
if (existsSync(lock)) hash.update(readFileSync(lock));
const digest = hash.digest('hex');

if (existsSync(join(web, 'dist', 'index.html')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === digest) {
  process.exit(0);
}
process.stdout.write('Building the web console (web/ → web/dist)…\n');
const started = Date.now();
const { build } = await import('vite');
await build({ configFile: join(web, 'vite.config.ts'), logLevel: 'warn' });
writeFileSync(stampFile, digest);
process.stdout.write(`Built the web console in ${((Date.now() - started) / 1000).toFixed(1)}s.\n`);
