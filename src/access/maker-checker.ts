/**
 * Maker-checker for what shapes access: the policy set, purposes, masking rules and role grants.
 * One administrator proposes, a different one approves; only then does the change take effect.
 * Both acts are recorded.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { AppContext } from '../server/context.ts';
import type { StaffPrincipal } from '../core/principal.ts';
import { appendAuditEntry, employeeRef } from '../audit/record.ts';
import type { EmployeeRef } from '../audit/entry-actors.ts';
import { FlowguardError } from '../errors.ts';
import { auditActorOf as staffActor } from '../identity/principal.ts';
import { validatePolicySet } from './policy/index.ts';
import { loadPolicySchemaText } from './policy-files.ts';
import { checkChangeReferences, checkJsonChangeBody } from './change-bodies.ts';
import type { MaskingRules } from './masking.ts';
import { recordRefusal } from './refusals.ts';

export type ChangeKind = 'policy_set' | 'purpose' | 'masking_rules' | 'role_grant';

/** A role grant is keyed by the employee it grants to: entries name no employee, so it goes in as a reference. */
function keyInEntry(kind: ChangeKind, key: string): string | EmployeeRef {
  return kind === 'role_grant' ? employeeRef(key) : key;
}
export const CHANGE_KINDS: readonly ChangeKind[] = ['policy_set', 'purpose', 'masking_rules', 'role_grant'];
export { GRANTABLE_ROLES } from './change-bodies.ts';

/** Checks a proposed body before anyone can approve it, so a broken change never reaches a checker. */
export function checkChangeBody(kind: ChangeKind, key: string, body: string, maskingInForce?: MaskingRules, policySchemaText: string = loadPolicySchemaText()): void {
  if (kind === 'policy_set') {
    const result = validatePolicySet(body, policySchemaText);
    if (!result.ok) throw new FlowguardError('invalid_policy', `The policy set does not validate: ${result.errors.slice(0, 3).join('; ')}`);
    return;
  }
  checkJsonChangeBody(kind, key, body, maskingInForce);
}

/**
 * Records a proposal after checking its body and what it refers to; a refused proposal is recorded
 * as `config.change_refused` with the reason.
 */
export async function proposeChange(ctx: AppContext, admin: StaffPrincipal, kind: ChangeKind, key: string, body: string, traceId: string) {
  const now = ctx.now();
  try {
    checkChangeBody(kind, key, body, ctx.settings.masking(), ctx.settings.policy().source.schemaText);
    return await ctx.store.db.transaction().execute(async (tx) => {
      if (kind !== 'policy_set') await checkChangeReferences(tx, kind, key);
      const id = `CH-${randomUUID()}`;
      await tx.insertInto('change_proposals').values({ id, kind, key, body, proposer_id: admin.employeeId, status: 'pending', checker_id: null, created_at: now.toISOString(), decided_at: null }).execute();
      await appendAuditEntry(tx, { action: 'config.change_proposed', actor: staffActor(admin), traceId, detail: { changeId: id, kind, key: keyInEntry(kind, key), bodyBytes: Buffer.byteLength(body) } }, now);
      return { id, status: 'pending' as const };
    });
  } catch (error) {
    if (error instanceof FlowguardError) await recordRefusal(ctx, admin, 'config.change_refused', error, traceId, {});
    throw error;
  }
}

export async function decideChange(ctx: AppContext, checker: StaffPrincipal, changeId: string, verdict: 'applied' | 'rejected', traceId: string) {
  const now = ctx.now();
  try {
    const result = await ctx.store.db.transaction().execute(async (tx) => {
      const change = await tx.selectFrom('change_proposals').selectAll().where('id', '=', changeId).executeTakeFirst();
      if (!change) throw new FlowguardError('not_found', `No change ${changeId}.`);
      if (change.status !== 'pending') throw new FlowguardError('change_not_pending', `Change ${changeId} is already ${change.status}.`);
      if (change.proposer_id === checker.employeeId) throw new FlowguardError('same_administrator', 'You proposed this change; a second administrator must approve it.');
      const updated = await tx.updateTable('change_proposals').set({ status: verdict, checker_id: checker.employeeId, decided_at: now.toISOString() }).where('id', '=', changeId).where('status', '=', 'pending').executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) throw new FlowguardError('change_not_pending', `Change ${changeId} was decided a moment ago.`);
      if (verdict === 'applied') {
        // Checked again: the bank may have changed since the proposal (an employee removed, rules in force changed).
        const kind = change.kind as ChangeKind;
        checkChangeBody(kind, change.key, change.body, ctx.settings.masking(), ctx.settings.policy().source.schemaText);
        if (kind !== 'policy_set') await checkChangeReferences(tx, kind, change.key);
        if (kind === 'role_grant') {
          const roles: string[] = JSON.parse(change.body).roles;
          await tx.deleteFrom('employee_roles').where('employee_id', '=', change.key).execute();
          if (roles.length) await tx.insertInto('employee_roles').values(roles.map((role) => ({ employee_id: change.key, role }))).execute();
        } else {
          // One statement, so two changes to one key applied at once cannot both insert (a 500 on the second).
          await tx.insertInto('config_items')
            .values({ kind, key: change.key, body: change.body, version: 1, updated_at: now.toISOString() })
            .onConflict((oc) => oc.columns(['kind', 'key']).doUpdateSet({ body: change.body, version: sql<number>`config_items.version + 1`, updated_at: now.toISOString() }))
            .execute();
        }
      }
      await appendAuditEntry(tx, {
        action: verdict === 'applied' ? 'config.change_applied' : 'config.change_rejected',
        actor: staffActor(checker),
        traceId,
        detail: { changeId, kind: change.kind, key: keyInEntry(change.kind as ChangeKind, change.key), proposer: employeeRef(change.proposer_id) },
      }, now);
      return { id: changeId, status: verdict };
    });
    if (verdict === 'applied') await ctx.settings.reload();
    return result;
  } catch (error) {
    if (error instanceof FlowguardError) await recordRefusal(ctx, checker, 'config.change_refused', error, traceId, {});
    throw error;
  }
}

export async function listChanges(ctx: AppContext) {
  return ctx.store.db.selectFrom('change_proposals').selectAll().orderBy('created_at', 'desc').limit(200).execute();
}
