/**
 * Benchmarks of the verifiable log (issue 3), on SQLite with synchronous=FULL (every commit durable):
 *
 * 1. durable appends per second: one transaction per entry, then group commit (GroupCommitter with
 *    many concurrent producers, as monitor-mode ingest would run it);
 * 2. time from append to a signed checkpoint covering the entry, p50/p99, with the integrator
 *    stepping every 200 ms (its default) under a steady load;
 * 3. verifying a 1,000,000-entry log (`audit verify`'s verifyLog: commitments, leaf hashes, tree,
 *    every tile, root, signatures), as a ratio to the floor: SHA-256 of each entry separately, timed
 *    in the same run over the same entries.
 *
 * Run: node bin/run-ts.mjs bench/log.ts [entries to verify, default 1000000] [appends|latency|verify …]
 * FLOWGUARD_BENCH_DB=postgres://… runs the verify part on that (empty) database instead of SQLite.
 * Targets (issue 3, 2 cores): ≥ 10,000 durable appends/s, p99 < 1 s to a signed checkpoint,
 * verification ≤ 3× the floor. Anchor: Trillian Tessera's POSIX backend, ~2,900 appends/s on a
 * 12-core VM with 6.0 s average time to integrate.
 */
import { hash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { openStore, type Store } from '../src/store/database.ts';
import { appendAuditEntry, type AuditEvent } from '../src/audit/record.ts';
import { appendAuditEntries, GroupCommitter } from '../src/audit/log/group-commit.ts';
import { createIntegrator } from '../src/audit/log/integrator.ts';
import { signerFromKeyString } from '../src/audit/log/checkpoint-signer.ts';
import { verifyLog } from '../src/audit/log/verify-log.ts';
import { generateNoteKey, parseVerifierKey } from '../src/audit/tlog/index.ts';

const VERIFY_ENTRIES = Number(process.argv[2] ?? 1_000_000);
/** The verify part on another database: the URL of an empty PostgreSQL database, say. */
const VERIFY_DB = process.env['FLOWGUARD_BENCH_DB'];
const PARTS = new Set(process.argv.length > 3 ? process.argv.slice(3) : ['appends', 'latency', 'verify']);
const ORIGIN = 'flowguard.example/bench';
const { signerKey, verifierKey } = generateNoteKey(ORIGIN);
const signer = signerFromKeyString(signerKey);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A statement view as the gateway records it: about 300 bytes of canonical JSON. */
function event(i: number): AuditEvent {
  return {
    action: 'statement.viewed',
    actor: { kind: 'staff', id: `E${1000 + (i % 400)}`, pseudonym: `柜员-${(i * 7919 % 65536).toString(16).toUpperCase()}`, branchId: `BR${String(i % 40).padStart(2, '0')}`, bankRole: 'teller' },
    customerId: `C${200000 + (i * 31 % 100000)}`,
    requestId: `SR-${(i * 2654435761 % 2 ** 32).toString(16).padStart(8, '0')}`,
    detail: {
      purpose: 'service_ticket', output: 'view', accounts: [`A${i}`], period: { from: '2026-09-01', to: '2026-11-30' }, rows: 40,
      unmasked: [], breakGlass: false, watermark: { time: '2026-12-04 14:38', tag: (i * 2654435761 % 2 ** 32).toString(16).padStart(8, '0') },
    },
    traceId: `req-${i}`,
  };
}

async function freshStore(): Promise<{ store: Store; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'fg-bench-log-'));
  return { store: await openStore(`sqlite:${join(dir, 'log.db')}`), dir };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

