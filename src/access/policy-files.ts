import { readFileSync } from 'node:fs';

const POLICY_DIR = new URL('../../policies/', import.meta.url);

/** The schema the bank's policy set is validated against (policies/flowguard.cedarschema). */
export function loadPolicySchemaText(): string {
  return readFileSync(new URL('flowguard.cedarschema', POLICY_DIR), 'utf8');
}

/** The default policy set shipped in policies/ (what a fresh installation enforces). */
export function loadDefaultPolicyText(): string {
  return readFileSync(new URL('flowguard.cedar', POLICY_DIR), 'utf8');
}
