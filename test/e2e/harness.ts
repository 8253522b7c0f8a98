/**
 * End-to-end harness: a real `flowguard serve --demo` on a fresh SQLite file and Debian's Chromium
 * driven by playwright-core. Every page collects console errors and CSP violations; tests assert
 * there are none. Without /usr/bin/chromium the suites skip locally and fail under CI=true.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteDriver, type SQLiteConnection } from '../../src/store/dialect/sqlite.ts';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const CHROMIUM = process.env.FLOWGUARD_CHROMIUM ?? '/usr/bin/chromium';
export const PASSWORD = 'demo-only-flowguard';
/** The committed screenshots shown in the README. */
export const DOC_SCREENSHOTS = join(ROOT, 'docs', 'screenshots');
/**
 * Where this run saves its screenshots: a temporary folder, so `npm test` leaves the checkout clean;
 * `npm run screenshots` (FLOWGUARD_SCREENSHOTS=docs) refreshes the committed ones.
 */
export const SCREENSHOTS = process.env.FLOWGUARD_SCREENSHOTS === 'docs' ? DOC_SCREENSHOTS : mkdtempSync(join(tmpdir(), 'fg-screens-'));

/** Whether the browser suites run: always under CI (a missing browser then fails), else when Chromium exists. */
export const browserAvailable = existsSync(CHROMIUM);
if (process.env.CI === 'true' && !browserAvailable) {
  throw new Error(`CI=true but ${CHROMIUM} is missing: install Debian's chromium (see .ci/run).`);
}

/**
 * A time zone where it is now a weekday between 09:00 and 19:00, so the office-hours rule allows a
 * teller's request; null on a weekend everywhere (tests then go through the approval path).
 */
export function officeHoursZone(now = new Date()): string | null {
  for (let offset = -11; offset <= 13; offset++) {
    const zone = offset === 0 ? 'Etc/UTC' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`; // Etc/GMT-8 is UTC+8
    const local = new Date(now.getTime() + offset * 3_600_000);
    const day = local.getUTCDay();
    const hour = local.getUTCHours();
    if (day >= 1 && day <= 5 && hour >= 9 && hour < 19) return zone;
  }
  return null;
}

export interface Server { url: string; dbFile: string; proc: ChildProcess; db: SQLiteConnection; stop(): Promise<void> }

/** Builds the console if stale, then starts the demo server on a free port and a fresh database. */
export async function startServer(env: Record<string, string> = {}): Promise<Server> {
  const build = spawnSync(process.execPath, ['bin/build-web.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`web build failed: ${build.stderr}`);
  const dir = mkdtempSync(join(tmpdir(), 'fg-e2e-'));
  const dbFile = join(dir, 'flowguard.db');
  // FLOWGUARD_E2E_TIME_ZONE forces a zone, to exercise the out-of-hours (approval) path on purpose.
  const zone = process.env.FLOWGUARD_E2E_TIME_ZONE ?? officeHoursZone();
  const proc = spawn(process.execPath, ['bin/flowguard.mjs', 'serve', '--demo', '--port', '0', '--db', `sqlite:${dbFile}`], {
    cwd: ROOT,
    env: {
      ...process.env,
      FLOWGUARD_LOG_LEVEL: 'warn',
      FLOWGUARD_LOG_KEY_FILE: join(dir, 'log-signing.key'),
      FLOWGUARD_LOG_INTERVAL_MS: '100',
      ...(zone ? { FLOWGUARD_TIME_ZONE: zone } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr!.on('data', (d) => { stderr += d; });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = /demo bank at http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    proc.on('exit', (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
  });
  const db = new (sqliteDriver())(dbFile, { readonly: true, fileMustExist: true });
  return {
    url: `http://127.0.0.1:${port}`,
    dbFile,
    proc,
    db,
    async stop() {
      db.close();
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

export interface Session { context: BrowserContext; page: Page; problems: string[] }

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=zh-CN'],
  });
}

/** A fresh context (own cookies) whose page reports console errors and CSP violations into `problems`. */
export async function newSession(browser: Browser, viewport = { width: 1440, height: 900 }): Promise<Session> {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  // Runs in the page (a string, so the Node type check needs no DOM types).
  await page.addInitScript(`document.addEventListener('securitypolicyviolation', (e) => console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));`);
  return { context, page, problems };
}

/** Console errors that are the test's own doing (an HTTP error the test provoked on purpose). */
export function unexpected(problems: string[], allow: RegExp[] = []): string[] {
  return problems.filter((p) => !allow.some((a) => a.test(p)));
}

export async function staffLogin(page: Page, url: string, username: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.getByLabel(/用户名|Username/).fill(username);
  await page.getByLabel(/密码|Password/).fill(PASSWORD);
  await page.getByRole('button', { name: /登\s*录|Sign in/ }).click();
  await page.getByTestId('user-menu').waitFor();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** The last demo text message to `mobile` (the local SMS outbox). */
export function lastSms(db: SQLiteConnection, mobile: string): string {
  const row = db.prepare('SELECT body FROM outbox WHERE recipient = ? ORDER BY id DESC LIMIT 1').get(mobile) as { body: string } | undefined;
  return row?.body ?? '';
}
