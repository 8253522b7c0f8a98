import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callCedar, cedarGeneration } from './cedar-runtime.ts';
import { POLICY_MAX_DEPTH, POLICY_TEXT_MAX_BYTES, checkPolicyBounds, deepestExpression } from './policy-bounds.ts';
import { readPolicyFiles } from './policy-files.ts';
import { DEFAULT_POLICY_DIR } from './policy-engine.ts';
import { loadPolicySchemaText } from '../policy-files.ts';
import { checkPolicySet } from './validate-policy-set.ts';

const NOTES = '@reason_zh("原因") @reason_en("reason") @requester_zh("原因") @requester_en("reason")';
const policyWhen = (condition: string) => `@id("p") ${NOTES}\npermit (principal, action == Action::"read_statement", resource)\nwhen { ${condition} };\n`;

/** The shapes Cedar recurses on, each nesting `n` deep (measured in the header of policy-bounds.ts). */
const SHAPES: Record<string, (n: number) => string> = {
  parentheses: (n) => `${'('.repeat(n)}true${')'.repeat(n)}`,
  sets: (n) => `${'['.repeat(n)}1${']'.repeat(n)} == []`,
  records: (n) => `${'{a: '.repeat(n)}1${'}'.repeat(n)} has a`,
  'else-if chains': (n) => `${'if principal.trainingValid then false else '.repeat(n)}true`,
  'if (…) conditions': (n) => `${'if ('.repeat(n)}true${') then true else false'.repeat(n)}`,
  'and chains': (n) => Array(n).fill('principal.trainingValid').join(' && '),
  'plus chains': (n) => `${Array(n).fill('1').join(' + ')} == principal.distinctCustomersToday`,
  'member chains': (n) => `context${'.a'.repeat(n)}`,
  'method chains': (n) => `[1]${'.contains(1)'.repeat(n)}`,
  'not and minus': (n) => `${'!(-1 < '.repeat(n)}1${')'.repeat(n)}`,
};

/** The largest `n` whose text the bound accepts. */
function largestAccepted(shape: (n: number) => string): number {
  let n = 1;
  while (deepestExpression(policyWhen(shape(n + 1))).depth <= POLICY_MAX_DEPTH) n++;
  return n;
}

describe('policy bounds', () => {
  it('accept the shipped policies with room to spare', () => {
    const shipped = readPolicyFiles(DEFAULT_POLICY_DIR);
    expect(checkPolicyBounds(shipped)).toEqual([]);
    expect(deepestExpression(shipped).depth).toBeLessThanOrEqual(POLICY_MAX_DEPTH / 2);
  });

  it('refuse the attack of issue 9 (300 parentheses) naming the line and the limit', () => {
    const errors = checkPolicyBounds(`// a comment\n${policyWhen(SHAPES.parentheses!(300))}`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^line 4: .*301 levels.*limit of 32/);
  });

  it('refuse a text over 64 KiB, naming the line where it passes the limit', () => {
    const line = `// ${'流'.repeat(30)}\n`; // 94 bytes
    const text = line.repeat(Math.ceil(POLICY_TEXT_MAX_BYTES / 94) + 1);
    const [error] = checkPolicyBounds(text);
    expect(error).toMatch(/over the limit of 65536 bytes \(64 KiB\) from line 698 on/);
    expect(checkPolicyBounds(line.repeat(Math.floor(POLICY_TEXT_MAX_BYTES / 94)))).toEqual([]);
  });

  it('skip brackets in string literals and comments', () => {
    const deep = '('.repeat(500);
    expect(checkPolicyBounds(`// ${deep}\n@id("${deep}\\"${deep}") ${NOTES}\npermit (principal, action, resource) when { context.x == "${deep}" };`)).toEqual([]);
  });

  it('count one level per bracket, if, chained operator and access, and close what is left open', () => {
    expect(deepestExpression('a && b && c').depth).toBe(2);
    expect(deepestExpression('a.b.c == d && e').depth).toBe(4);
    expect(deepestExpression('if a then b else if c then d else e').depth).toBe(2);
    expect(deepestExpression('[(1), {a: (2)}]').depth).toBe(3);
    expect(deepestExpression('((((').depth).toBe(4);
    expect(deepestExpression(')))a').depth).toBe(0);
  });

  // Calibration: Cedar must stay well clear of its stack at the limit. Every shape, at twice what
  // the bound accepts, still runs through everything Flowguard asks of Cedar without a failure.
  it.each(Object.entries(SHAPES))('leave Cedar at least twice the room the bound allows: %s', (_name, shape) => {
    const accepted = largestAccepted(shape);
    const generation = cedarGeneration();
    for (const n of [accepted, 2 * accepted]) {
      const text = policyWhen(shape(n));
      callCedar((cedar) => cedar.policyToJson(text));
      callCedar((cedar) => cedar.validate({ schema: loadPolicySchemaText(), policies: { staticPolicies: text }, validationSettings: { mode: 'strict' } }));
    }
    // Evaluation recurses too: decide with the accepted text (validated or not).
    const id = `calibration-${_name}`;
    callCedar((cedar) => cedar.preparsePolicySet(id, { staticPolicies: { p: policyWhen(shape(accepted)) } }));
    const principal = { type: 'Employee', id: 'E1' };
    callCedar((cedar) => cedar.statefulIsAuthorized({ principal, action: { type: 'Action', id: 'read_statement' }, resource: { type: 'Customer', id: 'C1' }, context: {}, entities: [], preparsedPolicySetId: id }));
    expect(cedarGeneration()).toBe(generation);
  });

  it('never let a random deep or huge text break Cedar: each is refused or checked', () => {
    const schema = loadPolicySchemaText();
    // Well-formed nesting: Cedar's parser refuses broken text before it recurses, so most inputs must parse.
    const wrap = fc.constantFrom<(e: string) => string>(
      (e) => `(${e})`, (e) => `[${e}]`, (e) => `{a: ${e}}`, (e) => `if ${e} then true else false`, (e) => `if true then ${e} else false`,
      (e) => `!(${e})`, (e) => `${e} && true`, (e) => `true || ${e}`, (e) => `${e}.contains(1)`, (e) => `[1].contains(${e})`,
      (e) => `(${e} == 1)`, (e) => `(${e}).a`, (e) => `${e} + 1`, (e) => `-(${e})`, (e) => `(${e} has a)`,
    );
    const expression = fc.array(wrap, { maxLength: 150, size: 'max' }).map((wraps) => wraps.reduce((e, w) => w(e), 'principal.trainingValid'));
    const junk = fc.string({ unit: fc.constantFrom('(', ')', '[', ']', '{', '}', '"', '\\', '/', '\n', ' ', 'if ', '&&', '.', 'a'), maxLength: 2_000, size: 'max' });
    const huge = fc.integer({ min: POLICY_TEXT_MAX_BYTES - 100, max: POLICY_TEXT_MAX_BYTES + 100 }).map((n) => `// ${'x'.repeat(n)}\n${policyWhen('true')}`);
    fc.assert(
      fc.property(fc.oneof({ arbitrary: expression.map(policyWhen), weight: 4 }, junk, junk.map(policyWhen), huge), (text) => {
        // A Cedar failure would replace the instance (cedar-runtime.ts): the generation tells.
        const generation = cedarGeneration();
        const check = checkPolicySet(text, schema);
        expect(check.ok || ['invalid_policy', 'schema_violation'].includes(check.code)).toBe(true);
        expect(cedarGeneration()).toBe(generation);
      }),
      { numRuns: 150 },
    );
  });
});
