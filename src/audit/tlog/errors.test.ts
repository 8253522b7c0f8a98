import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isTlogError, TLOG_ERRORS, TlogError } from './errors.ts';

const sources = readdirSync(new URL('.', import.meta.url))
  .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && name !== 'errors.ts')
  .map((name) => readFileSync(new URL(name, import.meta.url), 'utf8'))
  .join('\n');

describe('the error codes', () => {
  it('are each documented', () => {
    for (const [code, { status, title, description }] of Object.entries(TLOG_ERRORS)) {
      expect(description.length, code).toBeGreaterThan(20);
      expect(title.length, code).toBeGreaterThan(5);
      expect(status, code).toBeNull();
    }
  });

  it('are each thrown somewhere in the library, so none is dead', () => {
    for (const code of Object.keys(TLOG_ERRORS)) expect(sources.includes(`'${code}'`), code).toBe(true);
  });

  it('travel with the error and its cause', () => {
    const cause = new Error('inner');
    const e = new TlogError('invalid_proof', 'leaf 3 is not in the tree', { cause });
    expect(isTlogError(e)).toBe(true);
    expect(e).toMatchObject({ name: 'TlogError', code: 'invalid_proof', message: 'leaf 3 is not in the tree', cause });
  });
});
