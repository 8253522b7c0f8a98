/**
 * Checks the reference a request names against the purpose's rules. A reference that does not exist,
 * belongs to another customer or is of the wrong kind is bad input (422); one that exists but is
 * closed, unassigned or unverified is a fact for the policy, which then decides.
 */
import { matchesOneTimeCode } from '../identity/one-time-code-hash.ts';
import type { Transaction } from 'kysely';
import type { Database } from '../store/schema.ts';
import type { Purpose } from './purposes.ts';
import { FlowguardError } from '../errors.ts';

export interface ReferenceFacts {
  referenceValid: boolean;
  customerVerified: boolean;
  openTicketAssigned: boolean;
}

export interface ReferenceQuery { customerId: string; employeeId: string; reference: string; code?: string | undefined }

export async function checkReference(tx: Transaction<Database>, purpose: Purpose, q: ReferenceQuery, now: Date, maxAttempts: number): Promise<ReferenceFacts> {
  const openTicketAssigned = await hasOpenTicketAssigned(tx, q.customerId, q.employeeId);
  if (purpose.referenceKind === 'counter_code') {
    const customerVerified = await verifyCounterCode(tx, q, now, maxAttempts);
    return { referenceValid: customerVerified, customerVerified, openTicketAssigned };
  }
  const ticket = await tx
    .selectFrom('service_tickets')
    .selectAll()
    .where(purpose.referenceKind === 'document_number' ? 'document_number' : 'id', '=', q.reference)
    .executeTakeFirst();
  if (!ticket || ticket.customer_id !== q.customerId) {
    throw new FlowguardError('invalid_reference', `Reference "${q.reference}" does not belong to this customer; name a ${purpose.referenceKind.replace('_', ' ')} opened for them.`);
  }
  if (!purpose.ticketKinds.includes(ticket.kind)) {
    throw new FlowguardError('invalid_reference', `Reference "${q.reference}" is a ${ticket.kind.replace('_', ' ')}, which cannot back the purpose ${purpose.id}.`);
  }
  const assigned = ticket.assigned_employee_id === q.employeeId;
  return {
    referenceValid: ticket.status === 'open' && (assigned || !purpose.assignedToRequester),
    customerVerified: false,
    openTicketAssigned,
  };
}

async function hasOpenTicketAssigned(tx: Transaction<Database>, customerId: string, employeeId: string): Promise<boolean> {
  const row = await tx
    .selectFrom('service_tickets')
    .select('id')
    .where('customer_id', '=', customerId)
    .where('assigned_employee_id', '=', employeeId)
    .where('status', '=', 'open')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * A counter code proves the customer is present: sent to their phone, typed back by the teller.
 * It expires, dies after too many wrong tries and works once. Counts every try, right or wrong.
 */
async function verifyCounterCode(tx: Transaction<Database>, q: ReferenceQuery, now: Date, maxAttempts: number): Promise<boolean> {
  const row = await tx.selectFrom('verification_codes').selectAll().where('id', '=', q.reference).executeTakeFirst();
  if (!row || row.customer_id !== q.customerId || row.employee_id !== q.employeeId) {
    throw new FlowguardError('invalid_reference', `Counter code "${q.reference}" was not sent for this customer by you; send a new code from this request.`);
  }
  const live = row.used_at === null && row.attempts < maxAttempts && row.expires_at > now.toISOString();
  const ok = live && q.code !== undefined && matchesOneTimeCode(row.code_hash, row.id, q.code);
  await tx
    .updateTable('verification_codes')
    .set(ok ? { attempts: row.attempts + 1, used_at: now.toISOString() } : { attempts: row.attempts + 1 })
    .where('id', '=', row.id)
    .execute();
  return ok;
}
