import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createCosigner, createCosignatureVerifier, formatSignatureLine, createSignature, parseNote, parseSignatureLines } from '../tlog/index.ts';
import { createTestLog } from './fixtures/test-log.ts';
import { startTestWitness, WITNESS_NAME, type TestWitness } from './fixtures/test-witness.ts';
import { isWitnessError, type WitnessErrorCode } from './errors.ts';
import { mergeCosignatures, verifyCosignedCheckpoint } from './cosigned-checkpoint.ts';
import { submitToWitness } from './witness-client.ts';

const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of cleanup.splice(0)) await close();
});

/** A witness listening on 127.0.0.1 (the client speaks real HTTP). */
async function listening(...logs: ReturnType<typeof createTestLog>[]): Promise<{ w: TestWitness; url: string }> {
  const w = await startTestWitness(logs);
  cleanup.push(() => w.close());
  const url = await w.app.listen({ port: 0, host: '127.0.0.1' });
  return { w, url };
}

/** A stand-in HTTP server answering every request with `answer`. */
async function fakeWitness(answer: (body: string) => { status: number; type?: string; body: string }): Promise<string> {
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => { body += d; });
    req.on('end', () => {
      const a = answer(body);
      res.writeHead(a.status, a.type ? { 'content-type': a.type } : {}).end(a.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanup.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function rejection(p: Promise<unknown>): Promise<{ code: WitnessErrorCode; details: object; message: string }> {
  try {
    await p;
  } catch (e) {
    if (isWitnessError(e)) return { code: e.code, details: e.details, message: e.message };
    throw e;
  }
  throw new Error('expected a WitnessError');
}

describe('submitToWitness and mergeCosignatures', () => {
  it('collects a cosignature, and the merged note verifies with the log key and the witness key (quorum 1)', async () => {
    const log = createTestLog();
    log.append(3);
    const { w, url } = await listening(log);
    const lines = await submitToWitness(url, log.checkpoint(), 0n, [], { witness: w.verifier });
    expect(parseSignatureLines(lines).map((s) => s.name)).toEqual([WITNESS_NAME]);
    log.append(5);
    const note = log.checkpoint();
    const cosigned = mergeCosignatures(note, await submitToWitness(`${url}/`, note, 3, log.consistency(3), { witness: w.verifier }));
    const verified = verifyCosignedCheckpoint(cosigned, log.verifier, [w.verifier], 1, { origin: log.origin });
    expect(verified.checkpoint.size).toBe(8n);
    expect(verified.cosignatures.map((c) => c.name)).toEqual([WITNESS_NAME]);
  });

  it('after a 409, retries once from the size the witness reports, with a proof from the provider', async () => {
    const log = createTestLog();
    log.append(4);
    const { w, url } = await listening(log);
    await submitToWitness(url, log.checkpoint(), 0, []);
    log.append(9);
    const asked: bigint[] = [];
    const lines = await submitToWitness(url, log.checkpoint(), 0, [], {
      witness: w.verifier,
      proveFrom: (size) => { asked.push(size); return log.consistency(size); },
    });
    expect(asked).toEqual([4n]);
    expect(parseSignatureLines(lines)).toHaveLength(1);
  });

  it('without a proof provider, a 409 is witness_conflict carrying the witness size', async () => {
    const log = createTestLog();
    log.append(4);
    const { url } = await listening(log);
    await submitToWitness(url, log.checkpoint(), 0, []);
    log.append(1);
    const e = await rejection(submitToWitness(url, log.checkpoint(), 0, []));
    expect(e).toMatchObject({ code: 'witness_conflict', details: { witnessSize: 4n, status: 409 } });
  });

  it('a split view is not retried: the witness already holds another tree of that size', async () => {
    const log = createTestLog();
    log.append(6);
    const { url } = await listening(log);
    await submitToWitness(url, log.checkpoint(), 0, []);
    const fork = log.fork(2);
    fork.append(4, 'forged');
    const e = await rejection(submitToWitness(url, fork.checkpoint(), 6, [], { proveFrom: () => { throw new Error('not called'); } }));
    expect(e.code).toBe('witness_conflict');
    expect(e.message).toMatch(/different tree of size 6/);
  });

  it('other refusals are witness_refused with the status; a dead address is witness_unreachable', async () => {
    const log = createTestLog();
    log.append(2);
    const stranger = createTestLog('other.example/log');
    stranger.append(2);
    const { url } = await listening(log);
    expect(await rejection(submitToWitness(url, stranger.checkpoint(), 0, []))).toMatchObject({ code: 'witness_refused', details: { status: 404 } });
    const closed = await fakeWitness(() => ({ status: 200, body: '' }));
    await cleanup.pop()!();
    expect((await rejection(submitToWitness(closed, log.checkpoint(), 0, [], { timeoutMs: 2000 }))).code).toBe('witness_unreachable');
  });

  it('a 200 without valid lines from the expected witness is malformed_response', async () => {
    const log = createTestLog();
    log.append(2);
    const note = log.checkpoint();
    const text = parseNote(note).text;
    const expected = createCosigner({ name: WITNESS_NAME, seed: Buffer.alloc(32, 1) });
    const other = createCosigner({ name: WITNESS_NAME, seed: Buffer.alloc(32, 2) });
    const verifier = createCosignatureVerifier(WITNESS_NAME, expected.publicKey);
    const answers = [
      { status: 200, body: 'hello\n' },
      { status: 200, body: formatSignatureLine(createSignature(other, text)) },
      { status: 200, body: formatSignatureLine({ ...createSignature(expected, 'other text\n') }) },
      { status: 409, body: '3\n' },
    ];
    for (const answer of answers) {
      const url = await fakeWitness(() => answer);
      expect((await rejection(submitToWitness(url, note, 0, [], { witness: verifier, proveFrom: () => [] }))).code, answer.body).toBe('malformed_response');
    }
    const good = await fakeWitness(() => ({ status: 200, body: `${formatSignatureLine(createSignature(other, text))}${formatSignatureLine(createSignature(expected, text))}` }));
    expect(parseSignatureLines(await submitToWitness(good, note, 0, [], { witness: verifier })).map((s) => s.keyId)).toEqual([verifier.keyId]);
  });

  it('sends the exact tlog-witness body', async () => {
    const log = createTestLog();
    log.append(5);
    let seen = '';
    const url = await fakeWitness((body) => { seen = body; return { status: 404, body: 'unknown\n' }; });
    const proof = log.consistency(3);
    await rejection(submitToWitness(url, log.checkpoint(), 3, proof));
    expect(seen).toBe(`old 3\n${proof.map((h) => `${h.toString('base64')}\n`).join('')}\n${log.checkpoint()}`);
  });
});
