/**
 * Why a policy set (or a decision's facts) was refused.
 * - `invalid_policy`: the text does not parse, or breaks Flowguard's rules for a policy set (every
 *   policy needs an @id, an outcome, reasons; approval rules must be liftable by approval; …).
 * - `schema_violation`: Cedar's validator found a policy (or a decision's facts) that does not fit
 *   policies/flowguard.cedarschema, e.g. a misspelt attribute.
 * Both map to HTTP 422; src/errors.ts carries `invalid_policy` and needs `schema_violation` added.
 */
export type PolicyErrorCode = 'invalid_policy' | 'schema_violation';

export class PolicyError extends Error {
  override readonly name = 'PolicyError';
  constructor(
    readonly code: PolicyErrorCode,
    /** One line per problem, each naming the policy ID (or position) and what is wrong. */
    readonly errors: string[],
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${errors.join('; ')}`, options);
  }
}
