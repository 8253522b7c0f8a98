/**
 * Hands a validated catalog to Cedar as preparsed policy sets, one per question the engine asks,
 * each with the attributes its policies can read.
 */
import { policyToJson, preparsePolicySet, type PolicyJson } from '@cedar-policy/cedar-wasm/nodejs';
import { attributeReads, type AttributeReads } from './attribute-reads.ts';
import type { PolicyInfo } from './decision.ts';
import type { PolicyCatalog } from './policy-catalog.ts';
import { PolicyError } from './policy-error.ts';

/** One preparsed set: its name in Cedar and what its policies can read. */
export interface PreparsedSet {
  readonly id: string;
  readonly reads: AttributeReads;
}

/** The preparsed sets one engine asks. */
export interface PreparsedSets {
  /** Every read_statement policy: the decision. */
  decide: PreparsedSet;
  /** The read_statement permits alone: "would an approval be enough?" */
  permits: PreparsedSet;
  /** The monitor policies, or null when there are none. */
  monitor: PreparsedSet | null;
}

/**
 * Cedar's cost per call grows with the number of policies in the set, matching or not (about 2.5 µs
 * each in cedar-wasm 4.13), and with every attribute it is handed, so each question gets a set holding
 * only the policies that can answer it, and is handed only what those policies read.
 */
export function preparseSets(name: string, catalog: PolicyCatalog): PreparsedSets {
  const prepare = (suffix: string, keep: (p: PolicyInfo) => boolean): PreparsedSet | null => {
    const policies = catalog.policies.filter(keep);
    if (policies.length === 0) return null;
    const id = `${name}/${suffix}`;
    const answer = preparsePolicySet(id, { staticPolicies: Object.fromEntries(policies.map((p) => [p.id, p.text])) });
    if (answer.type === 'failure') throw new PolicyError('invalid_policy', answer.errors.map((e) => e.message));
    return { id, reads: attributeReads(policies.map(toJson)) };
  };
  const decide = prepare('decide', (p) => p.action === 'read_statement');
  const permits = prepare('permits', (p) => p.action === 'read_statement' && p.effect === 'permit');
  // checkPolicySet has refused such a set already; this keeps the types honest.
  if (!decide || !permits) throw new PolicyError('invalid_policy', ['no permit for Action::"read_statement": every request would be refused']);
  return { decide, permits, monitor: prepare('monitor', (p) => p.action === 'monitor') };
}

function toJson(policy: PolicyInfo): PolicyJson {
  const answer = policyToJson(policy.text);
  if (answer.type === 'failure') throw new PolicyError('invalid_policy', answer.errors.map((e) => `${policy.id}: ${e.message}`));
  return answer.json;
}
