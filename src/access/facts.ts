/**
 * Gathers what the policy needs to know — about the employee, the customer, how they relate, the
 * reference and the clock — in one place, so the policy itself stays a pure function of these facts.
 */
import type { Transaction } from 'kysely';
import type { Database, CustomerTable } from '../store/schema.ts';
import type { StaffPrincipal } from '../server/context.ts';
import type { DecisionFacts } from './policy/index.ts';
import type { ReferenceFacts } from './references.ts';
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
  // The employee's name comes with the principal (read from employees when the request was
  // authenticated); their own customer record, if any, gives the home address.
  const [training, relation, myHome, distinct] = await Promise.all([
    tx.selectFrom('training_records').select(['kind', 'valid_until']).where('employee_id', '=', staff.employeeId).execute(),
    tx.selectFrom('customer_relations').select('relation').where('employee_id', '=', staff.employeeId).where('customer_id', '=', customer.id).executeTakeFirst(),
    tx.selectFrom('customers').select(['address']).where('employee_id', '=', staff.employeeId).executeTakeFirst(),
    tx
      .selectFrom('statement_requests')
      .select((eb) => eb.fn.count<number>('customer_id').distinct().as('n'))
      .where('employee_id', '=', staff.employeeId)
      .where('created_at', '>=', local.dayStartUtc)
      .where('customer_id', '!=', customer.id)
      .where('status', '!=', 'denied')
      .executeTakeFirstOrThrow(),
  ]);
  const today = now.toISOString();
  const valid = (kind: string) => training.some((t) => t.kind === kind && t.valid_until >= today);
  return {
    employee: {
      id: staff.employeeId,
      bankRole: staff.bankRole,
      roles: staff.roles,
      branchId: staff.branchId,
      status: staff.status,
      trainingValid: valid('training'),
      attestationValid: valid('attestation'),
      distinctCustomersToday: Number(distinct.n),
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
      declaredRelative: relation !== undefined,
      sameSurnameAndAddress: myHome !== undefined && myHome.address === customer.address && surname(staff.displayName) === surname(customer.name),
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

const COMPOUND = ['欧阳', '司马', '诸葛', '上官', '慕容', '东方', '皇甫', '尉迟', '公孙', '长孙', '宇文', '夏侯', '令狐', '端木', '独孤', '南宫', '西门'];

/** The surname of a Chinese name, compound surnames included. */
export function surname(name: string): string {
  const two = [...name].slice(0, 2).join('');
  return COMPOUND.includes(two) ? two : ([...name][0] ?? '');
}
