import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { formatAddCheckpointRequest } from '../tlog/index.ts';
import { createTestLog, type TestLog } from './fixtures/test-log.ts';
import { startTestWitness, type TestWitness, type TestWitnessOptions } from './fixtures/test-witness.ts';
import type { WitnessStateStore } from './witness-state.ts';

let open: TestWitness[] = [];
afterEach(async () => {
  await Promise.all(open.map((w) => w.close()));
  open = [];
});

async function witnessFor(log: TestLog, options: TestWitnessOptions = {}): Promise<TestWitness> {
  const w = await startTestWitness([log], options);
  open.push(w);
  return w;
}

const logFiles = (dir: string) => readdirSync(join(dir, 'logs'));

describe('state across restarts', () => {
  it('a restarted witness remembers the size and root it cosigned, and its key', async () => {
    const log = createTestLog();
    log.append(6);
    const first = await witnessFor(log);
    expect((await first.submit(0, [], log.checkpoint())).status).toBe(200);
    await first.close();

    const second = await witnessFor(log, { dir: first.dir });
    expect(second.verifierKey).toBe(first.verifierKey);
    expect(await second.submit(0, [], log.checkpoint())).toMatchObject({ status: 409, body: '6\n' });
    const fork = log.fork(3);
    fork.append(3, 'forged');
    expect((await second.submit(6, [], fork.checkpoint())).status).toBe(409);
    log.append(2);
    expect((await second.submit(6, log.consistency(6), log.checkpoint())).status).toBe(200);
  });

  it('the state file names its origin and holds the checkpoint as the log signed it', async () => {
    const log = createTestLog();
    log.append(2);
    const w = await witnessFor(log);
    await w.submit(0, [], log.checkpoint());
    const [file] = logFiles(w.dir);
    const state = JSON.parse(readFileSync(join(w.dir, 'logs', file!), 'utf8'));
    expect(state).toMatchObject({ version: 1, origin: log.origin, checkpoint: log.checkpoint() });
  });

  it('a corrupt state file is an error (500), never a reset to size 0', async () => {
    const log = createTestLog();
    log.append(2);
    const first = await witnessFor(log);
    await first.submit(0, [], log.checkpoint());
    await first.close();
    const [file] = logFiles(first.dir);
    writeFileSync(join(first.dir, 'logs', file!), '{"version": 1, "origin": "bank.example/flowguard", "checkpoint": "tru');
    const second = await witnessFor(log, { dir: first.dir });
    const r = await second.submit(0, [], log.checkpoint());
    expect(r.status).toBe(500);
    expect(r.body).toMatch(/^state_failure: /);
  });
});

describe('evidence of a split view', () => {
  it('a second log-signed root for a cosigned size is kept beside the cosigned one, whatever old size was claimed', async () => {
    const log = createTestLog();
    log.append(5);
    const w = await witnessFor(log);
    expect((await w.submit(0, [], log.checkpoint())).status).toBe(200);
    const fork = log.fork(3);
    fork.append(2, 'forged');
    expect((await w.submit(5, [], fork.checkpoint())).status).toBe(409);
    expect((await w.submit(3, fork.consistency(3), fork.checkpoint())).status).toBe(409);
    const files = readdirSync(join(w.dir, 'evidence'));
    expect(files).toHaveLength(1);
    const evidence = readFileSync(join(w.dir, 'evidence', files[0]!), 'utf8');
    expect(evidence).toContain(log.checkpoint());
    expect(evidence).toContain(fork.checkpoint());
  });

  it('an unsigned or consistent submission leaves no evidence', async () => {
    const log = createTestLog();
    log.append(5);
    const w = await witnessFor(log);
    await w.submit(0, [], log.checkpoint());
    const fork = log.fork(3);
    fork.append(2, 'forged');
    const impostor = createTestLog(log.origin);
    expect((await w.submit(5, [], fork.checkpoint(5, [impostor.signer]))).status).toBe(403);
    expect((await w.submit(5, [], log.checkpoint())).status).toBe(200);
    expect(() => readdirSync(join(w.dir, 'evidence'))).toThrow(/ENOENT/);
  });
});

