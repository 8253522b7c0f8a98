/**
 * What a proposed change to a purpose, the masking rules or a role grant must look like, and what it
 * must refer to. Checked when proposed, so a checker never sees a change that cannot apply, and again
 * when applied, because the bank may have changed in between (an employee removed, the standard
 * tightened). Every failure is a 422 naming the field; nothing here can end in a 500.
 */
import type { Kysely, Transaction } from 'kysely';
import { Type, type TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type { Database } from '../store/schema.ts';
import { FlowguardError } from '../errors.ts';
import { DEFAULT_MASKING, MaskingRulesBody, unionRuleViolation, type MaskingRules } from './masking.ts';
import { UNMASKABLE_FIELDS, type Purpose } from './purposes.ts';

/** The roles an administrator can grant under maker-checker (bank roles come from the HR feed). */
export const GRANTABLE_ROLES = ['approver', 'security_analyst', 'investigator', 'compliance_officer', 'auditor', 'admin'];

/** The ticket kinds a purpose may name (service_tickets.kind). */
const TICKET_KINDS = ['counter_visit', 'call', 'loan_application', 'complaint', 'judicial_assistance', 'aml_case', 'audit_engagement'];
const REFERENCE_KINDS = ['counter_code', 'ticket', 'case_id', 'document_number', 'engagement'];
/** Settings read only the masking rules stored under this key. */
export const MASKING_RULES_KEY = 'default';
/** A purpose is withheld from the customer for at most ten years (the bank's retention period) or for ever (null). */
const MAX_WITHHOLD_DAYS = 3650;

export const RoleGrantBody = Type.Object(
  { roles: Type.Array(Type.String({ enum: GRANTABLE_ROLES }), { uniqueItems: true, maxItems: GRANTABLE_ROLES.length }) },
  { additionalProperties: false },
);

const Label = Type.String({ minLength: 1, maxLength: 100 });

export const PurposeBody = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' }),
    label: Type.Object({ zh: Label, en: Label }, { additionalProperties: false }),
    referenceKind: Type.String({ enum: REFERENCE_KINDS }),
    ticketKinds: Type.Array(Type.String({ enum: TICKET_KINDS }), { uniqueItems: true, maxItems: TICKET_KINDS.length }),
    assignedToRequester: Type.Boolean(),
    unlocks: Type.Array(Type.String({ enum: [...UNMASKABLE_FIELDS] }), { uniqueItems: true, maxItems: UNMASKABLE_FIELDS.length }),
    customerHistory: Type.Object(
      { mode: Type.String({ enum: ['show', 'withhold'] }), days: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: MAX_WITHHOLD_DAYS }), Type.Null()])) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/** The kinds whose body is JSON (the policy set is Cedar text, checked by its validator). */
export type JsonChangeKind = 'purpose' | 'masking_rules' | 'role_grant';

type Db = Kysely<Database> | Transaction<Database>;

function invalid(kind: JsonChangeKind, why: string): FlowguardError {
  return new FlowguardError('invalid_change', `The proposed ${kind.replace('_', ' ')} is not valid: ${why}`);
}

/** The body as JSON, or a coded error: bad input never becomes a stray SyntaxError. */
function parseBody(kind: JsonChangeKind, body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw invalid(kind, 'the body must be a JSON object.');
  }
}

/** The first schema error in words a person can act on, naming the field (`label.zh`, `roles[1]`). */
export function describeSchemaError(schema: TSchema, value: unknown): string | null {
  const error = [...Value.Errors(schema, value)].find((e) => e.keyword !== 'boolean');
  if (!error) return null;
  const path = error.instancePath.split('/').slice(1).map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`)).join('').replace(/^\./, '');
  const field = path ? `"${path}"` : 'the body';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return `${field} must be ${params.type === 'object' ? 'a JSON object' : params.type === 'array' ? 'a list' : `a${/^[aeiou]/.test(String(params.type)) ? 'n' : ''} ${String(params.type)}`}.`;
    case 'required':
      return `${field} needs ${(params.requiredProperties as string[]).map((p) => `"${p}"`).join(', ')}.`;
    case 'additionalProperties':
      return `${field} has an unknown field "${String((params.additionalProperties as string[])[0]).slice(0, 64)}".`;
    case 'enum':
      return `${field} must be one of ${(params.allowedValues as string[]).join(', ')}.`;
    case 'uniqueItems':
      return `${field} names an item twice.`;
    default:
      return `${field} ${error.message}.`;
  }
}

function checkSchema(kind: JsonChangeKind, schema: TSchema, value: unknown): void {
  const why = describeSchemaError(schema, value);
  if (why) throw invalid(kind, why);
}

/** What the schema cannot say about a purpose: the reference it names must be able to back it. */
function checkPurposeSense(key: string, p: Purpose): void {
  if (p.id !== key) throw invalid('purpose', `"id" must equal the key "${key.slice(0, 64)}".`);
  if (p.referenceKind === 'counter_code' && p.ticketKinds.length > 0) throw invalid('purpose', 'a counter-code purpose is backed by the code, not by tickets: "ticketKinds" must be empty.');
  if (p.referenceKind !== 'counter_code' && p.ticketKinds.length === 0) throw invalid('purpose', `a ${p.referenceKind.replace('_', ' ')} reference is a ticket: name the ticket kinds that can back it in "ticketKinds".`);
  const history: { mode: string; days?: number | null } = p.customerHistory;
  if (history.mode === 'withhold' && history.days === undefined) throw invalid('purpose', '"customerHistory.days" is needed to withhold: a number of days, or null for ever.');
  if (history.mode === 'show' && history.days !== undefined) throw invalid('purpose', '"customerHistory.days" only applies to withholding.');
}

/**
 * Checks a JSON change body's shape and meaning (no database needed); returns the parsed body. The
 * masking rules must also keep the union rule with the default and the rules now in force.
 */
export function checkJsonChangeBody(kind: JsonChangeKind, key: string, body: string, maskingInForce: MaskingRules = DEFAULT_MASKING): unknown {
  const parsed = parseBody(kind, body);
  if (kind === 'role_grant') {
    checkSchema(kind, RoleGrantBody, parsed);
  } else if (kind === 'purpose') {
    checkSchema(kind, PurposeBody, parsed);
    checkPurposeSense(key, parsed as Purpose);
  } else {
    if (key !== MASKING_RULES_KEY) throw invalid(kind, `masking rules are kept under the key "${MASKING_RULES_KEY}".`);
    checkSchema(kind, MaskingRulesBody, parsed);
    const violation = unionRuleViolation([DEFAULT_MASKING, maskingInForce, parsed as Partial<MaskingRules>]);
    if (violation) {
      throw invalid(kind, `together with the rules in force, "${violation.field}" would show positions ${violation.positions.join(', ')} of a ${violation.length}-character value, beyond the bank's masking standard (union rule).`);
    }
  }
  return parsed;
}

/** Checks what a change refers to exists now: a role grant's key is an employee of the bank. */
export async function checkChangeReferences(db: Db, kind: JsonChangeKind, key: string): Promise<void> {
  if (kind !== 'role_grant') return;
  const employee = await db.selectFrom('employees').select('id').where('id', '=', key).executeTakeFirst();
  if (!employee) throw invalid(kind, `there is no employee "${key.slice(0, 64)}"; the key must be an employee id as in Users and roles.`);
}
