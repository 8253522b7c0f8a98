/**
 * Builds and runs test/interop/go-verifier with Debian's golang-go and golang-golang-x-mod-dev, in
 * GOPATH mode and offline (transparency-log.md §Independent clients).
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = fileURLToPath(new URL('./go-verifier/', import.meta.url));
/** Where Debian's golang-golang-x-mod-dev puts golang.org/x/mod. */
export const DEBIAN_GOCODE = '/usr/share/gocode';

/** Whether a `go` command is on the PATH. */
export function hasGo(): boolean {
  try {
    execFileSync('go', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Builds the verifier into a fresh directory and returns the binary's path. */
export function buildGoVerifier(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fg-go-verifier-'));
  const cache = join(tmpdir(), 'flowguard-go-build-cache');
  mkdirSync(cache, { recursive: true });
  const binary = join(dir, 'go-verifier');
  execFileSync('go', ['build', '-o', binary, '.'], {
    cwd: SOURCE,
    env: { ...process.env, GO111MODULE: 'off', GOPATH: `${join(dir, 'gopath')}:${DEBIAN_GOCODE}`, GOCACHE: cache, GOFLAGS: '', GOENV: 'off', GOPROXY: 'off' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return binary;
}

export interface GoRun { code: number; stdout: string; stderr: string }

/** Runs the verifier with the given flags; never throws for a non-zero exit. */
export function runGoVerifier(binary: string, args: readonly string[]): Promise<GoRun> {
  return new Promise((resolve) => {
    execFile(binary, args, { timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
