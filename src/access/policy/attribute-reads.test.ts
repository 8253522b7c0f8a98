/**
 * Each preparsed set is handed only the attributes its policies read (attribute-reads.ts,
 * cedar-request.ts `narrowFor`). Cedar must answer exactly as it would with everything.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { policyToJson, type Context, type PolicyJson } from '@cedar-policy/cedar-wasm/nodejs';
import { callCedar } from './cedar-runtime.ts';
import { contextKey } from './answer-memo.ts';
import { attributeReads } from './attribute-reads.ts';
import { narrowFor, toCedarRequest, withApproval, type CedarRequest } from './cedar-request.ts';
import { factsFor } from './decision-table.fixture.ts';
import { facts } from './facts.arbitrary.ts';
import { DEFAULT_POLICY_DIR, loadPolicyEngine } from './index.ts';
import { readPolicyCatalog } from './policy-catalog.ts';
import { readPolicyFiles } from './policy-files.ts';
import { preparseSets, type PreparsedSet } from './preparsed-sets.ts';

function json(text: string): PolicyJson {
  const answer = policyToJson(text);
  if (answer.type === 'failure') throw new Error(answer.errors.map((e) => e.message).join('; '));
  return answer.json;
}

const readsOf = (...conditions: string[]) =>
  attributeReads(conditions.map((c) => json(`permit (principal, action, resource) when { ${c} };`)));

describe('attributeReads', () => {
  it('collects context paths, nested records included', () => {
    const reads = readsOf('context.request.purpose == "x" && context.clock.localHour < 8', 'context.watch.honeytoken');
    expect(reads.context).toEqual({ request: { purpose: true }, clock: { localHour: true }, watch: { honeytoken: true } });
    expect(reads.readsEntities).toBe(false);
  });

  it('counts an attribute tested with has, one level or several', () => {
    expect(readsOf('context.request has periodDays').context).toEqual({ request: { periodDays: true } });
    expect(readsOf('context has request.periodDays').context).toEqual({ request: { periodDays: true } });
    expect(readsOf('resource has relationshipManager').entityAttrs).toEqual(new Set(['relationshipManager']));
  });

  it('keeps a value whole when a policy uses it as a value', () => {
    expect(readsOf('context.request.unmaskedFields.isEmpty()').context).toEqual({ request: { unmaskedFields: true } });
    expect(readsOf('context.request == context.request').context).toEqual({ request: true });
    expect(readsOf('context == context').context).toBe(true);
    // A path under a record kept whole adds nothing narrower.
    expect(readsOf('context.request == context.request', 'context.request.purpose == "x"').context).toEqual({ request: true });
  });

  it('reads entity attributes on the principal, the resource and what their attributes refer to', () => {
    const reads = readsOf('principal.status == "left"', 'resource.relationshipManager.branchId == "BR01"');
    expect(reads.entityAttrs).toEqual(new Set(['status', 'relationshipManager', 'branchId']));
    expect(reads.readsEntities).toBe(true);
  });

  it('is conservative where the JSON does not name a path', () => {
    const reads = readsOf('(if context.request.breakGlass then context.request else context.relationship).isSelf');
    expect(reads.context).toEqual({ request: true, relationship: true });
    expect(reads.entityAttrs.has('isSelf')).toBe(true);
    expect(reads.readsEntities).toBe(true);
  });

  it('sees entities reached by ID, hierarchy or scope', () => {
    expect(readsOf('principal == resource').readsEntities).toBe(true);
    expect(readsOf('context.request.breakGlass').readsEntities).toBe(false);
    expect(attributeReads([json('permit (principal == Employee::"E1", action, resource);')]).readsEntities).toBe(true);
    expect(attributeReads([json('permit (principal, action, resource in Customer::"C1");')]).readsEntities).toBe(true);
  });
});

describe('narrowFor', () => {
  const request = toCedarRequest(factsFor({}));

  it('keeps only the read attributes, and no entities for a set that reads none', () => {
    const narrowed = narrowFor(readsOf('context.watch.honeytoken', 'context.request.breakGlass'), request.entities, request.monitorContext);
    expect(narrowed.context).toEqual({ watch: { honeytoken: false }, request: { breakGlass: false } });
    expect(narrowed.entities).toEqual([]);
    expect(narrowed.contextOnly).toBe(true);
  });

  it('keeps the read entity attributes and entity references whole', () => {
    const narrowed = narrowFor(readsOf('resource.relationshipManager == principal'), request.entities, request.decideContext);
    expect(narrowed.contextOnly).toBe(false);
    expect(narrowed.entities.map((e) => Object.keys(e.attrs))).toEqual([[], ['relationshipManager']]);
    const ref = { __entity: { type: 'Employee', id: 'E1' } };
    const context = { who: ref, other: { type: 'Employee', id: 'E2' } } as unknown as Context;
    const withRef = narrowFor(readsOf('context.who.status == "left"', 'context.other.id == "E2"'), request.entities, context);
    expect(withRef.context).toEqual(context);
    expect(withRef.contextOnly).toBe(false);
  });
});

describe('contextKey', () => {
  it('tells apart contexts Cedar tells apart and refuses values JSON would blur', () => {
    expect(contextKey({ a: 1 })).not.toBe(contextKey({ a: '1' }));
    expect(contextKey({ a: [true] })).not.toBe(contextKey({ a: true }));
    expect(contextKey({ a: Number.NaN })).toBeNull();
    expect(contextKey({ a: 1.5 })).toBeNull();
    expect(contextKey({ a: { b: undefined } } as unknown as Context)).toBeNull();
  });
});

describe('narrowed requests, default policy set', () => {
  const read = readPolicyCatalog(readPolicyFiles(DEFAULT_POLICY_DIR));
  if (!read.ok) throw new Error(read.errors.join('\n'));
  const sets = preparseSets('attribute-reads-test', read.catalog);

  function ask(set: PreparsedSet, request: CedarRequest, action: string, context: Context, narrow: boolean) {
    const handed = narrow ? narrowFor(set.reads, request.entities, context) : { entities: request.entities, context };
    // The sets live in the runtime's own Cedar instance (cedar-runtime.ts), so ask that one.
    const answer = callCedar((cedar) => cedar.statefulIsAuthorized({
      principal: request.principal,
      action: { type: 'Action', id: action },
      resource: request.resource,
      context: handed.context,
      entities: handed.entities,
      preparsedPolicySetId: set.id,
    }));
    if (answer.type === 'failure') throw new Error(answer.errors.map((e) => e.message).join('; '));
    const { decision, diagnostics } = answer.response;
    return { decision, policyIds: [...diagnostics.reason].sort(), errors: diagnostics.errors };
  }

  it('get the same decision, policy IDs and errors from every set as the full request', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const request = toCedarRequest(f);
        const questions: Array<[PreparsedSet | null, string, Context]> = [
          [sets.decide, 'read_statement', request.decideContext],
          [sets.permits, 'read_statement', withApproval(request.decideContext)],
          [sets.monitor, 'monitor', request.monitorContext],
        ];
        for (const [set, action, context] of questions) {
          if (set === null) continue;
          expect(ask(set, request, action, context, true)).toEqual(ask(set, request, action, context, false));
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('a bank policy still sees what it reads', () => {
  const NOTES = '@reason_zh("原因") @reason_en("reason") @severity("low")';
  const text = `${readPolicyFiles(DEFAULT_POLICY_DIR)}
@id("flag-long-period") @flag("long_period") ${NOTES}
permit (principal, action == Action::"monitor", resource) when { context.request.periodDays > 366 };
@id("flag-on-notice") @flag("on_notice") ${NOTES}
permit (principal, action == Action::"monitor", resource) when { principal.status == "on_notice" };`;
  const engine = loadPolicyEngine({ policyText: text });

  it('raises a flag on context.request.periodDays and principal.status', () => {
    const plain = factsFor({});
    expect(engine.decide(plain).flags).toEqual([]);
    const long = { ...plain, request: { ...plain.request, periodDays: 400 } };
    expect(engine.decide(long).flags).toEqual(['long_period']);
    const onNotice = { ...plain, employee: { ...plain.employee, status: 'on_notice' as const } };
    expect(engine.decide(onNotice).flags).toEqual(['on_notice']);
    // Asked again, the answers are the same (the monitor set now reads entities: nothing is remembered).
    expect(engine.decide(long).flags).toEqual(['long_period']);
    expect(engine.decide(plain).flags).toEqual([]);
  });
});
