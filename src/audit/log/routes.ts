/**
 * HTTP for the log. Public, per c2sp.org/tlog-tiles: `/log/checkpoint`, `/log/tile/<L>/<N>[.p/<W>]`
 * and `/log/tile/entries/<N>[.p/<W>]` — hashes and commitments only, so anyone may fetch and cache
 * them — and `/api/v1/log/consistency`. Behind the gate (entry-reveal.ts): an entry with its salt
 * and inclusion proof, as JSON or as a c2sp.org/tlog-proof file.
 */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../../server/context.ts';
import { requirePrincipal } from '../../identity/authenticate.ts';
import { FlowguardError } from '../../errors.ts';
import { isTlogError, parseTilePath, TILE_WIDTH, type TileResource } from '../tlog/index.ts';
import { createLogReader } from './log-reader.ts';
import { revealEntry, type EntryRevealContext } from './entry-reveal.ts';

/** Full tiles and bundles never change (tlog-tiles: "This endpoint is immutable"). */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** tlog-tiles: the checkpoint's headers "SHOULD prevent caching beyond a few seconds". */
export const CHECKPOINT_CACHE = 'public, max-age=2';
/** A partial tile's bytes never change either, but it may be dropped once the full tile exists. */
export const PARTIAL_CACHE = 'public, max-age=60';
/** Tiles are cheap and cacheable: allow clients (monitors, Go's tlog client) many fetches. */
const PUBLIC_RATE_LIMIT = { rateLimit: { max: 12_000, timeWindow: '1 minute' } };

const IndexParams = Type.Object({ index: Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }) });

/**
 * The log's routes. `historyShowsEntry` is the customers capability's check, passed in by the server:
 * audit sits below customers and may not import it.
 */
export interface LogRoutesOptions {
  ctx: AppContext;
  historyShowsEntry: EntryRevealContext['historyShowsEntry'];
}

export const logRoutes: FastifyPluginAsync<LogRoutesOptions> = async (app, { ctx, historyShowsEntry }) => {
  const reader = createLogReader(ctx.store.db);
  const revealCtx: EntryRevealContext = { store: ctx.store, now: ctx.now, historyShowsEntry };

  app.get('/log/checkpoint', {
    config: PUBLIC_RATE_LIMIT,
    schema: { tags: ['log'], summary: 'The latest signed checkpoint (C2SP tlog-checkpoint), public', security: [] },
  }, async (_req, reply) => {
    const latest = await reader.latestCheckpoint();
    if (!latest) throw new FlowguardError('log_not_ready', 'The log has not published a checkpoint yet; the integrator signs one shortly after start.');
    return reply.type('text/plain; charset=utf-8').header('cache-control', CHECKPOINT_CACHE).send(latest.note);
  });

  app.get('/log/tile/*', {
    config: PUBLIC_RATE_LIMIT,
    schema: { tags: ['log'], summary: 'A hash tile or entry bundle (C2SP tlog-tiles), public', security: [] },
  }, async (req, reply) => {
    const path = `tile/${(req.params as { '*': string })['*']}`;
    let resource: TileResource;
    try {
      resource = parseTilePath(path);
    } catch (error) {
      if (isTlogError(error)) throw new FlowguardError('not_found', `No such log resource: ${error.message}.`);
      throw error;
    }
    const data = await reader.readResource(resource);
    if (!data) throw new FlowguardError('not_found', `The log holds no ${path} (yet).`);
    const width = resource.kind === 'tile' ? resource.tile.width : resource.width;
    return reply.type('application/octet-stream').header('cache-control', width === TILE_WIDTH ? IMMUTABLE : PARTIAL_CACHE).send(data);
  });

  app.get('/api/v1/log/consistency', {
    schema: {
      tags: ['log'],
      summary: 'A consistency proof between two tree sizes (RFC 6962 §2.1.2), public',
      security: [],
      querystring: Type.Object({
        from: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
        to: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
      }, { additionalProperties: false }),
    },
  }, async (req) => {
    const q = req.query as { from: number; to?: number };
    const to = q.to ?? Number((await reader.latestCheckpoint())?.checkpoint.size ?? 0);
    if (q.from > to) throw new FlowguardError('invalid_request', `from (${q.from}) must not be larger than to (${to}).`);
    try {
      const proof = await reader.consistencyProof(q.from, to);
      return { from: q.from, to, proof: proof.map((h) => h.toString('base64')) };
    } catch (error) {
      if (isTlogError(error)) throw new FlowguardError('invalid_request', error.message);
      throw error;
    }
  });

  app.get('/api/v1/log/entries/:index', {
    schema: { tags: ['log'], summary: 'An entry with its salt, leaf and inclusion proof against the latest checkpoint', params: IndexParams },
  }, async (req) => {
    const revealed = await revealEntry(revealCtx, requirePrincipal(req), (req.params as { index: number }).index, { traceId: req.id, format: 'json' });
    const { proofFile: _file, ...body } = revealed;
    return body;
  });

  app.get('/api/v1/log/entries/:index/proof', {
    schema: { tags: ['log'], summary: 'The entry\'s C2SP tlog-proof file, verifiable offline with the entry and salt', params: IndexParams },
  }, async (req, reply) => {
    const index = (req.params as { index: number }).index;
    const revealed = await revealEntry(revealCtx, requirePrincipal(req), index, { traceId: req.id, format: 'proof' });
    return reply.type('text/plain; charset=utf-8')
      .header('content-disposition', `attachment; filename="flowguard-log-${index}.tlog-proof"`)
      .header('cache-control', 'no-store')
      .send(revealed.proofFile);
  });
};
