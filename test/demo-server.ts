/**
 * The real `flowguard serve --demo` as a child process, for tests that must see what a user sees:
 * a separate process they can SIGKILL, its stdout and stderr as the log, its address from the banner.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export const ROOT = new URL('..', import.meta.url).pathname;

export interface DemoServer {
  proc: ChildProcess;
  /** e.g. http://127.0.0.1:43121 */
  base: string;
  exited: Promise<void>;
  /** Everything the server printed so far (stdout and stderr). */
  log(): string;
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
}

export async function startDemoServer(dbUrl: string, env: Record<string, string> = {}): Promise<DemoServer> {
  const proc = spawn(process.execPath, ['bin/flowguard.mjs', 'serve', '--demo', '--port', '0', '--db', dbUrl], {
    cwd: ROOT,
    env: { ...process.env, FLOWGUARD_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 90_000);
    proc.stdout!.on('data', () => {
      const m = /demo bank at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited ${code}:\n${out}`));
    });
  });
  return {
    proc,
    base,
    exited,
    log: () => out,
    async stop(signal = 'SIGTERM') {
      proc.kill(signal);
      await exited;
    },
  };
}
