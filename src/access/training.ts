/**
 * Training and confidentiality attestation (PIPL Art. 51: regular staff security training). Their
 * validity feeds the policy: an employee whose training or attestation lapsed is refused.
 */
import { randomUUID } from 'node:crypto';
import type { AppContext, StaffPrincipal } from '../server/context.ts';
import { appendAuditEntry, employeeRef } from '../audit/record.ts';
import { FlowguardError } from '../errors.ts';
import { auditActorOf as staffActor } from '../identity/principal.ts';

export interface TrainingRecordInput { employeeId: string; kind: 'training' | 'attestation'; completedOn: string; validUntil: string }

/** Records a batch atomically: one bad line refuses the whole import, naming the line. */
export async function recordTraining(ctx: AppContext, recorder: StaffPrincipal, records: TrainingRecordInput[], traceId: string) {
  const now = ctx.now();
  return ctx.store.db.transaction().execute(async (tx) => {
    const known = new Set((await tx.selectFrom('employees').select('id').where('id', 'in', [...new Set(records.map((r) => r.employeeId)), '']).execute()).map((e) => e.id));
    records.forEach((r, i) => {
      if (!known.has(r.employeeId)) throw new FlowguardError('invalid_request', `Record ${i + 1}: no employee ${r.employeeId}; nothing was imported.`);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(r.completedOn) || !/^\d{4}-\d{2}-\d{2}$/.test(r.validUntil) || r.validUntil < r.completedOn) {
        throw new FlowguardError('invalid_request', `Record ${i + 1}: dates must be YYYY-MM-DD with validUntil on or after completedOn; nothing was imported.`);
      }
    });
    if (records.length) {
      await tx.insertInto('training_records').values(records.map((r) => ({ id: `TR-${randomUUID()}`, employee_id: r.employeeId, kind: r.kind, completed_on: r.completedOn, valid_until: `${r.validUntil}T23:59:59.999Z`, recorded_at: now.toISOString() }))).execute();
    }
    await appendAuditEntry(tx, { action: 'training.recorded', actor: staffActor(recorder), traceId, detail: { count: records.length, employees: [...new Set(records.map((r) => r.employeeId))].map(employeeRef) } }, now);
    return { recorded: records.length };
  });
}

/** Per branch: how many active employees hold valid training and attestation today. */
export async function trainingStatus(ctx: AppContext) {
  const today = ctx.now().toISOString();
  const employees = await ctx.store.db.selectFrom('employees').select(['id', 'branch_id']).where('status', '!=', 'left').execute();
  const valid = await ctx.store.db.selectFrom('training_records').select(['employee_id', 'kind']).where('valid_until', '>=', today).execute();
  const has = (id: string, kind: string) => valid.some((v) => v.employee_id === id && v.kind === kind);
  const byBranch = new Map<string, { branchId: string; employees: number; trainingValid: number; attestationValid: number }>();
  for (const e of employees) {
    const b = byBranch.get(e.branch_id) ?? { branchId: e.branch_id, employees: 0, trainingValid: 0, attestationValid: 0 };
    b.employees += 1;
    if (has(e.id, 'training')) b.trainingValid += 1;
    if (has(e.id, 'attestation')) b.attestationValid += 1;
    byBranch.set(e.branch_id, b);
  }
  return [...byBranch.values()].sort((a, b) => a.branchId.localeCompare(b.branchId));
}
