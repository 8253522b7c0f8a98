import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { engines } from '../../../test/engines.ts';
import { openStore, type Store } from '../../store/database.ts';
import { parseVerifierKey, signCheckpoint, parseCheckpoint, parseNote, createNoteSigner, generateSeed } from '../tlog/index.ts';
import { createLogReader } from './log-reader.ts';
import { shredExpiredEntries } from './retention.ts';
import { verifyLog, type VerifyReport } from './verify-log.ts';
import { appendSamplesAtOnce, rebuildLog, testIntegrator, testSigner } from './test-support/log-fixture.ts';
import { defaultTileHashing } from './tile-hasher.ts';

const run = promisify(execFile);
const signer = testSigner();
const verifiers = [parseVerifierKey(signer.verifierKey)];

describe.each(engines)('audit verify on $name', (engine) => {
  let url: string;
  let store: Store;
  let trusted: string;

  const verify = (opts: { trusted?: string } = { trusted }) => verifyLog(store, { verifiers, origin: signer.name, ...opts });
  const seqAt = async (index: number) => Number((await store.db.selectFrom('log_leaves').select('seq').where('log_index', '=', index).executeTakeFirstOrThrow()).seq);
  const first = (report: VerifyReport) => {
    expect(report.ok).toBe(false);
    return report.problems[0]!;
  };

  beforeEach(async () => {
    url = await engine.freshUrl();
    store = await openStore(url);
    const integrator = testIntegrator(store, signer, { maxBatch: 200 });
    await appendSamplesAtOnce(store, 400);
    await integrator.drain();
    // The trusted checkpoint, e.g. as the witness cosigned it, saved before any tampering.
    trusted = (await createLogReader(store.db).latestCheckpoint())!.note;
    expect(parseCheckpoint(parseNote(trusted).text).size).toBe(400n);
    await appendSamplesAtOnce(store, 150, 400);
    await integrator.drain();
  });
  afterEach(async () => store.close());

  it('passes an untouched log, with and without a trusted checkpoint', async () => {
    const report = await verify();
    expect(report.problems).toEqual([]);
    expect(report).toMatchObject({ ok: true, checkpoint: { size: 550 }, trusted: { size: 400 }, checked: { leaves: 550, entries: 550, shredded: 0, workerRanges: 0 } });
    expect(report.checked.tiles).toBe(2 + 1 + 1); // two full level-0 tiles, a partial one, a partial level-1 tile
    expect((await verify({})).ok).toBe(true);
  });

  it('finds the same in worker threads as in one thread', async () => {
    const parallel = { url, workers: 2, minLeaves: 0, workersOnly: true };
    const clean = await verifyLog(store, { verifiers, origin: signer.name, trusted, parallel });
    expect(clean.checked.workerRanges).toBe(3); // 550 leaves: three ranges of whole tiles
    expect({ ...clean, checked: { ...clean.checked, workerRanges: 0 } }).toEqual(await verify());
    const seq = await seqAt(400);
    await store.db.deleteFrom('audit_entries').where('seq', '=', seq).execute();
    const [a, b] = [await seqAt(10), await seqAt(500)];
    const rows = await store.db.selectFrom('audit_entries').select(['seq', 'entry', 'salt']).where('seq', 'in', [a, b]).orderBy('seq').execute();
    await store.db.updateTable('audit_entries').set({ entry: rows[1]!.entry, salt: rows[1]!.salt }).where('seq', '=', a).execute();
    await store.db.updateTable('audit_entries').set({ entry: rows[0]!.entry, salt: rows[0]!.salt }).where('seq', '=', b).execute();
    const tampered = await verifyLog(store, { verifiers, origin: signer.name, trusted, parallel });
    expect(tampered.problems.map((p) => [p.code, p.index])).toEqual([['entry_altered', 10], ['entry_missing', 400], ['entry_altered', 500]]);
    expect({ ...tampered, checked: { ...tampered.checked, workerRanges: 0 } }).toEqual(await verify());
    // The workers hash as this thread does: natively where the addon is built (in CI it must be).
    expect(tampered.checked.hashing).toBe(defaultTileHashing().kind);
  }, 60_000);

  it('finds the same hashing in JavaScript as with the native tile hasher', async () => {
    const javascript = () => verifyLog(store, { verifiers, origin: signer.name, trusted, javascriptHashing: true });
    const apartFromHashing = (report: VerifyReport) => ({ ...report, checked: { ...report.checked, hashing: undefined } });
    const clean = await javascript();
    expect(clean.checked.hashing).toBe('javascript');
    expect(apartFromHashing(clean)).toEqual(apartFromHashing(await verify()));
    const seq = await seqAt(300);
    const row = await store.db.selectFrom('audit_entries').select('entry').where('seq', '=', seq).executeTakeFirstOrThrow();
    const entry = Buffer.from(row.entry);
    entry[3]! ^= 0x20;
    await store.db.updateTable('audit_entries').set({ entry }).where('seq', '=', seq).execute();
    const [native, inJavascript] = [await verify(), await javascript()];
    expect(native.problems.map((p) => [p.code, p.index])).toEqual([['entry_altered', 300]]);
    expect(apartFromHashing(inJavascript)).toEqual(apartFromHashing(native));
  });

  it('names an entry with one byte changed', async () => {
    const seq = await seqAt(123);
    const row = await store.db.selectFrom('audit_entries').select('entry').where('seq', '=', seq).executeTakeFirstOrThrow();
    const entry = Buffer.from(row.entry);
    entry[entry.length - 5]! ^= 0x01;
    await store.db.updateTable('audit_entries').set({ entry }).where('seq', '=', seq).execute();
    const problem = first(await verify());
    expect(problem).toMatchObject({ code: 'entry_altered', index: 123, seq });
    expect(problem.message).toMatch(/entry 123 .* no longer matches/);
  });

  it('names a deleted entry', async () => {
    const seq = await seqAt(57);
    await store.db.deleteFrom('audit_entries').where('seq', '=', seq).execute();
    expect(first(await verify())).toMatchObject({ code: 'entry_missing', index: 57, seq });
  });

  it('names the first of two swapped entries', async () => {
    const [a, b] = [await seqAt(10), await seqAt(300)];
    const rows = await store.db.selectFrom('audit_entries').select(['seq', 'entry', 'salt']).where('seq', 'in', [a, b]).orderBy('seq').execute();
    await store.db.updateTable('audit_entries').set({ entry: rows[1]!.entry, salt: rows[1]!.salt }).where('seq', '=', a).execute();
    await store.db.updateTable('audit_entries').set({ entry: rows[0]!.entry, salt: rows[0]!.salt }).where('seq', '=', b).execute();
    const report = await verify();
    expect(first(report)).toMatchObject({ code: 'entry_altered', index: 10 });
    expect(report.problems.map((p) => p.index)).toEqual([10, 300]);
  });

  it('names a truncation', async () => {
    const seqs = await store.db.selectFrom('log_leaves').select('seq').where('log_index', '>=', 520).execute();
    await store.db.deleteFrom('log_leaves').where('log_index', '>=', 520).execute();
    await store.db.deleteFrom('audit_entries').where('seq', 'in', seqs.map((s) => s.seq)).execute();
    const problem = first(await verify());
    expect(problem).toMatchObject({ code: 'truncated', index: 520 });
    expect(problem.message).toMatch(/covers 550 entries but the log holds only 520/);
  });

  it('catches a rollback to an older tree re-signed with the bank key', async () => {
    const keep = await seqAt(299);
    await store.db.deleteFrom('audit_entries').where('seq', '>', keep).execute();
    await rebuildLog(store, signer);
    const report = await verify();
    expect(report.checkpoint?.size).toBe(300);
    expect(first(report)).toMatchObject({ code: 'rollback' });
    expect(report.problems[0]!.message).toMatch(/300 entries but the trusted checkpoint already had 400/);
    expect((await verify({})).ok).toBe(true); // without a trusted checkpoint a clean rollback is undetectable
  });

  it('catches history rewritten and re-signed with the bank\'s own key', async () => {
    const seq = await seqAt(3);
    const row = await store.db.selectFrom('audit_entries').select('entry').where('seq', '=', seq).executeTakeFirstOrThrow();
    const forged = Buffer.from(row.entry.toString('utf8').replace('"termLength":', '"termLength":1'), 'utf8');
    expect(forged.equals(row.entry), 'the forgery must change the entry').toBe(false);
    await store.db.updateTable('audit_entries').set({ entry: forged }).where('seq', '=', seq).execute();
    await rebuildLog(store, signer);
    const report = await verify();
    expect(report.checkpoint?.size).toBe(550);
    expect(first(report)).toMatchObject({ code: 'history_rewritten' });
    expect(report.problems[0]!.message).toMatch(/first 400 entries no longer hash to the trusted checkpoint's root/);
    expect(report.problems.map((p) => p.code)).toContain('inconsistent');
    expect((await verify({})).ok).toBe(true);
  });

  it('catches a checkpoint signed with another key', async () => {
    const latest = (await store.db.selectFrom('log_checkpoints').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow());
    const other = createNoteSigner(signer.name, generateSeed());
    const forged = signCheckpoint(parseCheckpoint(parseNote(latest.note).text), [other]);
    await store.db.updateTable('log_checkpoints').set({ note: forged, published_note: forged }).where('id', '=', latest.id).execute();
    const problem = first(await verify());
    expect(problem.code).toBe('checkpoint_signature');
    expect(problem.message).toMatch(/not signed by the log's key/);
  });

  it('names a changed tile, a changed bundle and a removed leaf row', async () => {
    const tile = await store.db.selectFrom('log_tiles').select('data').where('level', '=', 0).where('n', '=', 1).executeTakeFirstOrThrow();
    const data = Buffer.from(tile.data);
    data[40]! ^= 0xff;
    await store.db.updateTable('log_tiles').set({ data }).where('level', '=', 0).where('n', '=', 1).execute();
    expect(first(await verify())).toMatchObject({ code: 'tile_mismatch', index: 256 });

    await store.db.updateTable('log_tiles').set({ data: tile.data }).where('level', '=', 0).where('n', '=', 1).execute();
    const bundle = await store.db.selectFrom('log_bundles').select('data').where('n', '=', 0).executeTakeFirstOrThrow();
    const b = Buffer.from(bundle.data);
    b[2 + 58 * 7 + 20]! ^= 0x01; // inside the leaf of entry 7
    await store.db.updateTable('log_bundles').set({ data: b }).where('n', '=', 0).execute();
    expect(first(await verify())).toMatchObject({ code: 'bundle_mismatch', index: 7 });

    await store.db.updateTable('log_bundles').set({ data: bundle.data }).where('n', '=', 0).execute();
    const seq = await seqAt(42);
    await store.db.deleteFrom('log_leaves').where('log_index', '=', 42).execute();
    const report = await verify();
    expect(first(report)).toMatchObject({ code: 'leaf_missing', index: 42 });
    expect(report.problems).toContainEqual(expect.objectContaining({ code: 'entry_unlogged', seq }));
  });

  it('accepts entries shredded by a recorded retention run, but not a deletion dressed up as one', async () => {
    const cutoff = (await store.db.selectFrom('audit_entries').select('created_at').where('seq', '=', await seqAt(0)).executeTakeFirstOrThrow()).created_at;
    // Entries created in the same millisecond as entry 0 are shredded.
    const result = await shredExpiredEntries(store.db, { before: new Date(Date.parse(cutoff) + 1) });
    expect(result.shredded).toBeGreaterThan(0);
    await testIntegrator(store, signer).drain();
    const report = await verify();
    expect(report.problems).toEqual([]);
    expect(report.checked.shredded).toBe(result.shredded);

    const seq = await seqAt(545);
    await store.db.deleteFrom('audit_entries').where('seq', '=', seq).execute();
    await store.db.updateTable('log_leaves').set({ shredded_at: new Date().toISOString() }).where('log_index', '=', 545).execute();
    expect(first(await verify())).toMatchObject({ code: 'entry_missing', index: 545, seq });
  });

  it('exits 1 from the CLI on tampering and names the entry, 0 on a clean log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fg-verify-'));
    const file = join(dir, 'trusted.checkpoint');
    writeFileSync(file, trusted);
    const cli = resolve('bin/flowguard.mjs');
    const args = ['audit', 'verify', '--db', url, '--key', signer.verifierKey, '--trusted', file];
    const env = { ...process.env, FLOWGUARD_LOG_ORIGIN: signer.name, FLOWGUARD_LOG_KEY_FILE: join(dir, 'absent.key') };
    const ok = await run(process.execPath, [cli, ...args], { env });
    expect(ok.stdout).toMatch(/^log verified: flowguard.test\/log — 550 entries/);

    const seq = await seqAt(77);
    await store.db.deleteFrom('audit_entries').where('seq', '=', seq).execute();
    const failed = await run(process.execPath, [cli, ...args], { env }).then(() => null, (e: { code: number; stdout: string }) => e);
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toMatch(/^TAMPERING: entry 77 \(seq \d+\) was deleted/);
    const json = await run(process.execPath, [cli, ...args, '--json'], { env }).then(() => null, (e: { code: number; stdout: string }) => e);
    expect(JSON.parse(json!.stdout)).toMatchObject({ ok: false, problems: [{ code: 'entry_missing', index: 77 }] });
    const misuse = await run(process.execPath, [cli, 'audit', 'verify', '--db', url, '--key', 'not-a-key'], { env }).then(() => null, (e: { code: number; stderr: string }) => e);
    expect(misuse?.code).toBe(2);
    expect(misuse?.stderr).toMatch(/^flowguard: The verifier key/);
  }, 60_000);
});
