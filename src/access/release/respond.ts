/** The pipeline's last step: send what was rendered and recorded, and let nothing keep a copy. */
import type { FastifyReply } from 'fastify';
import type { Rendered } from './render.ts';

export function sendRelease(reply: FastifyReply, rendered: Rendered): FastifyReply {
  reply.header('cache-control', 'no-store');
  if (rendered.kind === 'view') return reply.send(rendered.body);
  return reply.type(rendered.contentType).header('content-disposition', `attachment; filename="${rendered.filename}"`).send(rendered.body);
}
