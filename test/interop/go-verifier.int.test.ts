/**
 * issue 3, "Show": Go's own sumdb/note and sumdb/tlog (Debian's golang-golang-x-mod-dev) verify a
 * Flowguard log over HTTP — the checkpoint signature, inclusion of entries from the entry bundles
 * through the tiles, consistency between two checkpoints — and reject it when a proxy flips one byte
 * of a tile, of an entry bundle or of the checkpoint.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestLog } from '../../src/audit/witness/fixtures/test-log.ts';
import { buildGoVerifier, hasGo, runGoVerifier } from './go-verifier.ts';
import { serveStaticLog, type StaticLogServer } from './static-log.ts';
import { startTamperProxy, type TamperRule } from './tamper-proxy.ts';

const goAvailable = hasGo();
if (process.env.CI === 'true' && !goAvailable) {
  throw new Error('CI=true but `go` is missing: install golang-go and golang-golang-x-mod-dev (see .ci/run)');
}

describe.skipIf(!goAvailable)('Go x/mod sumdb verifies a Flowguard log over HTTP (static tiles from the pure library)', () => {
  const work = mkdtempSync(join(tmpdir(), 'fg-interop-'));
  const log = createTestLog('bank.example/flowguard');
  let binary: string;
  let server: StaticLogServer;

  beforeAll(async () => {
    binary = buildGoVerifier();
    server = await serveStaticLog(log);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  const verify = (url: string, extra: string[] = []) => runGoVerifier(binary, ['-url', url, '-key', log.verifierKey, ...extra]);

  it('accepts the checkpoint and every entry, then a grown log consistent with the first checkpoint', async () => {
    log.append(600);
    server.publish();
    const first = join(work, 'checkpoint-600');
    const r1 = await verify(server.url, ['-entries', '600', '-save', first]);
    expect(r1, r1.stderr).toMatchObject({ code: 0 });
    expect(r1.stdout).toMatch(/^OK: bank\.example\/flowguard size 600 .* 600 entries included/);

    log.append(700);
    server.publish();
    const r2 = await verify(server.url, ['-entries', '40', '-seed', '7', '-previous', first, '-save', join(work, 'checkpoint-1300')]);
    expect(r2, r2.stderr).toMatchObject({ code: 0 });
    expect(r2.stdout).toMatch(/size 1300 .* 40 entries included; consistent with size 600/);
    expect(readFileSync(join(work, 'checkpoint-1300'), 'utf8')).toMatch(/^bank\.example\/flowguard\n1300\n/);
  }, 60_000);

  it('rejects a checkpoint signed by another key, and a checkpoint inconsistent with the earlier one', async () => {
    const other = createTestLog('bank.example/flowguard');
    const r1 = await runGoVerifier(binary, ['-url', server.url, '-key', other.verifierKey, '-entries', '1']);
    expect(r1.code).not.toBe(0);
    const forked = log.fork(1000);
    forked.append(300, 'forged');
    const forkedServer = await serveStaticLog(forked);
    try {
      forkedServer.publish();
      const r2 = await verify(forkedServer.url, ['-entries', '1', '-previous', join(work, 'checkpoint-1300')]);
      expect(r2.code).not.toBe(0);
      expect(r2.stderr).toMatch(/two different roots for size 1300/);
    } finally {
      await forkedServer.close();
    }
  }, 60_000);

  describe('through a proxy that flips one byte', () => {
    // A corrupted tile is caught either when TileHashReader authenticates it against its parent tile
    // ("downloaded inconsistent tile") or, for the tiles x/mod 0.7.0 leaves unauthenticated (its loop
    // over child tiles starts at len(stx), an index count, not a tile count), when the proof built
    // from it fails CheckRecord against the signed root. Either way the entry is not accepted.
    const cases: Array<[string, TamperRule, RegExp]> = [
      ['of a full level-0 tile', { path: /^\/log\/tile\/0\/001$/, offset: () => 100 }, /inconsistent tile|entry 25\d: inclusion proof does not verify/],
      ['of the partial level-1 tile', { path: /^\/log\/tile\/1\/000\.p\/5$/, offset: (n) => n - 1 }, /inconsistent tile/],
      ['of an entry bundle', { path: /^\/log\/tile\/entries\/002$/, offset: () => 10 }, /entry 512: inclusion proof does not verify/],
      ['of the checkpoint', { path: /^\/log\/checkpoint$/, offset: () => 30 }, /checkpoint: /],
    ];

    it('passes with no flip (the proxy itself is transparent)', async () => {
      const proxy = await startTamperProxy(server.url, undefined);
      try {
        const r = await verify(`${proxy.origin}/log`, ['-entries', '1300']);
        expect(r, r.stderr).toMatchObject({ code: 0 });
      } finally {
        await proxy.close();
      }
    }, 60_000);

    it.each(cases)('%s: rejected', async (_what, rule, reason) => {
      const proxy = await startTamperProxy(server.url, rule);
      try {
        const r = await verify(`${proxy.origin}/log`, ['-entries', '1300']);
        expect(proxy.tampered.length).toBeGreaterThan(0);
        expect(r.code, r.stdout).not.toBe(0);
        expect(r.stderr).toMatch(/^FAIL: /);
        expect(r.stderr).toMatch(reason);
      } finally {
        await proxy.close();
      }
    }, 60_000);
  });
});
