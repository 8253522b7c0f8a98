/**
 * Checks a policy set before it may take effect: its size and nesting (policy-bounds.ts), before
 * Cedar sees it; Flowguard's own rules (policy-catalog.ts); then Cedar's validator in strict mode
 * against the schema. Used by the admin "validate" screen, by the maker-checker flow before a second
 * person approves a change, and by loadPolicyEngine.
 */
import type { DetailedError } from '@cedar-policy/cedar-wasm/nodejs';
import { CedarFailure, callCedar } from './cedar-runtime.ts';
import { checkPolicyBounds } from './policy-bounds.ts';
import { readPolicyCatalog, type PolicyCatalog } from './policy-catalog.ts';
import type { PolicyErrorCode } from './policy-error.ts';

export interface PolicySetValidation {
  ok: boolean;
  /** The text was refused before Cedar saw it (too large or nested too deeply): nothing was validated. */
  outOfBounds?: true;
  /** One line per problem, each naming the policy ID (or line) and what is wrong. */
  errors: string[];
  /** Cedar validator warnings; they do not stop a set from loading. */
  warnings: string[];
}

export type PolicySetCheck =
  | { ok: true; catalog: PolicyCatalog; warnings: string[] }
  | { ok: false; code: PolicyErrorCode; errors: string[]; outOfBounds?: true };

/** Validates `policyText` against `schemaText`; never throws. */
export function validatePolicySet(policyText: string, schemaText: string): PolicySetValidation {
  const check = checkPolicySet(policyText, schemaText);
  if (check.ok) return { ok: true, errors: [], warnings: check.warnings };
  return { ok: false, errors: check.errors, warnings: [], ...(check.outOfBounds ? { outOfBounds: true as const } : {}) };
}

/** Like validatePolicySet, but hands back the catalog and the error code loadPolicyEngine throws. */
export function checkPolicySet(policyText: string, schemaText: string): PolicySetCheck {
  const bounds = checkPolicyBounds(policyText);
  if (bounds.length > 0) return { ok: false, code: 'invalid_policy', errors: bounds, outOfBounds: true };
  // The bounds are meant to make a Cedar failure unreachable. If one happens, cedar-runtime.ts has
  // replaced the instance; it may have been broken before this text reached it, so the text is
  // blamed only if it fails the fresh instance too.
  for (let attempt = 1; ; attempt++) {
    try {
      return checkWithCedar(policyText, schemaText);
    } catch (e) {
      if (!(e instanceof CedarFailure)) throw e;
      if (attempt === 2) return { ok: false, code: 'invalid_policy', errors: [`${e.message} while reading this policy set (the engine was restarted): simplify its deepest expressions`] };
    }
  }
}

function checkWithCedar(policyText: string, schemaText: string): PolicySetCheck {
  const read = readPolicyCatalog(policyText);
  if (!read.ok) return { ok: false, code: 'invalid_policy', errors: read.errors };
  const { catalog } = read;
  // An empty or flag-only set would refuse every request; that is a mistake, not a policy.
  if (!catalog.policies.some((p) => p.action === 'read_statement' && p.effect === 'permit')) {
    return { ok: false, code: 'invalid_policy', errors: ['no permit for Action::"read_statement": every request would be refused'] };
  }
  const answer = callCedar((cedar) => cedar.validate({
    schema: schemaText,
    policies: { staticPolicies: catalog.staticPolicies },
    validationSettings: { mode: 'strict' },
  }));
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
