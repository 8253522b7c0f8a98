import { describe, expect, it } from 'vitest';
import { policyToJson } from '@cedar-policy/cedar-wasm/nodejs';
import { DEFAULT_POLICY_DIR } from './index.ts';
import { readPolicyCatalog, type PolicyCatalog } from './policy-catalog.ts';
import { readPolicyFiles } from './policy-files.ts';
import { askedAsPermit, preparseSets } from './preparsed-sets.ts';

const NOTES = '@reason_zh("原因") @reason_en("reason") @requester_zh("原因") @requester_en("reason")';

function catalogOf(text: string): PolicyCatalog {
  const read = readPolicyCatalog(text);
  if (!read.ok) throw new Error(read.errors.join('\n'));
  return read.catalog;
}

describe('askedAsPermit', () => {
  it('turns every forbid of the default set, so one Cedar call names every matching policy', () => {
    const catalog = catalogOf(readPolicyFiles(DEFAULT_POLICY_DIR));
    for (const policy of catalog.policies) {
      const text = askedAsPermit(policy);
      expect(text, policy.id).not.toBeNull();
      const json = policyToJson(text!);
      expect(json.type === 'success' && json.json.effect).toBe('permit');
    }
    expect(preparseSets('preparsed-sets-test', catalog).decide.asPermits).toBe(true);
  });

  it('changes the effect keyword only, past annotations that quote it and comments that name it', () => {
    const text = `@id("tricky") // forbid (
@outcome("deny") @reason_zh("原因 \\"forbid\\" (") @reason_en("it's a ) forbid")
@requester_zh("原因") @requester_en("reason")
@bare
// forbid
forbid(principal, action == Action::"read_statement", resource)
when { principal.distinctCustomersToday * 9223372036854775807 > 0 };`;
    const [policy] = catalogOf(text).policies;
    const flipped = askedAsPermit(policy!);
    expect(flipped).toBe(text.replace('\nforbid(principal', '\npermit(principal'));
  });

  it('leaves a permit as it is', () => {
    const [policy] = catalogOf(`@id("p") ${NOTES} permit (principal, action == Action::"read_statement", resource);`).policies;
    expect(askedAsPermit(policy!)).toBe(policy!.text);
  });
});

describe('preparseSets', () => {
  it('knows whether a permit reads context.request.approved', () => {
    const base = `@id("p") ${NOTES} permit (principal, action == Action::"read_statement", resource) when { context.request.breakGlass };`;
    expect(preparseSets('preparsed-sets-test-a', catalogOf(base)).permitsReadApproved).toBe(false);
    const reads = `${base}\n@id("q") ${NOTES} permit (principal, action == Action::"read_statement", resource) when { context.request.approved };`;
    expect(preparseSets('preparsed-sets-test-b', catalogOf(reads)).permitsReadApproved).toBe(true);
  });
});
