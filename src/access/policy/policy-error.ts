/**
 * Why a policy set (or a decision's facts) was refused. Both codes are answered with 422 and keep
 * their own code in the API's problem+json (server/error-catalogue.ts).
 * A code, once published, keeps its meaning: retire, never reuse.
 */
import { CodedError, type ErrorTable } from '../../core/errors.ts';

export const POLICY_ERRORS = {
  invalid_policy: {
    status: 422,
    title: 'The policy set is not valid',
    description: 'The text does not parse, or breaks Flowguard\'s rules for a policy set (every policy needs an @id, an outcome, reasons; approval rules must be liftable by approval; …)',
  },
  schema_violation: {
    status: 422,
    title: 'A policy does not fit the policy schema',
    description: 'Cedar\'s validator found a policy (or a decision\'s facts) that does not fit policies/flowguard.cedarschema, e.g. a misspelt attribute',
  },
} as const satisfies ErrorTable;

export type PolicyErrorCode = keyof typeof POLICY_ERRORS;

export class PolicyError extends CodedError<PolicyErrorCode> {
  override readonly name = 'PolicyError';
  constructor(
    code: PolicyErrorCode,
    /** One line per problem, each naming the policy ID (or position) and what is wrong. */
    readonly errors: string[],
    options?: { cause?: unknown },
  ) {
    super(code, `${code}: ${errors.join('; ')}`, options);
  }

  get table(): typeof POLICY_ERRORS {
    return POLICY_ERRORS;
  }
}
