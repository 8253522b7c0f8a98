/**
 * RFC 9457 problem details. Every error leaves the server through here, so clients get one shape
 * with a message a person can act on, and no stack trace ever leaves the process.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ERRORS, FlowguardError, type ErrorCode } from '../errors.ts';
import { CodedError } from '../core/errors.ts';
import { apiErrorOf, INTERNAL_MESSAGE } from './error-catalogue.ts';
import { maskFullMobileNumbers, maskFullNumbers } from '../privacy/full-numbers.ts';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: ErrorCode;
  [extra: string]: unknown;
}

export const PROBLEM_TYPE_BASE = 'https://flowguard.dev/problems/';

export function problemFor(code: ErrorCode, detail: string, instance: string, extra: Record<string, unknown> = {}): Problem {
  const { status, title } = ERRORS[code];
  return { type: `${PROBLEM_TYPE_BASE}${code.replaceAll('_', '-')}`, title, status, detail, instance, code, ...extra };
}

/**
 * Translates anything thrown into an API error: our own, any capability's (through the one mapping
 * in error-catalogue.ts), Fastify's validation and parser errors, or internal.
 */
export function toFlowguardError(error: unknown): FlowguardError {
  if (error instanceof FlowguardError) return error;
  if (error instanceof CodedError) return apiErrorOf(error);
  const fe = error as FastifyError;
  if (fe?.validation) return new FlowguardError('invalid_request', `The request is not valid: ${fe.message}.`);
  switch (fe?.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new FlowguardError('invalid_json', 'The body is not valid JSON; send a JSON object with Content-Type: application/json.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new FlowguardError('body_too_large', 'The body is larger than the server accepts (64 KiB); send less.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new FlowguardError('unsupported_media_type', 'Send the body as application/json.');
    case 'FST_ERR_RATE_LIMITED':
      return new FlowguardError('rate_limited', 'Too many requests from this client; wait a minute and try again.');
  }
  if (fe?.statusCode === 429) return new FlowguardError('rate_limited', 'Too many requests from this client; wait a minute and try again.');
  if (fe?.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return new FlowguardError('invalid_request', fe.message);
  return new FlowguardError('internal', INTERNAL_MESSAGE, {}, { cause: error });
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, error: FlowguardError): FastifyReply {
  // The instance is the path without its query: a search term may be a name or a number. A message
  // may quote what was typed (a reference, an id in the path): full card and ID numbers never go back.
  const body = problemFor(error.code, maskFullNumbers(error.message), maskFullMobileNumbers(maskFullNumbers(request.url.split('?')[0]!)), { requestId: request.id, ...error.details });
  // A refusal that says how long to wait says it in Retry-After too (RFC 9110 §10.2.3), for clients that do not read the body.
  if (typeof error.details.retryAfterSeconds === 'number') reply.header('retry-after', String(error.details.retryAfterSeconds));
  return reply.code(body.status).type('application/problem+json; charset=utf-8').send(body);
}
