/**
 * The victim of the crash test: appends audit entries as fast as it can through group commit while
 * the integrator runs every few milliseconds, and prints each seq to stdout after its commit — an
 * acknowledgement. The test SIGKILLs it at a random moment.
 * Usage: node bin/run-ts.mjs src/audit/log/test-support/crash-writer.ts <db url> <signer key>
 */
import { openStore } from '../../../store/database.ts';
import { signerFromKeyString } from '../checkpoint-signer.ts';
import { createIntegrator } from '../integrator.ts';
import { GroupCommitter } from '../group-commit.ts';
import { sampleEvent } from './log-fixture.ts';

const [url, signerKey] = process.argv.slice(2);
const store = await openStore(url!);
const signer = signerFromKeyString(signerKey!);
createIntegrator({ store, origin: signer.name, signers: [signer], intervalMs: 5, maxBatch: 3_000 }).start();
const committer = new GroupCommitter(store.db, { maxBatch: 500 });
process.stdout.write('ready\n');
let next = 0;
await Promise.all(Array.from({ length: 64 }, async () => {
  for (;;) {
    const { seq } = await committer.append(sampleEvent(next++, next % 4 === 0 ? `C-${next % 13}` : null));
    process.stdout.write(`${seq}\n`);
  }
}));
