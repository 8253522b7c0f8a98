/**
 * Turns a decision's facts into what Cedar reads: the employee and customer entities and the
 * request context, shaped as policies/flowguard.cedarschema declares them.
 */
import type { CedarValueJson, Context, Entities, EntityUid } from '@cedar-policy/cedar-wasm/nodejs';
import type { AttributeReads, AttributeTree } from './attribute-reads.ts';
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

/** What one preparsed set is handed (narrowFor). */
export interface NarrowedRequest {
  entities: Entities;
  context: Context;
  /** The answer depends on this context alone: no entity, not even the principal's or resource's ID. */
  contextOnly: boolean;
}

/**
 * The entities and context as one set of policies sees them: only the attributes it can read
 * (attribute-reads.ts). Cedar's answer is the same, because nothing left out is read or tested. A set
 * that cannot reach any entity (no principal, resource, hierarchy or tag, and no entity reference in
 * what it reads of the context) is handed no entities at all.
 */
export function narrowFor(reads: AttributeReads, entities: Entities, context: Context): NarrowedRequest {
  const narrowed = narrowValue(context, reads.context) as Context;
  const contextOnly = !reads.readsEntities && !holdsEntityReference(narrowed);
  return {
    entities: contextOnly ? [] : entities.map((e) => ({ ...e, attrs: pickAttrs(e.attrs, reads.entityAttrs) })),
    context: narrowed,
    contextOnly,
  };
}

function pickAttrs(attrs: Record<string, CedarValueJson>, names: ReadonlySet<string>): Record<string, CedarValueJson> {
  const kept: Record<string, CedarValueJson> = {};
  for (const name in attrs) if (names.has(name)) kept[name] = attrs[name]!;
  return kept;
}

function narrowValue(value: CedarValueJson, tree: AttributeTree): CedarValueJson {
  if (tree === true || !isRecord(value)) return value;
  const record: Record<string, CedarValueJson> = value;
  const kept: Record<string, CedarValueJson> = {};
  for (const attr in tree) if (Object.hasOwn(record, attr)) kept[attr] = narrowValue(record[attr]!, tree[attr]!);
  return kept;
}

function holdsEntityReference(value: CedarValueJson): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some(holdsEntityReference);
  return !isRecord(value) || Object.values(value).some(holdsEntityReference);
}

/**
 * A plain record. Sets, entity references (`__entity`, or `type` and `id` alone) and extension
 * values (`__extn`) are not: they are handed on whole.
 */
function isRecord(value: CedarValueJson): value is { [key: string]: CedarValueJson } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  if ('__entity' in value || '__extn' in value) return false;
  return !('type' in value && 'id' in value && Object.keys(value).length === 2);
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
