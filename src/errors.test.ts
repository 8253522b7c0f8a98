import { describe, expect, it } from 'vitest';
import { ERRORS, FlowguardError, type ErrorCode } from './errors.ts';
import { problemFor, toFlowguardError } from './server/problem.ts';

describe('error codes', () => {
  it('every code maps to a 4xx/5xx status, a title and a problem type', () => {
    for (const code of Object.keys(ERRORS) as ErrorCode[]) {
      const p = problemFor(code, 'detail', '/x');
      expect(p.status).toBeGreaterThanOrEqual(400);
      expect(p.status).toBeLessThan(600);
      expect(p.title.length).toBeGreaterThan(5);
      expect(p.type).toMatch(/^https:\/\/flowguard\.dev\/problems\/[a-z-]+$/);
    }
  });

  it('turns an unexpected error into an internal error without leaking its message', () => {
    const e = toFlowguardError(new Error('SQLITE_CORRUPT at /secret/path'));
    expect(e.code).toBe('internal');
    expect(e.message).not.toContain('secret');
  });

  it('keeps a coded error as it is', () => {
    const e = new FlowguardError('invalid_period', 'too long');
    expect(toFlowguardError(e)).toBe(e);
    expect(e.status).toBe(422);
  });
});
