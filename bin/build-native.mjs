#!/usr/bin/env node
// Builds the native tile hasher (src/audit/log/native) that `flowguard audit verify` uses to hash a
// large log about twice as fast. `npm install` and `npm ci` run this (the package's install script),
// with npm's own node-gyp and Node's headers. Without a C compiler the build fails and verification
// hashes in JavaScript instead, with the same results: a warning, not a failed install, except in CI,
// where the fast path must be what is tested.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const directory = fileURLToPath(new URL('../src/audit/log/native/', import.meta.url));
const build = spawnSync('node-gyp', ['rebuild', '--directory', directory], { encoding: 'utf8', shell: process.platform === 'win32' });
if (build.status === 0) {
  process.stdout.write('Built the native tile hasher (src/audit/log/native) for audit verify.\n');
  process.exit(0);
}
const output = `${build.stdout ?? ''}${build.stderr ?? ''}`.trim().split('\n').slice(-15).join('\n');
const reason = build.error ? build.error.message : `node-gyp exited with ${build.status}`;
process.stderr.write(`${output}\nflowguard: the native tile hasher was not built (${reason}); audit verify will hash in JavaScript, about 1.6× more slowly. It needs python3, make and a C compiler; run \`npm run build:native\` to retry.\n`);
process.exit(process.env.CI === 'true' ? 1 : 0);