async function appendsPerSecond(): Promise<void> {
  const { store, dir } = await freshStore();
  console.log(`durability: ${JSON.stringify(await store.durability())}, entry ≈ ${Buffer.byteLength(JSON.stringify(event(1)))} bytes`);
  const single = 2_000;
  let started = performance.now();
  for (let i = 0; i < single; i++) await appendAuditEntry(store.db, event(i));
  const singleRate = single / ((performance.now() - started) / 1000);
  console.log(`one commit per entry:  ${singleRate.toFixed(0).padStart(7)} durable appends/s (${single} entries)`);

  for (const producers of [64, 512]) {
    const committer = new GroupCommitter(store.db);
    const total = 100_000;
    let next = 0;
    started = performance.now();
    await Promise.all(Array.from({ length: producers }, async () => {
      while (next < total) await committer.append(event(next++));
    }));
    const seconds = (performance.now() - started) / 1000;
    console.log(`group commit, ${String(producers).padStart(3)} producers: ${(total / seconds).toFixed(0).padStart(7)} durable appends/s (${total} entries, each acknowledged after its commit)`);
  }
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

async function appendToCheckpoint(): Promise<void> {
  const { store, dir } = await freshStore();
  const integrator = createIntegrator({ store, origin: ORIGIN, signers: [signer] });
  const committer = new GroupCommitter(store.db);
  const rate = 5_000;
  const seconds = 10;
  const appendedAt = new Map<number, number>();
  const latencies: number[] = [];
  let appending = true;
  // The integrator's own timer logic, observed: a step every 200 ms, back to back while there is a backlog.
  const integrating = (async () => {
    while (appending || appendedAt.size > 0) {
      const result = await integrator.step();
      if (result.status === 'integrated') {
        const now = performance.now();
        const { last_seq: lastSeq } = await store.db.selectFrom('log_state').select('last_seq').executeTakeFirstOrThrow();
        for (const [seq, at] of appendedAt) {
          if (seq <= lastSeq) {
            latencies.push(now - at);
            appendedAt.delete(seq);
          }
        }
      }
      if (!result.more) await sleep(200);
    }
  })();
  const started = performance.now();
  let i = 0;
  while (performance.now() - started < seconds * 1000) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    const batch: Array<Promise<void>> = [];
    for (; i < due; i++) {
      const at = performance.now();
      batch.push(committer.append(event(i)).then(({ seq }) => { appendedAt.set(seq, at); }));
    }
    await Promise.all(batch);
    await sleep(5);
  }
  appending = false;
  await integrating;
  latencies.sort((a, b) => a - b);
  console.log(`append → signed checkpoint, ${rate}/s for ${seconds} s, integrator every 200 ms: p50 ${percentile(latencies, 0.5).toFixed(0)} ms, p99 ${percentile(latencies, 0.99).toFixed(0)} ms, max ${latencies[latencies.length - 1]!.toFixed(0)} ms (${latencies.length} entries)`);
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

/**
 * A log of VERIFY_ENTRIES entries, built and integrated. FLOWGUARD_BENCH_LOG_DIR keeps it in that
 * directory and reuses it on the next run (with its signing key), to re-measure verification alone.
 */
async function millionEntryLog(): Promise<{ store: Store; url: string; dir: string; keep: boolean; verifierKey: string }> {
  const keepDir = process.env['FLOWGUARD_BENCH_LOG_DIR'];
  const url = (dir: string) => VERIFY_DB ?? `sqlite:${join(dir, 'log.db')}`;
  if (keepDir !== undefined && existsSync(join(keepDir, 'verifier.key'))) {
    const store = await openStore(url(keepDir));
    console.log(`reusing the log in ${VERIFY_DB === undefined ? keepDir : 'FLOWGUARD_BENCH_DB'}`);
    return { store, url: url(keepDir), dir: keepDir, keep: true, verifierKey: readFileSync(join(keepDir, 'verifier.key'), 'utf8') };
  }
  const dir = keepDir ?? mkdtempSync(join(tmpdir(), 'fg-bench-log-'));
  mkdirSync(dir, { recursive: true });
  const store = await openStore(url(dir));
  const held = await store.db.selectFrom('audit_entries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  if (Number(held.n) > 0) throw new Error(`FLOWGUARD_BENCH_DB must name an empty database (or one this bench filled, with FLOWGUARD_BENCH_LOG_DIR holding its key); it holds ${held.n} entries`);
  let started = performance.now();
  const batch = 10_000;
  for (let at = 0; at < VERIFY_ENTRIES; at += batch) {
    await appendAuditEntries(store.db, Array.from({ length: Math.min(batch, VERIFY_ENTRIES - at) }, (_, k) => event(at + k)));
  }
  console.log(`built ${VERIFY_ENTRIES} entries in ${((performance.now() - started) / 1000).toFixed(1)} s (batches of ${batch}, one commit each)`);
  started = performance.now();
  await createIntegrator({ store, origin: ORIGIN, signers: [signer], maxBatch: 50_000 }).drain();
  const integrateSeconds = (performance.now() - started) / 1000;
  // A bulk load leaves PostgreSQL's autovacuum to analyse a million new rows during the measurement.
  if (store.engine.name === 'postgres') await sql`vacuum analyze`.execute(store.db);
  const size = VERIFY_DB === undefined ? `; database ${(statSync(join(dir, 'log.db')).size / 2 ** 20).toFixed(0)} MiB` : '';
  console.log(`integrated in ${integrateSeconds.toFixed(1)} s (${(VERIFY_ENTRIES / integrateSeconds).toFixed(0)} entries/s)${size}`);
  if (keepDir !== undefined) writeFileSync(join(dir, 'verifier.key'), verifierKey);
  return { store, url: url(dir), dir, keep: keepDir !== undefined, verifierKey };
}

async function verifyMillion(): Promise<void> {
  const { store, url, dir, keep, verifierKey } = await millionEntryLog();
  console.log(`verifying on ${store.engine.name}`);

  // The floor: SHA-256 of each entry separately, over the same entries, hashing time only. The
  // machine is shared, so each figure is the best of three runs.
  const entries: Buffer[][] = [];
  for (let from = 0; from < VERIFY_ENTRIES; from += 50_000) {
    entries.push((await store.db.selectFrom('audit_entries').select('entry').where('seq', '>', from).where('seq', '<=', from + 50_000).execute()).map((r) => r.entry));
  }
  const best = async (run: () => Promise<void> | void) => {
    let fastest = Infinity;
    for (let i = 0; i < 3; i++) {
      const t = performance.now();
      await run();
      fastest = Math.min(fastest, performance.now() - t);
    }
    return fastest;
  };
  const floorMs = await best(() => { for (const page of entries) for (const entry of page) hash('sha256', entry, 'binary'); });
  const floorBufferMs = await best(() => { for (const page of entries) for (const entry of page) hash('sha256', entry, 'buffer'); });
  entries.length = 0;
  const verifiers = [parseVerifierKey(verifierKey)];
  let checked = 0;
  const verifyMs = await best(async () => {
    const report = await verifyLog(store, { verifiers, origin: ORIGIN });
    if (!report.ok) throw new Error(`the bench log does not verify: ${report.problems[0]?.message}`);
    checked = report.checked.tiles;
  });
  // As `flowguard audit verify` runs it: the leaves spread over this thread and worker threads.
  const workers = Math.min(3, Math.max(1, availableParallelism() - 1));
  let hashing = '';
  const parallelMs = await best(async () => {
    const report = await verifyLog(store, { verifiers, origin: ORIGIN, parallel: { url, workers } });
    if (!report.ok || report.checked.workerRanges === 0) throw new Error('the parallel verification failed or did not use its workers');
    hashing = report.checked.hashing;
  });
  // The same without the native tile hasher, for comparison (what a machine without a C compiler gets).
  const javascriptMs = hashing === 'native' ? await best(async () => {
    const report = await verifyLog(store, { verifiers, origin: ORIGIN, parallel: { url, workers }, javascriptHashing: true });
    if (!report.ok || report.checked.hashing !== 'javascript') throw new Error('the JavaScript-hashing verification failed');
  }) : undefined;
  console.log(`floor: SHA-256 of each entry ${(floorMs / 1000).toFixed(2)} s (string digest; ${(floorBufferMs / 1000).toFixed(2)} s with Buffer digests); best of 3 runs each`);
  console.log(`verify ${VERIFY_ENTRIES} entries, one thread: ${(verifyMs / 1000).toFixed(2)} s = ${(verifyMs / floorMs).toFixed(2)}× the floor (${(verifyMs / floorBufferMs).toFixed(2)}× the Buffer-digest floor), ${checked} tiles checked`);
  console.log(`verify ${VERIFY_ENTRIES} entries, this thread + ${workers} worker(s) (as the CLI runs it), ${hashing} tile hashing: ${(parallelMs / 1000).toFixed(2)} s = ${(parallelMs / floorMs).toFixed(2)}× the floor (${(parallelMs / floorBufferMs).toFixed(2)}× the Buffer-digest floor)`);
  if (javascriptMs !== undefined) {
    console.log(`  the same with JavaScript tile hashing (no native addon): ${(javascriptMs / 1000).toFixed(2)} s = ${(javascriptMs / floorMs).toFixed(2)}× the floor`);
  }
  await store.close();
  if (!keep) rmSync(dir, { recursive: true, force: true });
}

/** The machine is shared: say how busy it was, so figures can be read in context. */
const load = () => `load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${cpus().length} cores`;

console.log(`Flowguard log benchmark — Node ${process.version}, SQLite synchronous=FULL, WAL; ${load()}`);
if (PARTS.has('appends')) {
  await appendsPerSecond();
  console.log(`  (${load()})`);
}
if (PARTS.has('latency')) {
  await appendToCheckpoint();
  console.log(`  (${load()})`);
}
if (PARTS.has('verify')) {
  await verifyMillion();
  console.log(`  (${load()})`);
}