describe('a crash between writing the new state and renaming it into place', () => {
  it('(injected failure) answers 500 without a cosignature, and the old state stays in force', async () => {
    const log = createTestLog();
    log.append(5);
    let fail = false;
    const w = await witnessFor(log, { hooks: { beforeRename: () => { if (fail) throw new Error('disk unplugged'); } } });
    expect((await w.submit(0, [], log.checkpoint())).status).toBe(200);
    log.append(4);
    fail = true;
    const r = await w.submit(5, log.consistency(5), log.checkpoint());
    expect(r.status).toBe(500);
    expect(r.body).not.toMatch(/—/);
    expect((await w.witness.latest(log.origin))?.size).toBe(5n);
    expect(logFiles(w.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const restarted = await witnessFor(log, { dir: w.dir });
    expect(await restarted.submit(0, [], log.checkpoint())).toMatchObject({ status: 409, body: '5\n' });
    fail = false;
    expect((await w.submit(5, log.consistency(5), log.checkpoint())).status).toBe(200);
  });

  it('(SIGKILL of a witness process) leaves the old state intact, and the stray temp file is cleaned at start', async () => {
    const log = createTestLog();
    log.append(5);
    const w = await witnessFor(log);
    expect((await w.submit(0, [], log.checkpoint())).status).toBe(200);
    await w.close();
    const before = readFileSync(join(w.dir, 'logs', logFiles(w.dir)[0]!), 'utf8');

    log.append(7);
    const bodyFile = join(w.dir, 'request.txt');
    writeFileSync(bodyFile, formatAddCheckpointRequest({ oldSize: 5, proof: log.consistency(5), checkpoint: log.checkpoint() }));
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./fixtures/crash-child.ts', import.meta.url)), w.dir, log.verifierKey, bodyFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => { output += d; });
    child.stderr.on('data', (d: Buffer) => { output += d; });
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, s) => resolve(s)));
    expect(signal, output).toBe('SIGKILL');
    expect(output).toMatch(/crashing before rename/);
    const files = logFiles(w.dir);
    expect(files.filter((f) => f.endsWith('.tmp'))).toHaveLength(1);
    expect(readFileSync(join(w.dir, 'logs', files.find((f) => f.endsWith('.json'))!), 'utf8')).toBe(before);

    const restarted = await witnessFor(log, { dir: w.dir });
    expect(logFiles(w.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(await restarted.submit(0, [], log.checkpoint())).toMatchObject({ status: 409, body: '5\n' });
    expect((await restarted.submit(5, log.consistency(5), log.checkpoint())).status).toBe(200);
  }, 60_000);
});

describe('concurrent submissions for one origin', () => {
  /** Slows every state write so that, without serialisation, all requests would pass the size check. */
  const slowWrites = (store: WitnessStateStore): WitnessStateStore => ({
    read: (origin) => store.read(origin),
    write: async (state) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      await store.write(state);
    },
  });

  it('are serialised: of ten extensions from the same old size exactly one is cosigned, the rest get 409 with its size', async () => {
    const log = createTestLog();
    log.append(5);
    const w = await witnessFor(log, { wrapState: slowWrites });
    expect((await w.submit(0, [], log.checkpoint())).status).toBe(200);
    log.append(10);
    const sizes = Array.from({ length: 10 }, (_, i) => 6 + i);
    const answers = await Promise.all(sizes.map((size) => w.submit(5, log.consistency(5, size), log.checkpoint(size))));
    const winners = answers.flatMap((a, i) => (a.status === 200 ? [sizes[i]!] : []));
    expect(winners).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 200)) expect(a).toMatchObject({ status: 409, body: `${winners[0]}\n` });
    expect((await w.witness.latest(log.origin))?.size).toBe(BigInt(winners[0]!));
  });

  it('never roll the witness back (the race of the spec: N checked, N+K stored, then N stored)', async () => {
    const log = createTestLog();
    log.append(4);
    const w = await witnessFor(log, { wrapState: slowWrites });
    expect((await w.submit(0, [], log.checkpoint())).status).toBe(200);
    log.append(20);
    const rounds = await Promise.all([8, 24, 6, 16].map((to) => w.submit(4, log.consistency(4, to), log.checkpoint(to))));
    expect(rounds.filter((r) => r.status === 200)).toHaveLength(1);
    const size = Number((await w.witness.latest(log.origin))?.size);
    // Whatever won, later submissions chain on from it.
    const next = await w.submit(size, size === 24 ? [] : log.consistency(size, 24), log.checkpoint(24));
    expect(next.status).toBe(200);
    expect((await w.witness.latest(log.origin))?.size).toBe(24n);
  });
});
