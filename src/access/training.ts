/**
 * Training and confidentiality attestation (PIPL Art. 51: regular staff security training). Their
 * validity feeds the policy: an employee whose training or attestation lapsed is refused.
 */
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../server/context.ts';
import type { StaffPrincipal } from '../core/principal.ts';
import { appendAuditEntry, employeeRef } from '../audit/record.ts';
import { FlowguardError } from '../errors.ts';
import { auditActorOf as staffActor } from '../identity/principal.ts';
import { LATEST_PLANNED_DATE, readDateWithin, SINCE_1990 } from './calendar-date.ts';
import { localTime } from './local-time.ts';

export interface TrainingRecordInput { employeeId: string; kind: 'training' | 'attestation'; completedOn: string; validUntil: string }

/**
 * Why a record's dates cannot be right, or null: both real calendar days, completed between 1990 and
 * today (the bank's date: training not yet done cannot be recorded), valid until a day on or after
 * completion and no later than 2099.
 */
export function trainingDatesProblem(r: Pick<TrainingRecordInput, 'completedOn' | 'validUntil'>, today: string): string | null {
  const completed = readDateWithin(r.completedOn, SINCE_1990, { date: today, beyond: `is after today (${today}, bank time): record training once it is done` });
  if (!completed.ok) return `completedOn ${JSON.stringify(r.completedOn)} ${completed.why}`;
  const until = readDateWithin(r.validUntil, { date: r.completedOn, beyond: `is before completedOn (${r.completedOn})` }, { date: LATEST_PLANNED_DATE, beyond: `is after ${LATEST_PLANNED_DATE}, the latest date taken` });
  if (!until.ok) return `validUntil ${JSON.stringify(r.validUntil)} ${until.why}`;
  return null;
}

/** Records a batch atomically: one bad line refuses the whole import, naming the line. */
export async function recordTraining(ctx: AppContext, recorder: StaffPrincipal, records: TrainingRecordInput[], traceId: string) {
  const now = ctx.now();
  const today = localTime(now, ctx.config.timeZone).date;
  return ctx.store.db.transaction().execute(async (tx) => {
    const known = new Set((await tx.selectFrom('employees').select('id').where('id', 'in', [...new Set(records.map((r) => r.employeeId)), '']).execute()).map((e) => e.id));
    records.forEach((r, i) => {
      if (!known.has(r.employeeId)) throw new FlowguardError('invalid_request', `Record ${i + 1}: no employee ${r.employeeId}; nothing was imported.`);
      const problem = trainingDatesProblem(r, today);
      if (problem) throw new FlowguardError('invalid_request', `Record ${i + 1}: ${problem}; nothing was imported.`);
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
