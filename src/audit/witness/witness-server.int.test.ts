import { afterEach, describe, expect, it } from 'vitest';
import {
  createNoteSigner, emptyRoot, openNote, parseCosignature, parseSignatureLines, signCheckpoint, TREE_SIZE_CONTENT_TYPE,
} from '../tlog/index.ts';
import { createTestLog, type TestLog } from './fixtures/test-log.ts';
import { startTestWitness, WITNESS_NAME, type TestWitness } from './fixtures/test-witness.ts';

const NOW = 1_750_000_000n;
let open: TestWitness[] = [];
afterEach(async () => {
  await Promise.all(open.map((w) => w.close()));
  open = [];
});

async function witnessFor(...logs: TestLog[]): Promise<TestWitness> {
  const w = await startTestWitness(logs, { now: () => NOW });
  open.push(w);
  return w;
}

/** A log of `size` entries whose first checkpoint the witness has already cosigned. */
async function cosignedLog(size = 5): Promise<{ log: TestLog; w: TestWitness }> {
  const log = createTestLog();
  log.append(size);
  const w = await witnessFor(log);
  expect((await w.submit(0, [], log.checkpoint())).status).toBe(200);
  return { log, w };
}

describe('a first submission (old 0)', () => {
  it('is accepted with no proof lines and answered with a cosignature/v1 line that verifies', async () => {
    const log = createTestLog();
    log.append(7);
    const w = await witnessFor(log);
    const note = log.checkpoint();
    const r = await w.submit(0, [], note);
    expect(r.status).toBe(200);
    expect(r.contentType).toMatch(/^text\/plain/);
    const [line] = parseSignatureLines(r.body);
    expect(line!.name).toBe(WITNESS_NAME);
    expect(parseCosignature(line!.signature).timestamp).toBe(NOW);
    const opened = openNote(`${note}${r.body}`, [w.verifier]);
    expect(opened.verified).toHaveLength(1);
    expect((await w.witness.latest(log.origin))?.size).toBe(7n);
  });

  it('is refused with 422 if it carries proof lines: the spec says the proof MUST be empty from size 0', async () => {
    const log = createTestLog();
    log.append(4);
    const w = await witnessFor(log);
    const r = await w.submit(0, [log.root(2)], log.checkpoint());
    expect(r.status).toBe(422);
    expect(r.body).toMatch(/^invalid_proof: /);
  });

  it('of an empty tree needs the empty root', async () => {
    const log = createTestLog();
    const w = await witnessFor(log);
    expect((await w.submit(0, [], log.checkpoint(0))).status).toBe(200);
    const wrongEmpty = signCheckpoint({ origin: log.origin, size: 0n, root: Buffer.alloc(32, 9) }, [log.signer]);
    expect(log.root(0)).toEqual(emptyRoot());
    expect((await w.submit(0, [], wrongEmpty)).status).toBe(409);
  });
});

describe('a consistent extension', () => {
  it('is cosigned, and the witness moves to the new size', async () => {
    const { log, w } = await cosignedLog(5);
    log.append(12);
    const note = log.checkpoint();
    const r = await w.submit(5, log.consistency(5), note);
    expect(r.status).toBe(200);
    const verified = openNote(`${note}${r.body}`, [log.verifier, w.verifier]).verified;
    expect(verified.map((s) => s.name)).toEqual([log.origin, WITNESS_NAME]);
    expect((await w.witness.latest(log.origin))?.size).toBe(17n);
  });

  it('of the same checkpoint again (old = size, same root, no proof) is cosigned again', async () => {
    const { log, w } = await cosignedLog(5);
    expect((await w.submit(5, [], log.checkpoint())).status).toBe(200);
  });

  it('from a power-of-two size and over several steps', async () => {
    const { log, w } = await cosignedLog(8);
    for (const grow of [1, 7, 16, 100]) {
      const old = log.entries.length;
      log.append(grow);
      const r = await w.submit(old, log.consistency(old), log.checkpoint());
      expect(r.status, `${old} → ${log.entries.length}`).toBe(200);
    }
  });
});

