/**
 * The settings under maker-checker — policy set, purposes, masking rules — as currently in force.
 * Defaults come from the code and `policies/`; approved changes are stored in `config_items` and
 * override them. `reload()` is called after a change is applied.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { loadPolicyEngine, type PolicyEngine } from './policy/index.ts';
import { DEFAULT_PURPOSES, PurposeCatalogue, type Purpose } from './purposes.ts';
import { maskingRulesInForce, type MaskingRules } from './masking.ts';
import { PurposeBody } from './change-bodies.ts';
import { Value } from 'typebox/value';

export type SettingKind = 'policy_set' | 'purpose' | 'masking_rules';

export interface Settings {
  policy(): PolicyEngine;
  purposes(): PurposeCatalogue;
  masking(): MaskingRules;
  reload(): Promise<void>;
}

export async function loadSettings(db: Kysely<Database>): Promise<Settings> {
  let policy: PolicyEngine;
  let purposes: PurposeCatalogue;
  let masking: MaskingRules;
  const reload = async () => {
    const items = await db.selectFrom('config_items').selectAll().execute();
    const policyText = items.find((i) => i.kind === 'policy_set' && i.key === 'default')?.body;
    // A row stored before change bodies were checked (issue 9) is skipped rather than break every request.
    const purposeOverrides = items.filter((i) => i.kind === 'purpose').map((i) => JSON.parse(i.body) as unknown).filter((p): p is Purpose => Value.Check(PurposeBody, p));
    const maskingOverride = items.find((i) => i.kind === 'masking_rules' && i.key === 'default')?.body;
    policy = loadPolicyEngine(policyText ? { policyText } : {});
    const merged = new Map(DEFAULT_PURPOSES.map((p) => [p.id, p]));
    for (const p of purposeOverrides) merged.set(p.id, p);
    purposes = new PurposeCatalogue([...merged.values()]);
    masking = maskingRulesInForce(maskingOverride ? JSON.parse(maskingOverride) : null);
  };
  await reload();
  return { policy: () => policy, purposes: () => purposes, masking: () => masking, reload };
}
