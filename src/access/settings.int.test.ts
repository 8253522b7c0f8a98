import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines } from '../../test/engines.ts';
import { openStore, type Store } from '../store/database.ts';
import { loadSettings, settingsVersion, watchSettings, type Settings } from './settings.ts';
import { loadDefaultPolicyText } from './policy-files.ts';

const AT = '2026-11-25T02:00:00.000Z';

describe.each(engines)('settings kept in step with the database on $name', (engine) => {
  let store: Store;
  let settings: Settings;
  beforeAll(async () => {
    store = await openStore(await engine.freshUrl());
    settings = await loadSettings(store.db);
  });
  afterAll(async () => store.close());

  const putMasking = (body: string, version: number) => store.db.insertInto('config_items')
    .values({ kind: 'masking_rules', key: 'default', body, version, updated_at: AT })
    .onConflict((oc) => oc.columns(['kind', 'key']).doUpdateSet({ body, version }))
    .execute();

  it('refresh reloads only when the stored settings moved (a change applied by another node)', async () => {
    expect(await settings.refresh()).toBe(false);
    expect(settings.masking().mobile).toEqual({ keepStart: 3, keepEnd: 4 });
    const before = await settingsVersion(store.db);
    await putMasking(JSON.stringify({ mobile: { keepStart: 3, keepEnd: 2 } }), 1);
    expect(await settingsVersion(store.db)).not.toBe(before);
    expect(settings.masking().mobile).toEqual({ keepStart: 3, keepEnd: 4 });
    expect(await settings.refresh()).toBe(true);
    expect(settings.masking().mobile).toEqual({ keepStart: 3, keepEnd: 2 });
    expect(await settings.refresh()).toBe(false);
  });

  it('a reload that fails keeps the last good settings in force, whole', async () => {
    const policy = settings.policy();
    const masking = settings.masking();
    // A good policy set beside masking rules that cannot be read (stored around the checks): nothing
    // of the new state may take effect, not even the part that could be built.
    const withoutVipRule = loadDefaultPolicyText().replace(/@id\("approval-vip"\)[\s\S]*?unless \{[^}]*\};/, '');
    await store.db.insertInto('config_items').values({ kind: 'policy_set', key: 'default', body: withoutVipRule, version: 1, updated_at: AT }).execute();
    await putMasking('{ not json', 2);
    await expect(settings.refresh()).rejects.toThrow();
    expect(settings.policy()).toBe(policy);
    expect(settings.masking()).toBe(masking);
    expect(settings.policy().health().ok).toBe(true);
  });

  it('the watcher reports a failing reload and tries again at the next poll', async () => {
    const errors: unknown[] = [];
    const watch = watchSettings(settings, 100, (error) => errors.push(error));
    try {
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect(errors.length).toBeGreaterThanOrEqual(2);
      await putMasking(JSON.stringify({ mobile: { keepStart: 0, keepEnd: 0 } }), 3);
      await new Promise((resolve) => setTimeout(resolve, 350));
      expect(settings.masking().mobile).toEqual({ keepStart: 0, keepEnd: 0 });
      expect(settings.policy().policyIds).not.toContain('approval-vip');
    } finally {
      watch.stop();
    }
  });
});
