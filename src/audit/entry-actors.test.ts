import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { buildEntry, employeeRef, parseEntry, type AuditEvent } from './record.ts';
import { actorCommitment, KEYED_PSEUDONYM, opensCommitment, pseudonymOf } from './actor-pseudonyms.ts';
import { findFullNumbers } from '../privacy/full-numbers.ts';

const KEY = Buffer.alloc(32, 7);

/** The value at a JSON Pointer. */
function at(doc: unknown, pointer: string): unknown {
  return pointer.split('/').slice(1).map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce<unknown>((node, token) => (node as Record<string, unknown>)[token], doc);
}

describe('employee pseudonyms and commitments', () => {
  it('a pseudonym is 64 bits of HMAC-SHA-256 under the key, stable per employee and key', () => {
    const p = pseudonymOf(KEY, 'E000001');
    expect(p).toMatch(KEYED_PSEUDONYM);
    expect(pseudonymOf(KEY, 'E000001')).toBe(p);
    expect(pseudonymOf(KEY, 'E000002')).not.toBe(p);
    expect(pseudonymOf(Buffer.alloc(32, 8), 'E000001')).not.toBe(p);
  });

  it('never reads as a card or ID number, which the record would refuse (an all-decimal 16-hex run passes Luhn once in ~16,000 employees)', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.stringMatching(/^E\d{6}$/), (key, id) => {
      const p = pseudonymOf(Buffer.from(key), id);
      expect(p).toMatch(KEYED_PSEUDONYM);
      expect(findFullNumbers(`{"pseudonym":"${p}"}`)).toEqual([]);
    }), { numRuns: 2000 });
    // Under KEY, E027917's 64 bits are 8820979051861058: all decimal, and Luhn-valid. Unbroken, that
    // is a card number to the record's guard; in two groups of eight it is not.
    expect(pseudonymOf(KEY, 'E027917')).toBe('P-88209790-51861058');
    expect(findFullNumbers('"P-8820979051861058"')).not.toEqual([]);
    expect(findFullNumbers(`"${pseudonymOf(KEY, 'E027917')}"`)).toEqual([]);
  });

  it('the commitment is SHA-256("fg-actor/v1\\n" ‖ nonce ‖ UTF-8 ID) and opens only with that ID and nonce', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }), fc.string({ minLength: 1, maxLength: 40 }), (nonceBytes, id, other) => {
      const nonce = Buffer.from(nonceBytes);
      const c = actorCommitment(nonce, id);
      expect(c).toBe(createHash('sha256').update(Buffer.concat([Buffer.from('fg-actor/v1\n'), nonce, Buffer.from(id, 'utf8')])).digest('base64'));
      expect(opensCommitment(c, id, nonce)).toBe(true);
      if (other !== id) expect(opensCommitment(c, other, nonce)).toBe(false);
      expect(opensCommitment(c, id, randomBytes(32))).toBe(false);
    }));
  });
});

describe('entries of version 2 name no employee', () => {
  const ids = fc.stringMatching(/^E\d{6}$/);
  const staffActor = (id: string) => ({ kind: 'staff' as const, id, pseudonym: `柜员-${id.slice(-4)}`, branchId: 'SH01', bankRole: 'teller' });

  it('replaces every actor and employee reference by pseudonym and commitment, with an opening for each', () => {
    fc.assert(fc.property(ids, ids, fc.array(ids, { maxLength: 5 }), fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.integer(), fc.string({ maxLength: 10 }))), (actorId, requesterId, trained, extra) => {
      // Deliberately off its action's type: the walk must find employees wherever a detail puts them.
      const event = {
        action: 'approval.granted',
        actor: staffActor(actorId),
        customerId: 'C0000001',
        detail: { ...extra, requester: employeeRef(requesterId), employees: trained.map(employeeRef), released: { employee: staffActor(requesterId) } },
      } as unknown as AuditEvent;
      const { bytes, openings } = buildEntry(event, '2026-12-04T02:00:00.000Z', KEY);
      const text = bytes.toString('utf8');
      for (const id of [actorId, requesterId, ...trained]) expect(text).not.toContain(id);
      expect(text).not.toContain('柜员');
      const doc = parseEntry(bytes);
      expect(doc.v).toBe(2);
      expect(doc.actor).not.toHaveProperty('id');
      expect(doc.actor).toMatchObject({ kind: 'staff', pseudonym: pseudonymOf(KEY, actorId), branchId: 'SH01', bankRole: 'teller' });
      expect(openings.map((o) => o.path).sort()).toEqual(['/actor', '/detail/released/employee', '/detail/requester', ...trained.map((_, i) => `/detail/employees/${i}`)].sort());
      for (const o of openings) {
        const shown = at(doc, o.path) as { pseudonym: string; commitment: string };
        expect(shown.pseudonym).toBe(pseudonymOf(KEY, o.employeeId));
        expect(opensCommitment(shown.commitment, o.employeeId, o.nonce)).toBe(true);
      }
      // A fresh nonce per employee per entry: the same employee twice gets two different commitments.
      expect(new Set(openings.map((o) => o.nonce.toString('hex'))).size).toBe(openings.length);
    }));
  });

  it('leaves customers, system actors and the anonymous as they are', () => {
    const { bytes, openings } = buildEntry({ action: 'portal.login', actor: { kind: 'customer', id: 'C0000001' }, detail: { method: 'portal_code', ip: '10.0.0.1' } }, '2026-12-04T02:00:00.000Z', KEY);
    expect(openings).toEqual([]);
    expect(parseEntry(bytes).actor).toEqual({ kind: 'customer', id: 'C0000001' });
  });
});
