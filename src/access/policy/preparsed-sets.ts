/**
 * Hands a validated catalog to Cedar as preparsed policy sets, one per question the engine asks,
 * each with the attributes its policies can read.
 */
import { isDeepStrictEqual } from 'node:util';
import type { PolicyJson } from '@cedar-policy/cedar-wasm/nodejs';
import { callCedar, cedarGeneration } from './cedar-runtime.ts';
import { attributeReads, type AttributeReads, type AttributeTree } from './attribute-reads.ts';
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
  /**
   * Every read_statement policy. When `asPermits`, each forbid is asked as a permit, so one call
   * names every policy that matches, permits and forbids alike (a deny would name only the forbids)
   * and the engine applies Cedar's rule itself: allow when a permit matches and no forbid does.
   */
  decide: PreparsedSet & { readonly asPermits: boolean };
  /** The read_statement permits alone: "would an approval be enough?" */
  permits: PreparsedSet;
  /** Whether a permit reads context.request.approved; if none does, an approval cannot change which permits match. */
  permitsReadApproved: boolean;
  /** The monitor policies, or null when there are none. */
  monitor: PreparsedSet | null;
  /** The Cedar instance the sets live in (cedar-runtime.ts); a replaced instance holds none of them. */
  generation: number;
  /** The same sets preparsed again, into the current instance. */
  again(): PreparsedSets;
}

/**
 * Cedar's cost per call grows with the number of policies in the set, matching or not (about 3.5 µs
 * each in cedar-wasm 4.13: the 24 deciding policies take 210 µs a call where one trivial policy
 * takes 124 µs with the same request), and with every attribute it is handed, so each question gets
 * a set holding only the policies that can answer it, and is handed only what those policies read.
 */
export function preparseSets(name: string, catalog: PolicyCatalog, opts: { askAsPermits?: boolean } = {}): PreparsedSets {
  const generation = cedarGeneration();
  const prepare = (suffix: string, policies: readonly PolicyInfo[], texts = policies.map((p) => p.text)): PreparsedSet | null => {
    if (policies.length === 0) return null;
    const id = `${name}/${suffix}`;
    const answer = callCedar((cedar) => cedar.preparsePolicySet(id, { staticPolicies: Object.fromEntries(policies.map((p, i) => [p.id, texts[i]!])) }));
    if (answer.type === 'failure') throw new PolicyError('invalid_policy', answer.errors.map((e) => e.message));
    return { id, reads: attributeReads(policies.map(toJson)) };
  };
  const deciding = catalog.policies.filter((p) => p.action === 'read_statement');
  // Tests pass askAsPermits: false to reach what happens when some forbid cannot be turned.
  const asPermits = opts.askAsPermits === false ? [] : deciding.map(askedAsPermit);
  const allFlipped = opts.askAsPermits !== false && asPermits.every((text) => text !== null);
  const decide = prepare(allFlipped ? 'decide-as-permits' : 'decide', deciding, allFlipped ? (asPermits as string[]) : undefined);
  const permits = prepare('permits', deciding.filter((p) => p.effect === 'permit'));
  // checkPolicySet has refused such a set already; this keeps the types honest.
  if (!decide || !permits) throw new PolicyError('invalid_policy', ['no permit for Action::"read_statement": every request would be refused']);
  return {
    decide: { ...decide, asPermits: allFlipped },
    permits,
    permitsReadApproved: reaches(permits.reads.context, ['request', 'approved']),
    monitor: prepare('monitor', catalog.policies.filter((p) => p.action === 'monitor')),
    generation,
    again: () => preparseSets(name, catalog, opts),
  };
}

/**
 * The policy's text with `forbid` turned into `permit`, and nothing else changed — checked by
 * parsing it again — or null if that cannot be shown. The edit is made on the text, not the JSON
 * form, because the JSON form rounds Long literals beyond 2^53 on their way through JavaScript.
 * Before the effect a policy holds only annotations (`@name` or `@name("string")`), whitespace and
 * `//` comments.
 */
export function askedAsPermit(policy: PolicyInfo): string | null {
  if (policy.effect === 'permit') return policy.text;
  const text = policy.text;
  let at = 0;
  const skipBlank = () => {
    for (;;) {
      while (at < text.length && /\s/.test(text[at]!)) at++;
      if (!text.startsWith('//', at)) return;
      while (at < text.length && text[at] !== '\n') at++;
    }
  };
  for (skipBlank(); text[at] === '@'; skipBlank()) {
    at++;
    while (at < text.length && /[\w]/.test(text[at]!)) at++;
    skipBlank();
    if (text[at] !== '(') continue;
    at++;
    skipBlank();
    if (text[at] !== '"') return null;
    for (at++; at < text.length && text[at] !== '"'; at++) if (text[at] === '\\') at++;
    at++;
    skipBlank();
    if (text[at] !== ')') return null;
    at++;
  }
  if (!text.startsWith('forbid', at)) return null;
  const flipped = `${text.slice(0, at)}permit${text.slice(at + 'forbid'.length)}`;
  const before = callCedar((cedar) => cedar.policyToJson(text));
  const after = callCedar((cedar) => cedar.policyToJson(flipped));
  if (before.type === 'failure' || after.type === 'failure') return null;
  return isDeepStrictEqual(after.json, { ...before.json, effect: 'permit' }) ? flipped : null;
}

/** Whether the context tree reaches `path` (a record read whole reaches everything below it). */
function reaches(tree: AttributeTree, [head, ...rest]: string[]): boolean {
  if (tree === true || head === undefined) return true;
  const below = tree[head];
  return below !== undefined && reaches(below, rest);
}

function toJson(policy: PolicyInfo): PolicyJson {
  const answer = callCedar((cedar) => cedar.policyToJson(policy.text));
  if (answer.type === 'failure') throw new PolicyError('invalid_policy', answer.errors.map((e) => `${policy.id}: ${e.message}`));
  return answer.json;
}
