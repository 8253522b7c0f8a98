/**
 * The witness's HTTP face: `POST /add-checkpoint` of c2sp.org/tlog-witness, plain-text bodies in and
 * out. Whatever the request's content type, the body is read as bytes (the spec names none). Refusals
 * answer the status of their code with a one-line text reason; a 409 carries the witness's size as
 * `text/x.tlog.size`, as the spec requires, so the log can retry from there.
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { formatTreeSizeBody, TREE_SIZE_CONTENT_TYPE } from '../tlog/index.ts';
import { isWitnessError } from './errors.ts';
import type { Witness } from './witness.ts';

/** 63 base64 proof lines and a checkpoint with a hundred signatures fit with room to spare. */
export const ADD_CHECKPOINT_BODY_LIMIT = 64 * 1024;
const TEXT = 'text/plain; charset=utf-8';

/** Builds (does not start) the witness server. */
export async function buildWitnessServer(witness: Witness, options: { logger?: FastifyServerOptions['logger'] } = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false, bodyLimit: ADD_CHECKPOINT_BODY_LIMIT });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.post('/add-checkpoint', async (request, reply) => {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    try {
      const lines = await witness.addCheckpoint(body);
      return reply.code(200).type(TEXT).send(lines);
    } catch (error) {
      if (!isWitnessError(error)) throw error;
      if (error.status >= 500) request.log.error({ err: error }, 'witness could not answer');
      else request.log.info({ code: error.code }, error.message);
      if (error.status === 409 && error.details.witnessSize !== undefined) {
        return reply.code(409).type(TREE_SIZE_CONTENT_TYPE).send(formatTreeSizeBody(error.details.witnessSize));
      }
      return reply.code(error.status).type(TEXT).send(`${error.code}: ${error.message}\n`);
    }
  });

  app.setNotFoundHandler((_request, reply) => reply.code(404).type(TEXT).send('not found: this witness serves POST /add-checkpoint\n'));
  app.setErrorHandler((error: { statusCode?: number; message: string }, request, reply) => {
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status === 500) request.log.error({ err: error }, 'witness error');
    return reply.code(status).type(TEXT).send(status === 500 ? 'internal error\n' : `${error.message}\n`);
  });
  return app;
}