describe('a split view: two different checkpoints of the same size', () => {
  // c2sp.org/tlog-witness (commit 055270b5, §add-checkpoint): "If the old size matches the checkpoint
  // size, the witness MUST check that the root hashes are also identical. If they don't match, the
  // witness MUST respond with a "409 Conflict"", and a submission from the old size (which the witness
  // has moved past) fails "the old size matches the size of the latest checkpoint it cosigned" → 409.
  // 422 is only for a proof that does not verify; the second view's proof from the common prefix is
  // valid, so the refusal is a 409 whichever old size the log claims.
  it('the second is refused with 409 whether submitted from the shared prefix or from the same size', async () => {
    const { log, w } = await cosignedLog(5);
    const fork = log.fork(5);
    log.append(3, 'honest');
    fork.append(3, 'forged');
    expect(fork.root(8)).not.toEqual(log.root(8));
    expect((await w.submit(5, log.consistency(5), log.checkpoint())).status).toBe(200);

    const fromPrefix = await w.submit(5, fork.consistency(5), fork.checkpoint());
    expect(fromPrefix.status).toBe(409);
    expect(fromPrefix.contentType).toBe(TREE_SIZE_CONTENT_TYPE);
    expect(fromPrefix.body).toBe('8\n');

    const sameSize = await w.submit(8, [], fork.checkpoint());
    expect(sameSize.status).toBe(409);
    expect(sameSize.contentType).toBe(TREE_SIZE_CONTENT_TYPE);
    expect(sameSize.body).toBe('8\n');
    expect((await w.witness.latest(log.origin))?.root).toEqual(log.root(8));
  });

  it('a fork that grows past the cosigned size cannot prove consistency with it (422)', async () => {
    const { log, w } = await cosignedLog(5);
    log.append(3, 'honest');
    expect((await w.submit(5, log.consistency(5), log.checkpoint())).status).toBe(200);
    const fork = log.fork(6);
    fork.append(10, 'forged');
    const r = await w.submit(8, fork.consistency(8), fork.checkpoint());
    expect(r.status).toBe(422);
  });
});

describe('a rollback', () => {
  it('to an older checkpoint is refused: 409 from its own size, 400 from the witness size', async () => {
    const { log, w } = await cosignedLog(5);
    const older = log.checkpoint(3);
    log.append(5);
    expect((await w.submit(5, log.consistency(5), log.checkpoint())).status).toBe(200);
    const fromOwnSize = await w.submit(3, [], older);
    expect(fromOwnSize.status).toBe(409);
    expect(fromOwnSize.body).toBe('10\n');
    const fromWitnessSize = await w.submit(10, [], older);
    expect(fromWitnessSize.status).toBe(400);
    expect(fromWitnessSize.body).toMatch(/^old_size_too_large: /);
    expect(await w.submit(0, [], older)).toMatchObject({ status: 409, body: '10\n' });
    expect((await w.witness.latest(log.origin))?.size).toBe(10n);
  });

  it('to a rebuilt, shorter tree re-signed by the log key is refused', async () => {
    const { log, w } = await cosignedLog(9);
    const rebuilt = log.fork(4);
    rebuilt.append(2, 'rewritten');
    expect((await w.submit(6, [], rebuilt.checkpoint())).status).toBe(409);
    expect((await w.submit(9, [], rebuilt.checkpoint())).status).toBe(400);
  });
});

