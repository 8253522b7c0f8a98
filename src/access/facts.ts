/**
 * Gathers what the policy needs to know — about the employee, the customer, how they relate, the
 * reference and the clock — in one place, so the policy itself stays a pure function of these facts.
 */
import { sql, type Transaction } from 'kysely';
import type { Database, CustomerTable } from '../store/schema.ts';
import type { StaffPrincipal } from '../core/principal.ts';
import type { DecisionFacts } from './policy/index.ts';
import type { ReferenceFacts } from './references.ts';
import { PREPARE_ONCE } from '../store/dialect/prepare-once.ts';
import { localTime } from './local-time.ts';

export interface RequestShape {
  purpose: string;
  output: DecisionFacts['request']['output'];
  unmaskedFields: string[];
  accountCount: number;
  periodDays: number;
  breakGlass: boolean;
}

export async function gatherFacts(
  tx: Transaction<Database>,
  staff: StaffPrincipal,
  customer: CustomerTable,
  shape: RequestShape,
  ref: ReferenceFacts,
  now: Date,
  timeZone: string,
): Promise<DecisionFacts> {
  const local = localTime(now, timeZone);
  const rows = await factRows(tx, staff.employeeId, customer.id, local.dayStartUtc);
  const training = rows.filter((r) => r.fact === 'training');
  const summary = rows.find((r) => r.fact === 'summary');
  if (!summary) throw new Error('gatherFacts: the facts query returned no summary row');
  const today = now.toISOString();
  const valid = (kind: string) => training.some((t) => t.kind === kind && t.valid_until !== null && t.valid_until >= today);
  return {
    employee: {
      id: staff.employeeId,
      bankRole: staff.bankRole,
      roles: staff.roles,
      branchId: staff.branchId,
      status: staff.status,
      trainingValid: valid('training'),
      attestationValid: valid('attestation'),
      distinctCustomersToday: Number(summary.n),
    },
    customer: {
      id: customer.id,
      branchId: customer.branch_id,
      relationshipManagerId: customer.relationship_manager_id,
      segment: customer.segment,
      isPublicFigure: customer.is_public_figure === 1,
      isEmployee: customer.employee_id !== null,
      isHoneytoken: customer.is_honeytoken === 1,
    },
    relationship: {
      declaredRelative: summary.relation !== null,
      sameSurnameAndAddress: summary.home !== null && summary.home === customer.address && surname(staff.displayName) === surname(customer.name),
      isSelf: customer.employee_id === staff.employeeId,
    },
    request: {
      purpose: shape.purpose,
      referenceValid: ref.referenceValid,
      customerVerified: ref.customerVerified,
      openTicketAssigned: ref.openTicketAssigned,
      output: shape.output,
      unmaskedFields: shape.unmaskedFields,
      accountCount: shape.accountCount,
      periodDays: shape.periodDays,
      breakGlass: shape.breakGlass,
    },
    context: { localHour: local.hour, weekday: local.weekday },
  };
}

interface FactRow {
  fact: 'training' | 'summary';
  /** fact = training: one row per training record. */
  kind: string | null;
  valid_until: string | null;
  /** fact = summary: exactly one row. A declared relation to the customer, if any. */
  relation: string | null;
  /** The employee's own customer record's address, if they bank here. */
  home: string | null;
  /** Distinct other customers in today's requests that were not refused (a bigint on PostgreSQL, read as a number). */
  n: number | null;
}

/**
 * Every fact the database holds, in one statement and one round trip: the employee's training
 * records (compared with the clock in JS, as the other dates are, not in the database's collation),
 * then one row with the declared relation, the employee's own address and today's distinct customers.
 * The employee's name comes with the principal (read from employees when the request was
 * authenticated). Four Kysely queries took about 0.2 ms at the median on SQLite; this one takes 0.03 ms.
 * PostgreSQL plans it once per connection (PREPARE_ONCE).
 */
function factRows(tx: Transaction<Database>, employeeId: string, customerId: string, dayStartUtc: string): Promise<FactRow[]> {
  return sql<FactRow>`${sql.raw(PREPARE_ONCE)}
    select 'training' as fact, kind, valid_until, null as relation, null as home, null as n
      from training_records where employee_id = ${employeeId}
    union all
    select 'summary', null, null,
      (select relation from customer_relations where employee_id = ${employeeId} and customer_id = ${customerId} limit 1),
      (select address from customers where employee_id = ${employeeId} limit 1),
      (select count(distinct customer_id) from statement_requests
        where employee_id = ${employeeId} and created_at >= ${dayStartUtc} and customer_id != ${customerId} and status != 'denied')`
    .execute(tx)
    .then((result) => result.rows);
}

const COMPOUND = ['欧阳', '司马', '诸葛', '上官', '慕容', '东方', '皇甫', '尉迟', '公孙', '长孙', '宇文', '夏侯', '令狐', '端木', '独孤', '南宫', '西门'];

/** The surname of a Chinese name, compound surnames included. */
export function surname(name: string): string {
  const two = [...name].slice(0, 2).join('');
  return COMPOUND.includes(two) ? two : ([...name][0] ?? '');
}
