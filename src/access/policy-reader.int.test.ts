/**
 * Issue 10 item 8: what the admin page shows is exactly what the engine enforces. A policy folder
 * with a second *.cedar file: the page shows both files' policies, and the engine decides by them.
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../test/engines.ts';
import { startTestApp, type TestApp } from '../../test/app-harness.ts';
import { C, T } from '../../test/bank-fixture.ts';
import { DEFAULT_POLICY_DIR, SCHEMA_FILE } from './policy/index.ts';
import { readPolicyFolder } from './policy/policy-files.ts';
import { loadSettings } from './settings.ts';

const PERIOD = { from: '2026-08-01', to: '2026-10-31' };

/** A bank's own second file: no statement of a retail customer (such as C.retail), whatever the purpose. */
const EXTRA = `@id("deny-extra-file")
@outcome("deny")
@reason_zh("第二个策略文件")
@reason_en("the second policy file")
@requester_zh("该客户流水暂不可查询")
@requester_en("this customer's statement cannot be queried now")
forbid (principal, action == Action::"read_statement", resource)
when { resource.segment == "retail" };
`;

function policyFolderWithSecondFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fg-policies-'));
  copyFileSync(join(DEFAULT_POLICY_DIR, 'flowguard.cedar'), join(dir, '10-flowguard.cedar'));
  copyFileSync(join(DEFAULT_POLICY_DIR, SCHEMA_FILE), join(dir, SCHEMA_FILE));
  writeFileSync(join(dir, '20-bank-extra.cedar'), EXTRA);
  return dir;
}

describe.each(engines)('one policy reader for the admin page and the engine on $name', (engine) => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await startTestApp(engine);
    dir = policyFolderWithSecondFile();
    t.ctx.settings = await loadSettings(t.store.db, { policyDir: dir });
  });
  afterAll(async () => t.close());

  it('the admin page shows every *.cedar file of the folder, and the engine enforces the second one', async () => {
    const page = (await t.as(await t.login('auditor')).get('/api/v1/admin/policy-set')).json();
    const folder = readPolicyFolder(dir);
    expect(page.text).toBe(folder.policyText);
    expect(page.text).toContain('@id("deny-extra-file")');
    expect(page.schema).toBe(folder.schemaText);
    expect(page.policyIds).toContain('deny-extra-file');
    expect(page.policyIds).toContain('deny-self-access');

    const teller = await t.login('teller');
    const r = (await t.as(teller).post('/api/v1/statement-requests', { customerId: C.retail, period: PERIOD, purpose: 'service_ticket', reference: T.retailVisit, output: 'view' })).json();
    expect(r.status).toBe('denied');
    const decided = await t.store.db.selectFrom('statement_requests').select('decision').where('id', '=', r.id).executeTakeFirstOrThrow();
    expect(decided.decision).toContain('deny-extra-file');
  });

  it('after a stored policy set is in force, the page shows that set: the text the engine was built from', async () => {
    const stored = readPolicyFolder(dir).policyText.replace(/@id\("deny-extra-file"\)[\s\S]*$/, '');
    const now = t.clock.now.toISOString();
    await t.store.db.insertInto('config_items').values({ kind: 'policy_set', key: 'default', body: stored, version: 1, updated_at: now }).execute();
    await t.ctx.settings.reload();
    const page = (await t.as(await t.login('auditor')).get('/api/v1/admin/policy-set')).json();
    expect(page).toMatchObject({ text: stored, version: 1 });
    expect(page.policyIds).not.toContain('deny-extra-file');
    expect(page.text).toBe(t.ctx.settings.policy().source.policyText);
  });
});
