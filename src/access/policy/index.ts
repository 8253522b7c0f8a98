/** The policy decision engine: Cedar policies in, allow / deny / needs_approval out. */
export type { Bilingual, Decision, DecisionFacts, EngineHealth, LoadedPolicyEngine, Outcome, PolicyEngine, PolicyInfo } from './decision.ts';
export { PolicyError, type PolicyErrorCode } from './policy-error.ts';
export { DEFAULT_POLICY_DIR, SCHEMA_FILE, loadPolicyEngine, type LoadPolicyOptions } from './policy-engine.ts';
export { validatePolicySet, type PolicySetValidation } from './validate-policy-set.ts';
export { WORDS_HIDDEN_FROM_REQUESTER, findHiddenWords } from './requester-wording.ts';
