import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { WITNESS_ERRORS, WitnessError } from './errors.ts';

const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');

describe('witness error codes', () => {
  it('each code has a description and is documented in README.md', () => {
    for (const [code, { description }] of Object.entries(WITNESS_ERRORS)) {
      expect(description.length, code).toBeGreaterThan(20);
      expect(readme, code).toContain(`\`${code}\``);
    }
  });

  it('the witness answers use the statuses of c2sp.org/tlog-witness', () => {
    const statuses = Object.fromEntries(Object.entries(WITNESS_ERRORS).map(([code, e]) => [code, e.status]));
    expect(statuses).toMatchObject({ malformed_request: 400, old_size_too_large: 400, untrusted_signature: 403, unknown_log: 404, old_size_mismatch: 409, conflicting_root: 409, invalid_proof: 422 });
    expect(new WitnessError('witness_refused', 'x').status).toBe(500);
  });
});
