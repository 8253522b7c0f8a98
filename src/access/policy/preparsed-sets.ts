/**
 * Hands a validated catalog to Cedar as preparsed policy sets, one per question the engine asks.
 */
import { preparsePolicySet } from '@cedar-policy/cedar-wasm/nodejs';
import type { PolicyInfo } from './decision.ts';
import type { PolicyCatalog } from './policy-catalog.ts';
import { PolicyError } from './policy-error.ts';

/** The names of the preparsed sets one engine asks. */
export interface PreparsedSets {
  /** Every read_statement policy: the decision. */
  decide: string;
  /** The read_statement permits alone: "would an approval be enough?" */
  permits: string;
  /** The monitor policies, or null when there are none. */
  monitor: string | null;
  /** Whether any monitor policy reads entity attributes; if none does, the call leaves them out. */
  monitorReadsEntities: boolean;
}

/**
 * Cedar's cost per call grows with the number of policies in the set, matching or not (about 2.5 µs
 * each in cedar-wasm 4.13), so each question gets a set holding only the policies that can answer it.
 */
export function preparseSets(name: string, catalog: PolicyCatalog): PreparsedSets {
  const pick = (keep: (p: PolicyInfo) => boolean): Record<string, string> =>
    Object.fromEntries(catalog.policies.filter(keep).map((p) => [p.id, p.text]));
  const wanted: Array<[string, Record<string, string>]> = [
    [`${name}/decide`, pick((p) => p.action === 'read_statement')],
    [`${name}/permits`, pick((p) => p.action === 'read_statement' && p.effect === 'permit')],
    [`${name}/monitor`, pick((p) => p.action === 'monitor')],
  ];
  for (const [setName, staticPolicies] of wanted) {
    if (Object.keys(staticPolicies).length === 0) continue;
    const answer = preparsePolicySet(setName, { staticPolicies });
    if (answer.type === 'failure') throw new PolicyError('invalid_policy', answer.errors.map((e) => e.message));
  }
  const monitors = catalog.policies.filter((p) => p.action === 'monitor');
  return {
    decide: `${name}/decide`,
    permits: `${name}/permits`,
    monitor: monitors.length > 0 ? `${name}/monitor` : null,
    monitorReadsEntities: monitors.some((p) => p.readsEntities !== false),
  };
}