describe('signatures', () => {
  it('a checkpoint signed by another key of the same name is refused with 403', async () => {
    const log = createTestLog();
    log.append(3);
    const w = await witnessFor(log);
    const impostor = createNoteSigner(log.origin, Buffer.alloc(32, 7));
    const r = await w.submit(0, [], log.checkpoint(3, [impostor]));
    expect(r.status).toBe(403);
    expect(r.body).toMatch(/^untrusted_signature: /);
    expect(await w.witness.latest(log.origin)).toBeUndefined();
  });

  it('a checkpoint whose body was altered after signing is refused with 403', async () => {
    const log = createTestLog();
    log.append(3);
    const w = await witnessFor(log);
    const altered = log.checkpoint().replace(/^(.*\n)3\n/, '$1' + '4\n');
    expect(altered).not.toBe(log.checkpoint());
    expect((await w.submit(0, [], altered)).status).toBe(403);
  });

  it('signatures from unknown keys next to the trusted one are ignored', async () => {
    const log = createTestLog();
    log.append(3);
    const w = await witnessFor(log);
    const other = createNoteSigner('someone.example/else', Buffer.alloc(32, 8));
    expect((await w.submit(0, [], log.checkpoint(3, [other, log.signer]))).status).toBe(200);
  });
});

describe('origins', () => {
  it('an unknown origin is refused with 404', async () => {
    const known = createTestLog('bank.example/flowguard');
    const stranger = createTestLog('other-bank.example/log');
    stranger.append(2);
    const w = await witnessFor(known);
    const r = await w.submit(0, [], stranger.checkpoint());
    expect(r.status).toBe(404);
    expect(r.body).toMatch(/^unknown_log: /);
  });

  it('two logs are witnessed independently', async () => {
    const a = createTestLog('a.example/log');
    const b = createTestLog('b.example/log');
    a.append(3);
    b.append(9);
    const w = await witnessFor(a, b);
    expect((await w.submit(0, [], a.checkpoint())).status).toBe(200);
    expect((await w.submit(0, [], b.checkpoint())).status).toBe(200);
    expect((await w.witness.latest(a.origin))?.size).toBe(3n);
    expect((await w.witness.latest(b.origin))?.size).toBe(9n);
  });
});

describe('bad proofs', () => {
  it('a proof with one flipped byte is refused with 422 and the state does not move', async () => {
    const { log, w } = await cosignedLog(5);
    log.append(6);
    const proof = log.consistency(5);
    proof[0]![0]! ^= 1;
    const r = await w.submit(5, proof, log.checkpoint());
    expect(r.status).toBe(422);
    expect(r.body).toMatch(/^invalid_proof: /);
    expect((await w.witness.latest(log.origin))?.size).toBe(5n);
  });

  it('a proof for other sizes, a truncated proof and an empty proof are refused with 422', async () => {
    const { log, w } = await cosignedLog(5);
    log.append(6);
    expect((await w.submit(5, log.consistency(4), log.checkpoint())).status).toBe(422);
    expect((await w.submit(5, log.consistency(5).slice(1), log.checkpoint())).status).toBe(422);
    expect((await w.submit(5, [], log.checkpoint())).status).toBe(422);
  });
});

describe('malformed requests', () => {
  it('are refused with 400', async () => {
    const log = createTestLog();
    log.append(2);
    const w = await witnessFor(log);
    const bodies = ['', 'old 0\n', 'old 01\n\n' + log.checkpoint(), 'old 0\nnot-base64\n\n' + log.checkpoint(), 'old 0\n\nno checkpoint\n'];
    for (const payload of bodies) {
      const r = await w.app.inject({ method: 'POST', url: '/add-checkpoint', payload, headers: { 'content-type': 'text/plain' } });
      expect(r.statusCode, JSON.stringify(payload)).toBe(400);
    }
  });

  it('other paths answer 404 and the body is read whatever the content type', async () => {
    const log = createTestLog();
    log.append(2);
    const w = await witnessFor(log);
    expect((await w.app.inject({ method: 'GET', url: '/add-checkpoint' })).statusCode).toBe(404);
    const types = ['application/octet-stream', 'text/x.whatever', undefined];
    for (const [i, type] of types.entries()) {
      const payload = `old ${i === 0 ? 0 : 2}\n\n${log.checkpoint()}`;
      const r = await w.app.inject({ method: 'POST', url: '/add-checkpoint', payload, headers: type ? { 'content-type': type } : {} });
      expect(r.statusCode, String(type)).toBe(200);
    }
  });
});
