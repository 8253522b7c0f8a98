import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_DIR, SCHEMA_FILE, validatePolicySet } from './index.ts';

const schema = readFileSync(join(DEFAULT_POLICY_DIR, SCHEMA_FILE), 'utf8');
const defaults = readFileSync(join(DEFAULT_POLICY_DIR, 'flowguard.cedar'), 'utf8');

const NOTES = '@reason_zh("原因") @reason_en("reason") @requester_zh("需要审批") @requester_en("needs approval")';
const permit = `@id("p") ${NOTES}
permit (principal, action == Action::"read_statement", resource) when { principal.branchId == resource.branchId };`;

function errorsOf(text: string): string[] {
  return validatePolicySet(text, schema).errors;
}

describe('validatePolicySet', () => {
  it('accepts the default policy set', () => {
    expect(validatePolicySet(defaults, schema)).toEqual({ ok: true, errors: [], warnings: [] });
  });

  it('rejects an unknown attribute and names it and the policy', () => {
    const text = `${permit}
@id("misspelt") @outcome("deny") ${NOTES}
forbid (principal, action == Action::"read_statement", resource) when { principal.trainingValidd == false };`;
    const result = validatePolicySet(text, schema);
    expect(result.ok).toBe(false);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toContain('trainingValidd');
    expect(result.errors[0]).toContain('misspelt');
  });

  it('rejects an unknown context field', () => {
    const text = `${permit}
@id("ctx") @outcome("deny") ${NOTES}
forbid (principal, action == Action::"read_statement", resource) when { context.request.urgent };`;
    expect(errorsOf(text).join()).toMatch(/urgent/);
  });

  it('reports a syntax error with its line', () => {
    expect(errorsOf(`${permit}\n\npermit (principal, action, resource) when { oops };`).join()).toMatch(/line 4/);
  });

  it('requires an @id on every policy', () => {
    expect(errorsOf(`${permit}\n${NOTES} permit (principal, action == Action::"read_statement", resource);`).join()).toMatch(/line 3: missing @id/);
  });

  it('rejects a duplicate @id', () => {
    expect(errorsOf(`${permit}\n${permit}`).join()).toMatch(/@id\("p"\) is used twice/);
  });

  it('requires an outcome on a forbid', () => {
    const text = `${permit}\n@id("f") ${NOTES} forbid (principal, action == Action::"read_statement", resource);`;
    expect(errorsOf(text).join()).toMatch(/policy "f": forbid needs @outcome/);
  });

  it('requires reasons', () => {
    const text = '@id("bare") permit (principal, action == Action::"read_statement", resource);';
    expect(errorsOf(text)).toEqual(expect.arrayContaining([expect.stringMatching(/policy "bare": missing @reason_en/), expect.stringMatching(/missing @requester_zh/)]));
  });

  it('requires approval rules to be liftable by approval', () => {
    const text = `${permit}\n@id("stuck") @outcome("approval") ${NOTES}
forbid (principal, action == Action::"read_statement", resource) when { resource.segment == "vip" };`;
    expect(errorsOf(text).join()).toMatch(/policy "stuck": approval rules must end in unless/);
  });

  it('refuses a refusal that depends on approval', () => {
    const text = `${permit}\n@id("odd") @outcome("deny") ${NOTES}
forbid (principal, action == Action::"read_statement", resource) when { context.request.approved };`;
    expect(errorsOf(text).join()).toMatch(/policy "odd": a refusal cannot depend on/);
  });

  it('refuses requester text that says why a customer is special', () => {
    const text = permit.replace('@requester_en("needs approval")', '@requester_en("VIP customer: needs approval")');
    expect(errorsOf(text).join()).toMatch(/policy "p": requester text must not reveal .*"vip"/);
  });

  it('requires one named action per policy', () => {
    const text = `${permit}\n@id("any") ${NOTES} permit (principal, action, resource);`;
    expect(errorsOf(text).join()).toMatch(/policy "any": must name exactly one action/);
  });

  it('requires flags on monitor policies, and only permits', () => {
    const text = `${permit}
@id("m1") @reason_zh("x") @reason_en("x") permit (principal, action == Action::"monitor", resource);
@id("m2") @flag("f") @reason_zh("x") @reason_en("x") forbid (principal, action == Action::"monitor", resource);`;
    const errors = errorsOf(text).join('\n');
    expect(errors).toMatch(/policy "m1": missing @flag/);
    expect(errors).toMatch(/policy "m2": monitor policies must be permits/);
    expect(errors).toMatch(/policy "m1": missing @severity/);
  });

  it('requires a known severity on flags', () => {
    const text = `${permit}\n@id("m") @flag("f") @severity("urgent") @reason_zh("x") @reason_en("x") permit (principal, action == Action::"monitor", resource);`;
    expect(errorsOf(text).join()).toMatch(/policy "m": @severity must be one of low, medium, high, critical/);
  });

  it('refuses templates', () => {
    const text = `${permit}\n@id("t") ${NOTES} permit (principal == ?principal, action == Action::"read_statement", resource);`;
    expect(errorsOf(text).join()).toMatch(/templates are not supported/);
  });

  it('refuses a set with no permit: it would refuse everything', () => {
    expect(errorsOf('').join()).toMatch(/no permit/);
  });

  it('reports a broken schema', () => {
    const result = validatePolicySet(permit, 'entity Employee = {');
    expect(result.ok).toBe(false);
    expect(result.errors[0]).toMatch(/^schema: /);
  });
});
