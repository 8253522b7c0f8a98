/**
 * Turns a decision's facts into what Cedar reads: the employee and customer entities and the
 * request context, shaped as policies/flowguard.cedarschema declares them.
 */
import type { Context, Entities, EntityUid } from '@cedar-policy/cedar-wasm/nodejs';
import type { DecisionFacts } from './decision.ts';
import { PolicyError } from './policy-error.ts';

export interface CedarRequest {
  principal: EntityUid;
  resource: EntityUid;
  entities: Entities;
  /** For Action::"read_statement": no honeytoken marker, by design. */
  decideContext: Context;
  /** For Action::"monitor": the same, plus what only the silent flags may see. */
  monitorContext: Context;
}

/** @throws PolicyError `schema_violation` when a number the schema declares as Long is not an integer. */
export function toCedarRequest(facts: DecisionFacts): CedarRequest {
  assertWholeNumbers(facts);
  const { employee, customer, relationship, request, context } = facts;
  const principal = { type: 'Employee', id: employee.id };
  const resource = { type: 'Customer', id: customer.id };
  const customerAttrs: Record<string, Context[string]> = {
    branchId: customer.branchId,
    segment: customer.segment,
    isPublicFigure: customer.isPublicFigure,
    isEmployee: customer.isEmployee,
  };
  if (customer.relationshipManagerId !== null) {
    customerAttrs['relationshipManager'] = { __entity: { type: 'Employee', id: customer.relationshipManagerId } };
  }
  const entities: Entities = [
    {
      uid: principal,
      attrs: {
        bankRole: employee.bankRole,
        roles: [...employee.roles],
        branchId: employee.branchId,
        status: employee.status,
        trainingValid: employee.trainingValid,
        attestationValid: employee.attestationValid,
        distinctCustomersToday: employee.distinctCustomersToday,
      },
      parents: [],
    },
    { uid: resource, attrs: customerAttrs, parents: [] },
  ];
  const decideContext: Context = {
    relationship: {
      declaredRelative: relationship.declaredRelative,
      sameSurnameAndAddress: relationship.sameSurnameAndAddress,
      isSelf: relationship.isSelf,
    },
    request: {
      purpose: request.purpose,
      referenceValid: request.referenceValid,
      customerVerified: request.customerVerified,
      openTicketAssigned: request.openTicketAssigned,
      output: request.output,
      unmaskedFields: [...request.unmaskedFields],
      accountCount: request.accountCount,
      periodDays: request.periodDays,
      breakGlass: request.breakGlass,
      approved: request.approved ?? false,
    },
    clock: { localHour: context.localHour, weekday: context.weekday },
  };
  const monitorContext: Context = { ...decideContext, watch: { honeytoken: customer.isHoneytoken } };
  return { principal, resource, entities, decideContext, monitorContext };
}

/** The same request, as if a second person had approved it. */
export function withApproval(decideContext: Context): Context {
  const request = decideContext['request'] as Record<string, Context[string]>;
  return { ...decideContext, request: { ...request, approved: true } };
}

/**
 * Cedar's Long is a 64-bit integer; TypeScript's number is not. Cedar's own complaint about 8.5 is
 * "data did not match any variant of untagged enum RawCedarValueJson", so say it plainly here.
 */
function assertWholeNumbers(facts: DecisionFacts): void {
  const numbers: Record<string, number> = {
    'employee.distinctCustomersToday': facts.employee.distinctCustomersToday,
    'request.accountCount': facts.request.accountCount,
    'request.periodDays': facts.request.periodDays,
    'context.localHour': facts.context.localHour,
    'context.weekday': facts.context.weekday,
  };
  const wrong = Object.entries(numbers).filter(([, value]) => !Number.isSafeInteger(value));
  if (wrong.length > 0) {
    throw new PolicyError('schema_violation', wrong.map(([name, value]) => `decision facts: ${name} must be a whole number, got ${value}`));
  }
}
