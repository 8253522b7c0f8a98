/**
 * Maker-checker for what shapes access: the policy set, purposes, masking rules and role grants.
 * One administrator proposes, a different one approves; only then does the change take effect.
 * Both acts are recorded.
 */
import { randomUUID } from 'node:crypto';
import type { AppContext, StaffPrincipal } from '../server/context.ts';
import { appendAuditEntry } from '../audit/record.ts';
import { FlowguardError } from '../errors.ts';
import { auditActorOf as staffActor } from '../identity/principal.ts';
import { validatePolicySet } from './policy/index.ts';
import { loadPolicySchemaText } from './policy-files.ts';
import { UNMASKABLE_FIELDS } from './purposes.ts';
import { recordRefusal } from './refusals.ts';

export type ChangeKind = 'policy_set' | 'purpose' | 'masking_rules' | 'role_grant';
export const CHANGE_KINDS: readonly ChangeKind[] = ['policy_set', 'purpose', 'masking_rules', 'role_grant'];
export const GRANTABLE_ROLES = ['approver', 'security_analyst', 'investigator', 'compliance_officer', 'auditor', 'admin'];

/** Checks a proposed body before anyone can approve it, so a broken change never reaches a checker. */
export function checkChangeBody(kind: ChangeKind, key: string, body: string): void {
  const bad = (why: string) => new FlowguardError('invalid_request', `The proposed ${kind.replace('_', ' ')} is not valid: ${why}`);
  if (kind === 'policy_set') {
    const result = validatePolicySet(body, loadPolicySchemaText());
    if (!result.ok) throw new FlowguardError('invalid_policy', `The policy set does not validate: ${result.errors.slice(0, 3).join('; ')}`);
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw bad('the body must be JSON.');
  }
  if (kind === 'role_grant') {
    const roles = (parsed as { roles?: unknown }).roles;
    if (!Array.isArray(roles) || roles.some((r) => !GRANTABLE_ROLES.includes(String(r)))) throw bad(`roles must be a list drawn from ${GRANTABLE_ROLES.join(', ')}.`);
  }
  if (kind === 'masking_rules') {
    for (const [field, rule] of Object.entries(parsed as Record<string, { keepStart?: unknown; keepEnd?: unknown }>)) {
      if (!(UNMASKABLE_FIELDS as readonly string[]).includes(field)) throw bad(`unknown field "${field}".`);
      if (!Number.isInteger(rule.keepStart) || !Number.isInteger(rule.keepEnd)) throw bad(`"${field}" needs integer keepStart and keepEnd.`);
    }
  }
  if (kind === 'purpose') {
    const p = parsed as { id?: unknown; label?: { zh?: unknown; en?: unknown } };
    if (p.id !== key || typeof p.label?.zh !== 'string' || typeof p.label?.en !== 'string') throw bad('a purpose needs an id equal to the key and a label in zh and en.');
  }
}

export async function proposeChange(ctx: AppContext, admin: StaffPrincipal, kind: ChangeKind, key: string, body: string, traceId: string) {
  checkChangeBody(kind, key, body);
  const now = ctx.now();
  return ctx.store.db.transaction().execute(async (tx) => {
    const id = `CH-${randomUUID()}`;
    await tx.insertInto('change_proposals').values({ id, kind, key, body, proposer_id: admin.employeeId, status: 'pending', checker_id: null, created_at: now.toISOString(), decided_at: null }).execute();
    await appendAuditEntry(tx, { action: 'config.change_proposed', actor: staffActor(admin), traceId, detail: { changeId: id, kind, key, bodyBytes: Buffer.byteLength(body) } }, now);
    return { id, status: 'pending' as const };
  });
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
        checkChangeBody(change.kind as ChangeKind, change.key, change.body);
        if (change.kind === 'role_grant') {
          const roles: string[] = JSON.parse(change.body).roles;
          await tx.deleteFrom('employee_roles').where('employee_id', '=', change.key).execute();
          if (roles.length) await tx.insertInto('employee_roles').values(roles.map((role) => ({ employee_id: change.key, role }))).execute();
        } else {
          const current = await tx.selectFrom('config_items').select('version').where('kind', '=', change.kind).where('key', '=', change.key).executeTakeFirst();
          if (current) {
            await tx.updateTable('config_items').set({ body: change.body, version: current.version + 1, updated_at: now.toISOString() }).where('kind', '=', change.kind).where('key', '=', change.key).execute();
          } else {
            await tx.insertInto('config_items').values({ kind: change.kind, key: change.key, body: change.body, version: 1, updated_at: now.toISOString() }).execute();
          }
        }
      }
      await appendAuditEntry(tx, {
        action: verdict === 'applied' ? 'config.change_applied' : 'config.change_rejected',
        actor: staffActor(checker),
        traceId,
        detail: { changeId, kind: change.kind, key: change.key, proposer: change.proposer_id },
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
