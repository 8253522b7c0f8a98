/**
 * Splits a policy text into its policies, keys each by its `@id` annotation and checks Flowguard's
 * rules for a policy set — the rules Cedar itself does not know: every policy has a unique ID, names
 * one action, and carries the annotations the engine turns into outcomes, reasons and flags.
 */
import type { DetailedError, PolicyJson } from '@cedar-policy/cedar-wasm/nodejs';
import { callCedar } from './cedar-runtime.ts';
import type { Bilingual, PolicyInfo } from './decision.ts';
import { findHiddenWords } from './requester-wording.ts';

export interface PolicyCatalog {
  /** In the order they appear in the text. */
  readonly policies: readonly PolicyInfo[];
  readonly byId: ReadonlyMap<string, PolicyInfo>;
  /** Cedar's static policy set, keyed by @id, so Cedar's diagnostics name the same IDs. */
  readonly staticPolicies: Record<string, string>;
}

export type CatalogResult = { ok: true; catalog: PolicyCatalog } | { ok: false; errors: string[] };

const ACTIONS = new Set(['read_statement', 'monitor']);
/** The alert severities detection uses; a flag's severity sets how loudly it is raised. */
const SEVERITIES = new Set(['low', 'medium', 'high', 'critical']);

/**
 * Reads `policyText` into a catalog, or lists every problem found (each naming the policy).
 * @throws CedarFailure if the wasm fails; checkPolicySet bounds the text first so it does not.
 */
export function readPolicyCatalog(policyText: string): CatalogResult {
  const parts = callCedar((cedar) => cedar.policySetTextToParts(policyText));
  if (parts.type === 'failure') {
    return { ok: false, errors: parts.errors.map((e) => describeParseError(policyText, e)) };
  }
  const errors: string[] = [];
  if (parts.policy_templates.length > 0) {
    errors.push('templates are not supported: write each policy out in full');
  }
  const policies: PolicyInfo[] = [];
  const byId = new Map<string, PolicyInfo>();
  // Cedar hands the policies back sorted by its own generated IDs (policy0, policy1, policy10, …);
  // put them back in file order, the order reasons are listed in.
  const ordered = parts.policies
    .map((text) => ({ text, at: policyText.indexOf(text) }))
    .sort((a, b) => (a.at < 0 ? Infinity : a.at) - (b.at < 0 ? Infinity : b.at));
  for (const { text } of ordered) {
    const where = locate(policyText, text);
    const json = callCedar((cedar) => cedar.policyToJson(text));
    if (json.type === 'failure') {
      errors.push(`${where}: ${json.errors.map((e) => e.message).join('; ')}`);
      continue;
    }
    const checked = toPolicyInfo(text, json.json, where);
    if ('errors' in checked) {
      errors.push(...checked.errors);
      continue;
    }
    if (byId.has(checked.id)) {
      errors.push(`${where}: @id("${checked.id}") is used twice`);
      continue;
    }
    byId.set(checked.id, checked);
    policies.push(checked);
  }
  if (errors.length > 0) return { ok: false, errors };
  const staticPolicies = Object.fromEntries(policies.map((p) => [p.id, p.text]));
  return { ok: true, catalog: { policies, byId, staticPolicies } };
}

