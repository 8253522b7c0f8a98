/**
 * Checks a policy set before it may take effect: Flowguard's own rules (policy-catalog.ts), then
 * Cedar's validator in strict mode against the schema. Used by the admin "validate" screen, by the
 * maker-checker flow before a second person approves a change, and by loadPolicyEngine.
 */
import { validate, type DetailedError } from '@cedar-policy/cedar-wasm/nodejs';
import { readPolicyCatalog, type PolicyCatalog } from './policy-catalog.ts';
import type { PolicyErrorCode } from './policy-error.ts';

export interface PolicySetValidation {
  ok: boolean;
  /** One line per problem, each naming the policy ID (or line) and what is wrong. */
  errors: string[];
  /** Cedar validator warnings; they do not stop a set from loading. */
  warnings: string[];
}

export type PolicySetCheck =
  | { ok: true; catalog: PolicyCatalog; warnings: string[] }
  | { ok: false; code: PolicyErrorCode; errors: string[] };

/** Validates `policyText` against `schemaText`; never throws. */
export function validatePolicySet(policyText: string, schemaText: string): PolicySetValidation {
  const check = checkPolicySet(policyText, schemaText);
  return check.ok
    ? { ok: true, errors: [], warnings: check.warnings }
    : { ok: false, errors: check.errors, warnings: [] };
}

/** Like validatePolicySet, but hands back the catalog and the error code loadPolicyEngine throws. */
export function checkPolicySet(policyText: string, schemaText: string): PolicySetCheck {
  const read = readPolicyCatalog(policyText);
  if (!read.ok) return { ok: false, code: 'invalid_policy', errors: read.errors };
  const { catalog } = read;
  // An empty or flag-only set would refuse every request; that is a mistake, not a policy.
  if (!catalog.policies.some((p) => p.action === 'read_statement' && p.effect === 'permit')) {
    return { ok: false, code: 'invalid_policy', errors: ['no permit for Action::"read_statement": every request would be refused'] };
  }
  const answer = validate({
    schema: schemaText,
    policies: { staticPolicies: catalog.staticPolicies },
    validationSettings: { mode: 'strict' },
  });
  if (answer.type === 'failure') {
    return { ok: false, code: 'invalid_policy', errors: answer.errors.map((e) => `schema: ${describe(e)}`) };
  }
  if (answer.validationErrors.length > 0) {
    return { ok: false, code: 'schema_violation', errors: answer.validationErrors.map((v) => describe(v.error)) };
  }
  const warnings = [
    ...answer.validationWarnings.map((v) => describe(v.error)),
    ...answer.otherWarnings.map(describe),
  ];
  return { ok: true, catalog, warnings };
}

function describe(e: DetailedError): string {
  return e.help ? `${e.message} (${e.help})` : e.message;
}
