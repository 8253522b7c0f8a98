import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CodedError, isCodedError } from '../core/errors.ts';
import { ERRORS, FlowguardError } from '../errors.ts';
import { PolicyError } from '../access/policy/policy-error.ts';
import { TlogError } from '../audit/tlog/errors.ts';
import { WitnessError } from '../audit/witness/errors.ts';
import { ERROR_CATALOGUE, errorsMarkdown } from './error-catalogue.ts';
import { problemFor, toFlowguardError } from './problem.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const DOC = join(ROOT, 'docs/errors.md');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('one error model', () => {
  it('every code of every table has a status, a title and a one-line description', () => {
    for (const s of ERROR_CATALOGUE) {
      for (const [code, spec] of Object.entries(s.table)) {
        const where = `${s.capability}: ${code}`;
        expect(code, where).toMatch(/^[a-z][a-z0-9_]*$/);
        if (spec.status !== null) expect(spec.status, where).toBeGreaterThanOrEqual(400);
        if (spec.status !== null) expect(spec.status, where).toBeLessThan(600);
        expect(spec.title.length, where).toBeGreaterThan(5);
        expect(spec.description.length, where).toBeGreaterThan(20);
        expect(spec.description, where).not.toContain('\n');
      }
    }
  });

  it('every code is mapped to an API answer (errors) or to none (findings)', () => {
    for (const s of ERROR_CATALOGUE) {
      expect(Object.keys(s.answers).sort(), s.capability).toEqual(Object.keys(s.table).sort());
      for (const [code, answer] of Object.entries(s.answers)) {
        if (s.kind === 'finding') expect(answer, `${s.capability}: ${code}`).toBeNull();
        else expect(Object.keys(ERRORS), `${s.capability}: ${code}`).toContain(answer);
      }
    }
  });

  it('every error class of src/ extends the one base class and has its table in the catalogue', () => {
    const declared = sources(join(ROOT, 'src')).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/class (\w+) extends (\w+)/g)].map((m) => ({ name: m[1]!, base: m[2]! })));
    // A class named …Error is raised on purpose and must be coded; internal signals (CedarFailure, a retry's
    // Transient) are caught where they are thrown and are not named so.
    const errorClasses = declared.filter((c) => /Error$/.test(c.name));
    expect(errorClasses.filter((c) => c.base !== 'CodedError' && !errorClasses.some((d) => d.name === c.base)).map((c) => `${c.name} extends ${c.base}`)).toEqual([]);
    const samples: CodedError[] = [new FlowguardError('internal', 'x'), new PolicyError('invalid_policy', ['x']), new TlogError('invalid_proof', 'x'), new WitnessError('state_failure', 'x')];
    expect(samples.map((e) => e.name).sort()).toEqual([...new Set(errorClasses.filter((c) => c.base === 'CodedError').map((c) => c.name))].sort());
    for (const e of samples) {
      expect(isCodedError(e)).toBe(true);
      expect(ERROR_CATALOGUE.some((s) => s.table === e.table), e.name).toBe(true);
    }
  });

  it('docs/errors.md lists every code as the tables say', () => {
    if (process.env.FLOWGUARD_WRITE_DOCS === '1') writeFileSync(DOC, errorsMarkdown());
    const doc = readFileSync(DOC, 'utf8');
    expect(doc, 'docs/errors.md is stale: regenerate it (see its header)').toBe(errorsMarkdown());
    for (const s of ERROR_CATALOGUE) for (const code of Object.keys(s.table)) expect(doc).toContain(`| \`${code}\` |`);
  });

  describe('one problem+json mapping', () => {
    it('a schema violation keeps its own code instead of becoming invalid_policy', () => {
      const e = toFlowguardError(new PolicyError('schema_violation', ['decision facts: amount must be a whole number']));
      expect(e.code).toBe('schema_violation');
      expect(e.status).toBe(422);
      expect(e.message).toContain('amount must be a whole number');
      expect(problemFor(e.code, e.message, '/x').type).toBe('https://flowguard.dev/problems/schema-violation');
      expect(toFlowguardError(new PolicyError('invalid_policy', ['p1: no @id'])).code).toBe('invalid_policy');
    });

    it('a library error the caller caused is invalid_request; any other is internal and says nothing of its cause', () => {
      expect(toFlowguardError(new TlogError('invalid_argument', 'index 9 is past the tree of size 4')).code).toBe('invalid_request');
      const proof = toFlowguardError(new TlogError('invalid_proof', 'root 3f9a… at /var/lib/secret'));
      expect(proof.code).toBe('internal');
      expect(proof.message).not.toContain('secret');
      expect(proof.cause).toBeInstanceOf(TlogError);
      expect(toFlowguardError(new WitnessError('witness_unreachable', 'http://10.0.0.7 timed out')).code).toBe('internal');
    });

    it('the witness keeps the statuses of c2sp.org/tlog-witness through the base class', () => {
      expect(new WitnessError('conflicting_root', 'x').status).toBe(409);
      expect(new WitnessError('quorum_not_met', 'x').status).toBe(500);
      expect(new FlowguardError('log_entry_shredded', 'x').status).toBe(410);
    });
  });
});
