/**
 * Test helpers for the log: a fresh signing key, an integrator over a store, and direct appends.
 */
import { generateNoteKey } from '../../tlog/index.ts';
import type { Store } from '../../../store/database.ts';
import { appendAuditEntry, type AuditEvent } from '../../record.ts';
import { signerFromKeyString, type CheckpointSigner } from '../checkpoint-signer.ts';
import { createIntegrator, type Integrator, type IntegratorOptions } from '../integrator.ts';

export const TEST_ORIGIN = 'flowguard.test/log';

export function testSigner(origin = TEST_ORIGIN): CheckpointSigner & { signerKey: string } {
  const { signerKey } = generateNoteKey(origin);
  return { ...signerFromKeyString(signerKey), signerKey };
}

export function testIntegrator(store: Store, signer: CheckpointSigner, extra: Partial<IntegratorOptions> = {}): Integrator {
  return createIntegrator({ store, origin: signer.name, signers: [signer], ...extra });
}

export function sampleEvent(i: number, customerId: string | null = null): AuditEvent {
  return {
    action: 'customer.searched',
    actor: { kind: 'staff', id: `E-${i % 7}`, pseudonym: `P-${i % 7}`, branchId: 'SH01', bankRole: 'teller' },
    customerId,
    detail: { query: 'name', results: i % 5, i },
  };
}

/** Appends `count` entries, each in its own transaction, and returns their seqs. */
export async function appendSamples(store: Store, count: number, from = 0): Promise<number[]> {
  const seqs: number[] = [];
  for (let i = from; i < from + count; i++) seqs.push((await appendAuditEntry(store.db, sampleEvent(i))).seq);
  return seqs;
}
