/**
 * The console and portal in a real browser (Debian's Chromium via playwright-core) against a real
 * `flowguard serve --demo`: the five scenarios, a screenshot of each screen, no console error
 * and no CSP violation anywhere. One server and one browser for the file, to keep CI lean.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

// Functions passed to page.evaluate run in the page; `globalThis as any` stands in for the DOM types the Node check lacks.
/* eslint-disable @typescript-eslint/no-explicit-any */
import { browserAvailable, DOC_SCREENSHOTS, lastSms, launch, newSession, PASSWORD, screenshot, SCREENSHOTS, staffLogin, startServer, unexpected, type Server, type Session } from './harness.ts';

const TIMEOUT = 120_000;

describe.skipIf(!browserAvailable)('web console and portal in Chromium', () => {
  let server: Server;
  let browser: Browser;
  const sessions: Session[] = [];
  /** Browser errors a test provoked on purpose, by page. */
  const allowed = new Map<Page, RegExp[]>();

  const api = async (token: string | null, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  };
  const login = async (username: string) => (await api(null, 'POST', '/api/v1/sessions', { username, password: PASSWORD })).json.token as string;
  const session = async (viewport?: { width: number; height: number }) => {
    const s = await newSession(browser, viewport);
    sessions.push(s);
    return s;
  };
  const period = () => ({ from: new Date(Date.now() - 60 * 864e5).toISOString().slice(0, 10), to: new Date(Date.now() - 864e5).toISOString().slice(0, 10) });
  /** One more statement view by the teller, whatever the hour (approved by the manager when needed). */
  const oneMoreAccess = async () => {
    const teller = await login('teller.sh01');
    const tickets = (await api(teller, 'GET', '/api/v1/my/tickets?customerId=C0000001')).json;
    const d = (await api(teller, 'POST', '/api/v1/statement-requests', { customerId: 'C0000001', period: period(), purpose: 'service_ticket', reference: tickets[0].id, output: 'view' })).json;
    if (d.status === 'pending_approval') await api(await login('manager.sh01'), 'POST', `/api/v1/approvals/${d.id}`, { verdict: 'approved', comment: '测试' });
    await api(teller, 'POST', `/api/v1/statement-requests/${d.id}/acknowledgement`, { version: '2026-11' });
    const lw = (await api(teller, 'GET', '/api/v1/legal-warning')).json;
    await api(teller, 'POST', `/api/v1/statement-requests/${d.id}/acknowledgement`, { version: lw.version });
    expect((await api(teller, 'GET', `/api/v1/statement-requests/${d.id}/statement`)).status).toBe(200);
  };

  beforeAll(async () => {
    server = await startServer();
    browser = await launch();
  }, TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const expectClean = (s: Session) => expect(unexpected(s.problems, allowed.get(s.page) ?? []).map((p) => p.slice(0, 300))).toEqual([]);

  async function choosePurpose(page: Page, label: RegExp) {
    await page.getByTestId('purpose').click();
    await page.locator('.ant-select-item-option', { hasText: label }).click();
  }

  async function findCustomer(page: Page, q: string, id: string) {
    await page.getByTestId('customer-search').fill(q);
    await page.getByTestId('customer-search').press('Enter');
    await page.getByTestId(`choose-${id}`).click();
  }

  async function expectStatement(page: Page) {
    await page.getByTestId('watermark').waitFor({ state: 'attached' });
    expect(await page.getByTestId('customer-name').textContent()).toMatch(/^张\*$/);
    for (const card of await page.getByTestId('card-number').allTextContents()) expect(card).toMatch(/^\d{6}\*+\d{4}$/);
    const mark = await page.getByTestId('watermark').getAttribute('data-text');
    expect(mark).toContain('李娜 E000001');
    expect(await page.getByTestId('watermark').evaluate((el) => (globalThis as any).getComputedStyle(el).backgroundImage as string)).toContain('data:image/png');
    // Removed from the DOM, the watermark is painted again.
    await page.getByTestId('watermark').evaluate((el) => el.remove());
    await page.getByTestId('watermark').waitFor({ state: 'attached' });
    expect(await page.locator('.fg-statement').evaluate((el) => (globalThis as any).getComputedStyle(el).userSelect as string)).toBe('none');
  }

  it('1. a teller requests with a customer-present code, acknowledges the warning and sees the masked, watermarked statement', async () => {
    const s = await session();
    const { page } = s;
    await page.goto(`${server.url}/`);
    await screenshot(page, 'login');
    await staffLogin(page, server.url, 'teller.sh01');
    await findCustomer(page, '张伟', 'C0000001');
    await choosePurpose(page, /客户临柜办理/);
    await page.getByTestId('send-code').click();
    await page.getByText(/验证码已发送至/).waitFor();
    const code = /验证码(\d{6})/.exec(lastSms(server.db, '13800000001'))![1]!;
    await page.getByTestId('counter-code').fill(code);
    await page.getByRole('button', { name: /下一步/ }).click();
    // The gateway releases no PDF before marking exists: the wizard offers it disabled, not to fail later.
    expect(await page.getByRole('radio', { name: '导出 PDF' }).isDisabled()).toBe(true);
    await screenshot(page, 'request-wizard');
    await page.getByTestId('submit-request').click();
    const allowed = page.getByTestId('legal-warning');
    const pending = page.getByText('等待审批');
    await Promise.race([allowed.waitFor(), pending.waitFor()]);
    if (!(await allowed.isVisible())) {
      // Outside office hours everywhere (a weekend): the branch manager approves, then the teller opens it.
      const mine = (await api(await login('teller.sh01'), 'GET', '/api/v1/statement-requests')).json;
      await api(await login('manager.sh01'), 'POST', `/api/v1/approvals/${mine[0].id}`, { verdict: 'approved', comment: '客户本人在场' });
      await page.getByRole('button', { name: /查看我的申请/ }).click();
      await page.getByTestId(`open-${mine[0].id}`).click();
    }
    await page.getByTestId('legal-warning').getByText('法律风险警示', { exact: false }).first().waitFor();
    await screenshot(page, 'legal-warning');
    await page.getByTestId('ack-check').click();
    await page.getByTestId('ack-button').click();
    await expectStatement(page);
    await screenshot(page, 'statement');
    expectClean(s);
  }, TIMEOUT);

  it('2. a request needing approval waits, the approver approves, the requester sees it; a self-approval through the API is 403 and recorded', async () => {
    const teller = await session();
    await staffLogin(teller.page, server.url, 'teller.sh01');
    await findCustomer(teller.page, 'C0000001', 'C0000001');
    await teller.page.getByRole('button', { name: /下一步/ }).click(); // service ticket, pre-filled
    await teller.page.getByRole('checkbox', { name: '对方户名' }).check();
    await teller.page.getByTestId('submit-request').click();
    await teller.page.getByText('等待审批').first().waitFor();
    await screenshot(teller.page, 'decision-pending');
    const mine = (await api(await login('teller.sh01'), 'GET', '/api/v1/statement-requests')).json as Array<{ id: string; status: string }>;
    const id = mine.find((r) => r.status === 'pending_approval')!.id;

    // Self-approval straight through the API, with the session cookie and a valid CSRF token.
    allowed.set(teller.page, [/status of 403/]);
    const self = await teller.page.evaluate(async (rid) => {
      const r = await fetch(`/api/v1/approvals/${rid}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': (globalThis as any).sessionStorage.getItem('fg.csrf') ?? '' }, body: JSON.stringify({ verdict: 'approved', comment: 'me' }) });
      return { status: r.status, body: (await r.json()) as { code: string } };
    }, id);
    expect(self.status).toBe(403);
    expect(self.body.code).toBe('self_approval');
    const refused = server.db.prepare("SELECT count(*) AS n FROM audit_entries WHERE action = 'approval.refused' AND request_id = ?").get(id) as { n: number };
    expect(refused.n).toBe(1);

    const manager = await session();
    await staffLogin(manager.page, server.url, 'manager.sh01');
    await manager.page.goto(`${server.url}/console/approvals`);
    const card = manager.page.getByTestId(`approval-${id}`);
    await card.waitFor();
    expect(await card.textContent()).toContain('approval-unmasked-fields');
    // Purposes by the bank's label, not their ids.
    await expect.poll(async () => card.textContent()).toContain('服务工单');
    expect(await card.textContent()).not.toContain('service_ticket');
    await card.getByTestId('approval-comment').fill('已核实工单，同意');
    await screenshot(manager.page, 'approvals');
    await card.getByTestId('approve').click();
    await card.waitFor({ state: 'detached' });

    await teller.page.goto(`${server.url}/console/requests`);
    await teller.page.getByTestId(`open-${id}`).click();
    await screenshot(teller.page, 'my-requests');
    await teller.page.getByTestId('ack-check').click();
    await teller.page.getByTestId('ack-button').click();
    await expectStatement(teller.page);
    expectClean(teller);
    expectClean(manager);
  }, TIMEOUT);

  it('3. a denied request shows its reason in Chinese and in English', async () => {
    const s = await session();
    const { page } = s;
    await staffLogin(page, server.url, 'teller.sh01');
    await findCustomer(page, 'C0000003', 'C0000003'); // her own customer record
    await choosePurpose(page, /客户临柜办理/);
    await page.getByTestId('send-code').click();
    await page.getByText(/验证码已发送至/).waitFor();
    const mobile = (server.db.prepare("SELECT mobile FROM customers WHERE id = 'C0000003'").get() as { mobile: string }).mobile;
    await page.getByTestId('counter-code').fill(/验证码(\d{6})/.exec(lastSms(server.db, mobile))![1]!);
    await page.getByRole('button', { name: /下一步/ }).click();
    await page.getByTestId('submit-request').click();
    await page.getByText('已拒绝').waitFor();
    expect(await page.getByTestId('decision-reason').textContent()).toContain('不能查询本人的流水');
    await screenshot(page, 'decision-denied');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByText('Denied').waitFor();
    expect(await page.getByTestId('decision-reason').textContent()).toContain('you cannot look up your own statement');
    await page.getByRole('button', { name: '中文' }).click();
    expectClean(s);
  }, TIMEOUT);

  it('4. the customer sees exactly the accesses the rules allow (not the judicial one) with their purposes, and reports one', async () => {
    const customer = server.db.prepare("SELECT id, mobile FROM customers WHERE id = 'C0000006'").get() as { id: string; mobile: string };
    const teller = await login('teller.sh01');
    const cc = (await api(teller, 'POST', `/api/v1/customers/${customer.id}/counter-codes`)).json;
    const code = /验证码(\d{6})/.exec(lastSms(server.db, customer.mobile))![1]!;
    const visible = (await api(teller, 'POST', '/api/v1/statement-requests', { customerId: customer.id, period: period(), purpose: 'customer_present', reference: cc.codeId, code, output: 'view' })).json;
    const doc = (server.db.prepare("SELECT document_number FROM service_tickets WHERE customer_id = ? AND kind = 'judicial_assistance'").get(customer.id) as { document_number: string }).document_number;
    const judicial = await api(await login('compliance'), 'POST', '/api/v1/statement-requests', { customerId: customer.id, period: period(), purpose: 'judicial_request', reference: doc, output: 'view' });
    expect(judicial.status).toBe(201);

    const s = await session({ width: 390, height: 844 });
    const { page } = s;
    await page.goto(`${server.url}/portal`);
    await page.getByTestId('portal-mobile').fill(customer.mobile);
    await screenshot(page, 'portal-login');
    await page.getByTestId('portal-get-code').click();
    await page.getByTestId('portal-code').waitFor();
    await expect.poll(() => /(\d{6})/.exec(lastSms(server.db, customer.mobile))?.[1] !== code).toBe(true);
    await page.getByTestId('portal-code').fill(/(\d{6})/.exec(lastSms(server.db, customer.mobile))![1]!);
    await page.getByTestId('portal-signin').click();
    await page.getByTestId('portal-history').waitFor();
    const items = page.locator('[data-testid^="history-"]');
    const purposes = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-purpose')));
    const expected = server.db.prepare("SELECT count(*) AS n FROM audit_entries WHERE customer_id = ? AND action IN ('statement.requested','statement.viewed','statement.exported') AND json_extract(entry, '$.detail.purpose') NOT IN ('judicial_request','aml_investigation')").get(customer.id) as { n: number };
    expect(purposes.length).toBe(expected.n);
    expect(purposes).toContain('customer_present');
    expect(purposes).not.toContain('judicial_request');
    expect(await page.getByTestId('portal-history').textContent()).toContain('客户临柜办理');
    await screenshot(page, 'portal-history');
    const seq = (server.db.prepare("SELECT seq FROM audit_entries WHERE request_id = ? AND action = 'statement.requested'").get(visible.id) as { seq: number }).seq;
    await page.getByTestId(`report-${seq}`).click();
    await page.getByRole('dialog').getByRole('textbox').fill('我没有去过网点');
    await page.getByRole('dialog').getByRole('button', { name: /不认识/ }).click();
    await page.getByText('已报告').waitFor();
    const report = server.db.prepare('SELECT count(*) AS n FROM access_reports WHERE customer_id = ? AND audit_seq = ?').get(customer.id, seq) as { n: number };
    expect(report.n).toBe(1);

    // My own statement: masked, and each view recorded.
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await page.getByRole('tab', { name: '我的流水', exact: true }).click();
    await page.getByTestId('portal-statement').waitFor();
    expect(await page.getByTestId('portal-statement').locator('.fg-history-item').count()).toBeGreaterThan(0);
    await screenshot(page, 'portal-statement');
    const own = server.db.prepare("SELECT count(*) AS n FROM audit_entries WHERE customer_id = ? AND action = 'portal.statement_viewed'").get(customer.id) as { n: number };
    expect(own.n).toBeGreaterThanOrEqual(1);
    expectClean(s);
  }, TIMEOUT);

  it('5. the dashboard equals counts from the database and changes after one more access; the log page verifies an entry and fails on a tampered tile', async () => {
    const s = await session();
    const { page } = s;
    await staffLogin(page, server.url, 'analyst');
    await page.goto(`${server.url}/console/dashboard`);
    const perHour = page.getByTestId('chart-per-hour');
    await perHour.waitFor();
    const read = async (id: string) => JSON.parse((await page.getByTestId(id).getAttribute('data-series'))!) as Array<Record<string, string | number>>;
    const hours = await read('chart-per-hour');
    const from = `${hours[0]!.hour}:00:00.000Z`;
    const dbHours = server.db.prepare("SELECT substr(created_at, 1, 13) AS hour, count(*) AS count FROM audit_entries WHERE action IN ('statement.viewed','statement.exported') AND created_at >= ? GROUP BY 1").all(from) as Array<{ hour: string; count: number }>;
    expect(hours.filter((h) => Number(h.count) > 0)).toEqual(dbHours.map((h) => ({ hour: h.hour, count: h.count })));
    const outcomes = server.db.prepare("SELECT json_extract(decision, '$.outcome') AS outcome, count(*) AS count FROM statement_requests WHERE created_at >= ? GROUP BY 1").all(from) as Array<{ outcome: string; count: number }>;
    expect(Object.fromEntries((await read('chart-outcome')).map((o) => [o.outcome, o.count]))).toEqual(Object.fromEntries(outcomes.map((o) => [o.outcome, o.count])));
    const purposes = server.db.prepare('SELECT purpose, count(*) AS count FROM statement_requests WHERE created_at >= ? GROUP BY 1').all(from) as Array<{ purpose: string; count: number }>;
    expect(Object.fromEntries((await read('chart-purposes')).map((o) => [o.purpose, o.count]))).toEqual(Object.fromEntries(purposes.map((o) => [o.purpose, o.count])));
    await screenshot(page, 'dashboard');
    const before = hours.reduce((n, h) => n + Number(h.count), 0);
    await oneMoreAccess();
    await page.getByTestId('refresh').click();
    await expect.poll(async () => (await read('chart-per-hour')).reduce((n, h) => n + Number(h.count), 0)).toBe(before + 1);
    // Seven days back: 168 hourly buckets, and the accesses of the whole week.
    await page.getByTestId('window').getByText('近7天').click();
    await expect.poll(async () => (await read('chart-per-hour')).length).toBe(168);
    const weekFrom = `${(await read('chart-per-hour'))[0]!.hour}:00:00.000Z`;
    const week = server.db.prepare("SELECT count(*) AS n FROM audit_entries WHERE action IN ('statement.viewed','statement.exported') AND created_at >= ?").get(weekFrom) as { n: number };
    expect((await read('chart-per-hour')).reduce((n, h) => n + Number(h.count), 0)).toBe(week.n);

    await page.goto(`${server.url}/console/audit`);
    await page.locator('.ant-table-row').first().waitFor();
    // Actions by name, not by id (the id stays in the tag's title).
    const record = (await page.locator('.ant-table-tbody').textContent()) ?? '';
    expect(record).toContain('查看流水');
    expect(record).not.toContain('statement.viewed');
    await screenshot(page, 'audit-record');

    await page.goto(`${server.url}/console/log`);
    await page.getByTestId('tree-size').waitFor();
    await page.getByLabel('日志条目位置').fill('3');
    await page.getByTestId('verify').click();
    await page.getByTestId('verify-ok').waitFor();
    await screenshot(page, 'log-verify');
    // Serve a tampered level-0 tile: one flipped bit in the first hash.
    await page.route('**/log/tile/0/**', async (route) => {
      const original = await route.fetch();
      const body = Buffer.from(await original.body());
      body[0] = body[0]! ^ 1;
      await route.fulfill({ response: original, body });
    });
    await page.getByTestId('verify').click();
    await page.getByTestId('verify-fail').waitFor();
    expect(await page.getByTestId('verify-fail').textContent()).toMatch(/tile|root/);
    await page.unroute('**/log/tile/0/**');
    // An auditor pins the key they hold: a malformed one is refused, another log's key shows the
    // checkpoint as not signed by it, and the log's own key makes it valid again.
    const logKey = (await page.getByTestId('pinned-key').textContent())!;
    await page.getByTestId('replace-key').click();
    await page.getByTestId('key-input').fill('not a key');
    await page.getByTestId('save-key').click();
    await page.getByTestId('key-error').waitFor();
    const [name, hash, key] = [logKey.split('+')[0], logKey.split('+')[1]!, logKey.split('+').slice(2).join('+')];
    const otherHash = hash.slice(0, 7) + (parseInt(hash[7]!, 16) ^ 1).toString(16);
    await page.getByTestId('key-input').fill(`${name}+${otherHash}+${key}`);
    await page.getByTestId('save-key').click();
    await page.getByTestId('signature-problem').waitFor();
    expect(await page.getByTestId('signature-problem').textContent()).toContain('no signature by the pinned key');
    await page.getByTestId('replace-key').click();
    await page.getByTestId('key-input').fill(logKey);
    await page.getByTestId('save-key').click();
    await page.getByTestId('signature-problem').waitFor({ state: 'detached' });
    expect(await page.getByTestId('pinned-key').textContent()).toBe(logKey);

    await page.goto(`${server.url}/console/training`);
    await page.locator('.ant-table-row').first().waitFor();
    await screenshot(page, 'training');
    expectClean(s);
  }, TIMEOUT);

  it('admin: the policy set, users and roles, and a change one administrator proposes and another applies', async () => {
    const s = await session();
    await staffLogin(s.page, server.url, 'admin');
    await s.page.goto(`${server.url}/console/admin`);
    await s.page.getByText('permit', { exact: false }).first().waitFor();
    await screenshot(s.page, 'admin-policy');
    await s.page.getByRole('tab', { name: '用户与角色' }).click();
    await s.page.locator('.ant-tag', { hasText: 'security_analyst' }).first().waitFor();
    await screenshot(s.page, 'admin-staff');
    await s.page.getByRole('tab', { name: '提交配置变更' }).click();
    await s.page.getByRole('button', { name: /提交变更/ }).click();
    await s.page.getByText('已保存').waitFor();
    const change = server.db.prepare("SELECT id FROM change_proposals WHERE kind = 'role_grant' AND status = 'pending'").get() as { id: string };

    // The second administrator approves it; the proposer cannot.
    const checker = await session();
    await staffLogin(checker.page, server.url, 'admin2');
    await checker.page.goto(`${server.url}/console/admin`);
    await checker.page.getByRole('tab', { name: '变更记录' }).click();
    await checker.page.getByRole('button', { name: /批准生效/ }).first().click();
    await checker.page.locator('.ant-tag', { hasText: 'applied' }).first().waitFor();
    const decided = server.db.prepare('SELECT status, checker_id FROM change_proposals WHERE id = ?').get(change.id) as { status: string; checker_id: string };
    expect(decided).toEqual({ status: 'applied', checker_id: 'E000011' });
    expectClean(s);
    expectClean(checker);
  }, TIMEOUT);

  it.skipIf(process.env.CI !== 'true' && !existsSync('/usr/bin/tesseract'))('the warning screenshot, this run\'s and the committed one, reads back 法律风险警示 by OCR (fonts really render)', () => {
    for (const dir of new Set([SCREENSHOTS, DOC_SCREENSHOTS])) {
      const r = spawnSync('tesseract', [`${dir}/legal-warning.png`, 'stdout', '-l', 'chi_sim'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.replace(/\s+/g, '')).toContain('法律风险警示');
    }
  });
});
