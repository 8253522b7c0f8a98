/**
 * The policy set Flowguard ships (policies/), read with the engine's own reader: every *.cedar file
 * in name order and the schema beside them. What a running node enforces is `settings.policy().source`.
 */
import { DEFAULT_POLICY_DIR } from './policy/index.ts';
import { readPolicyFolder } from './policy/policy-files.ts';

/** The schema the shipped policy set is validated against (policies/flowguard.cedarschema). */
export function loadPolicySchemaText(): string {
  return readPolicyFolder(DEFAULT_POLICY_DIR).schemaText;
}

/** The default policy set shipped in policies/ (what a fresh installation enforces): all its *.cedar files. */
export function loadDefaultPolicyText(): string {
  return readPolicyFolder(DEFAULT_POLICY_DIR).policyText;
}
