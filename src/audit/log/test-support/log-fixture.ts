/**
 * Test helpers for the log: a fresh signing key, an integrator over a store, and direct appends.
 */
import { generateNoteKey } from '../../tlog/index.ts';
import type { Store } from '../../../store/database.ts';
import type { SeqFence } from '../../../store/dialect/log-sequencing.ts';
import { appendAuditEntry, type AuditEventOf } from '../../record.ts';
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

export function sampleEvent(i: number, customerId: string | null = null): AuditEventOf<'customer.searched'> {
  return {
    action: 'customer.searched',
    actor: { kind: 'staff', id: `E-${i % 7}`, pseudonym: `P-${i % 7}`, branchId: 'SH01', bankRole: 'teller' },
    customerId,
    // `termLength` carries i, so a test can tell the entries apart.
    detail: { termKind: 'text', termLength: i, hits: [] },
  };
}

/** Appends `count` entries, each in its own transaction, and returns their seqs. */
export async function appendSamples(store: Store, count: number, from = 0): Promise<number[]> {
  const seqs: number[] = [];
  for (let i = from; i < from + count; i++) seqs.push((await appendAuditEntry(store.db, sampleEvent(i))).seq);
  return seqs;
}

/** Appends `count` sample entries in one transaction. */
export async function appendSamplesAtOnce(store: Store, count: number, from = 0): Promise<void> {
  await store.db.transaction().execute(async (tx) => {
    for (let i = from; i < from + count; i++) await appendAuditEntry(tx, sampleEvent(i, i % 3 === 0 ? `C-${i % 11}` : null));
  });
}

/** What an insider with database access and the signing key does to rewrite the log: drop it and integrate again. */
export async function rebuildLog(store: Store, signer: CheckpointSigner): Promise<void> {
  await store.db.deleteFrom('log_leaves').execute();
  await store.db.deleteFrom('log_tiles').execute();
  await store.db.deleteFrom('log_bundles').execute();
  await store.db.deleteFrom('log_checkpoints').execute();
  await store.db.updateTable('log_state').set({ size: 0, root: Buffer.from('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'hex'), border: Buffer.alloc(0), last_seq: 0 }).execute();
  await testIntegrator(store, signer).drain();
}

/** What a fence-less reader would do: read up to the highest visible seq (the control that skips entries). */
export function naiveFence(store: Store): SeqFence {
  return {
    async finalSeq() {
      const row = await store.db.selectFrom('audit_entries').select((eb) => eb.fn.max('seq').as('max')).executeTakeFirst();
      return Number(row?.max ?? 0);
    },
  };
}
