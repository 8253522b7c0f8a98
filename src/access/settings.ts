/**
 * The settings under maker-checker — policy set, purposes, masking rules — as currently in force.
 * Defaults come from the code and `policies/`; approved changes are stored in `config_items` and
 * override them. `reload()` is called after a change is applied on this node; every node also polls
 * the settings version (`watchSettings`) so a change applied on another node is in force here within
 * seconds. A reload that fails keeps the last good settings: never an empty engine.
 */
import { sql, type Kysely } from 'kysely';
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
  /** Reads every setting again; throws, leaving the settings in force unchanged, if they cannot be built. */
  reload(): Promise<void>;
  /** Reloads if the settings version moved since the last load (another node applied a change); true if it did. */
  refresh(): Promise<boolean>;
}

interface InForce { policy: PolicyEngine; purposes: PurposeCatalogue; masking: MaskingRules }

/**
 * The version of the stored settings, cheap to read on every poll. Every applied change inserts a
 * `config_items` row at version 1 or bumps its version, so the sum of versions grows with each one;
 * the row count and latest time also catch a row deleted by hand.
 */
export async function settingsVersion(db: Kysely<Database>): Promise<string> {
  const row = await db.selectFrom('config_items')
    .select([
      (eb) => eb.fn.countAll<number | string>().as('items'),
      sql<number | string | null>`sum(version)`.as('versions'),
      (eb) => eb.fn.max('updated_at').as('latest'),
    ])
    .executeTakeFirstOrThrow();
  return `${Number(row.items)}:${Number(row.versions ?? 0)}:${row.latest ?? ''}`;
}

async function readSettings(db: Kysely<Database>, opts: SettingsOptions): Promise<InForce> {
  const items = await db.selectFrom('config_items').selectAll().execute();
  const policyText = items.find((i) => i.kind === 'policy_set' && i.key === 'default')?.body;
  // A row stored before change bodies were checked (issue 9) is skipped rather than break every request.
  const purposeOverrides = items.filter((i) => i.kind === 'purpose').map((i) => JSON.parse(i.body) as unknown).filter((p): p is Purpose => Value.Check(PurposeBody, p));
  const maskingOverride = items.find((i) => i.kind === 'masking_rules' && i.key === 'default')?.body;
  const merged = new Map(DEFAULT_PURPOSES.map((p) => [p.id, p]));
  for (const p of purposeOverrides) merged.set(p.id, p);
  return {
    policy: loadPolicyEngine({ ...(policyText ? { policyText } : {}), ...(opts.policyDir === undefined ? {} : { policyDir: opts.policyDir }) }),
    purposes: new PurposeCatalogue([...merged.values()]),
    masking: maskingRulesInForce(maskingOverride ? JSON.parse(maskingOverride) : null),
  };
}

export interface SettingsOptions {
  /** The policy folder (every *.cedar file and the schema); default: the shipped policies/. */
  policyDir?: string;
}

export async function loadSettings(db: Kysely<Database>, opts: SettingsOptions = {}): Promise<Settings> {
  let inForce: InForce;
  let loadedVersion: string;
  const reload = async () => {
    // The version is read first: a change landing between the two reads is loaded now and, its
    // version not yet seen, loaded once more on the next poll — never missed.
    const version = await settingsVersion(db);
    // Built whole before any of it replaces what is in force, so a failure leaves the last good set.
    inForce = await readSettings(db, opts);
    loadedVersion = version;
  };
  const refresh = async () => {
    if ((await settingsVersion(db)) === loadedVersion) return false;
    await reload();
    return true;
  };
  await reload();
  return { policy: () => inForce.policy, purposes: () => inForce.purposes, masking: () => inForce.masking, reload, refresh };
}

/**
 * Polls the settings version every `everyMs` and reloads when it moved. A failed poll or reload is
 * reported and the settings in force stay; the next poll tries again. The timer does not keep the
 * process alive.
 */
export function watchSettings(settings: Pick<Settings, 'refresh'>, everyMs: number, onError: (error: unknown) => void): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return; // a slow database: one poll at a time
    running = true;
    settings.refresh().catch(onError).finally(() => { running = false; });
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