function toPolicyInfo(text: string, json: PolicyJson, where: string): PolicyInfo | { errors: string[] } {
  const notes = json.annotations ?? {};
  const id = notes['id'];
  if (!id) return { errors: [`${where}: missing @id("...") annotation`] };
  const name = `policy "${id}"`;
  const errors: string[] = [];
  const action = actionOf(json);
  if (!action) errors.push(`${name}: must name exactly one action, Action::"read_statement" or Action::"monitor"`);
  const need = (key: string): string => {
    const value = notes[key];
    if (!value) errors.push(`${name}: missing @${key}("...") annotation`);
    return value ?? '';
  };
  const reason: Bilingual = { zh: need('reason_zh'), en: need('reason_en') };
  const info: PolicyInfo = { id, action: action ?? 'read_statement', effect: json.effect, reason, text };

  if (action === 'monitor') {
    // A forbid here would silence other flags; flags are raised by permits only.
    if (json.effect !== 'permit') errors.push(`${name}: monitor policies must be permits`);
    info.flag = need('flag');
    info.severity = need('severity');
    if (info.severity && !SEVERITIES.has(info.severity)) {
      errors.push(`${name}: @severity must be one of ${[...SEVERITIES].join(', ')}`);
    }
  } else if (action === 'read_statement') {
    info.requester = { zh: need('requester_zh'), en: need('requester_en') };
    for (const word of [...findHiddenWords(info.requester.zh), ...findHiddenWords(info.requester.en)]) {
      errors.push(`${name}: requester text must not reveal why a customer is special (contains "${word}")`);
    }
    if (json.effect === 'forbid') {
      const outcome = notes['outcome'];
      if (outcome !== 'deny' && outcome !== 'approval') {
        errors.push(`${name}: forbid needs @outcome("deny") or @outcome("approval")`);
      } else {
        info.outcome = outcome;
      }
      // The gate re-decides an approved request with approved = true; a rule that ignored it would
      // hold the request for approval forever.
      if (outcome === 'approval' && !liftedByApproval(json)) {
        errors.push(`${name}: approval rules must end in unless { context.request.approved ... }`);
      }
      // …and the engine asks "would an approval be enough?" of the permits alone, which holds only
      // if no refusal changes with approval.
      if (outcome === 'deny' && mentionsApproved(json.conditions)) {
        errors.push(`${name}: a refusal cannot depend on context.request.approved; use @outcome("approval")`);
      }
    }
  }
  return errors.length > 0 ? { errors } : info;
}

function actionOf(json: PolicyJson): PolicyInfo['action'] | undefined {
  if (json.action.op !== '==' || !('entity' in json.action)) return undefined;
  const uid = json.action.entity;
  const { type, id } = '__entity' in uid ? uid.__entity : uid;
  return type === 'Action' && ACTIONS.has(id) ? (id as PolicyInfo['action']) : undefined;
}

function liftedByApproval(json: PolicyJson): boolean {
  return json.conditions.some((c) => c.kind === 'unless' && mentionsApproved(c.body));
}

/** True when the expression reads `context.request.approved` anywhere. */
function mentionsApproved(node: unknown): boolean {
  if (node === null || typeof node !== 'object') return false;
  const access = (node as Record<string, unknown>)['.'] as { left?: unknown; attr?: unknown } | undefined;
  if (access?.attr === 'approved') {
    const inner = (access.left as Record<string, unknown> | undefined)?.['.'] as { left?: unknown; attr?: unknown } | undefined;
    const isContext = (inner?.left as { Var?: unknown } | undefined)?.Var === 'context';
    if (inner?.attr === 'request' && isContext) return true;
  }
  return Object.values(node).some(mentionsApproved);
}

function locate(fullText: string, policyText: string): string {
  const at = fullText.indexOf(policyText);
  const head = policyText.split('\n').find((line) => !line.startsWith('@')) ?? policyText;
  return at >= 0 ? `line ${fullText.slice(0, at).split('\n').length}` : `policy "${head.slice(0, 60)}"`;
}

function describeParseError(text: string, e: DetailedError): string {
  const at = e.sourceLocations?.[0]?.start;
  const where = at === undefined ? '' : `line ${lineOf(text, at)}: `;
  return `${where}${e.message}${e.help ? ` (${e.help})` : ''}`;
}

/** 1-based line number of a Cedar source offset, which counts UTF-8 bytes (the comments hold Chinese). */
export function lineOf(text: string, byteOffset: number): number {
  const before = Buffer.from(text, 'utf8').subarray(0, byteOffset);
  return before.toString('utf8').split('\n').length;
}
