/**
 * Errors Fastify and Node's HTTP parser answer before any route runs: a malformed or over-long
 * address, headers too large, a request that is not HTTP/1.1 at all. Left alone they answer in
 * Fastify's own JSON or Node's empty bodies; here they answer RFC 9457 problem+json like every other
 * error, so a client (and the fuzz test) sees one shape whatever went wrong.
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { FlowguardError } from '../errors.ts';
import { problemFor, sendProblem } from './problem.ts';

/** find-my-way's default: no id Flowguard hands out is longer than 100 characters. */
export const MAX_PARAM_LENGTH = 100;

/** Node's default `--max-http-header-size`, the request line included. */
const MAX_HEADER_BYTES = '16 KiB';

/** Fastify's `frameworkErrors`: a bad URL or an over-long path segment, before routing. */
export function sendFrameworkProblem(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendProblem(reply, request, frameworkError(error));
}

function frameworkError(error: FastifyError): FlowguardError {
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return new FlowguardError('invalid_request', 'The address is not valid: every % must start a UTF-8 byte written as two hex digits (e.g. %E5%BC%A0 for 张). Fix the URL and send it again.');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new FlowguardError('uri_too_long', `A segment of the address is longer than ${MAX_PARAM_LENGTH} characters; no Flowguard id is that long. Check the URL.`);
    default:
      return new FlowguardError('internal', 'Something went wrong on our side; the incident was logged. Try again, or contact the Flowguard administrators.', {}, { cause: error });
  }
}

/** What Node's parser reported, as a coded error. */
export function clientError(error: NodeJS.ErrnoException): FlowguardError {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new FlowguardError('headers_too_large', `The request line and headers are larger than the ${MAX_HEADER_BYTES} the server reads; send a shorter address and fewer or smaller headers (cookies included).`);
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'ERR_HTTP_HEADERS_TIMEOUT':
      return new FlowguardError('request_timeout', 'The request did not arrive completely in time; send it again.');
    default:
      return new FlowguardError('invalid_request', 'The request is not valid HTTP/1.1 (request line, headers or framing); send a well-formed request.');
  }
}

/** A problem for an exchange that never became a Fastify request: it is named by a fresh id. */
function detachedProblemBody(error: FlowguardError): string {
  const requestId = randomUUID();
  return JSON.stringify(problemFor(error.code, error.message, `urn:uuid:${requestId}`, { requestId }));
}

/** A complete HTTP/1.1 response carrying a problem, for a socket Fastify never turned into a request. */
export function rawProblemResponse(error: FlowguardError): string {
  const body = detachedProblemBody(error);
  return [
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}`,
    'Content-Type: application/problem+json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'Cache-Control: no-store',
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/**
 * Fastify's `clientErrorHandler`: Node's parser gave up on the bytes, so there is no request to reply
 * to; the answer is written to the socket, which is then closed (the stream cannot be trusted).
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Duplex): void {
  // A reset or closed connection has nobody left to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  if (socket.writable) socket.end(rawProblemResponse(clientError(error)));
  else socket.destroy(error);
}

/**
 * Node answers an `Expect` header it does not know with an empty 417 unless someone listens; this
 * listener answers in problem+json instead.
 */
export function refuseExpectation(_request: IncomingMessage, response: ServerResponse): void {
  const body = detachedProblemBody(new FlowguardError('expectation_failed', 'The server supports no Expect header other than 100-continue; send the request without it.'));
  response.writeHead(417, { 'content-type': 'application/problem+json; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', connection: 'close' });
  response.end(body);
}

/**
 * RFC 9112 §3.2: a server MUST answer 400 to an HTTP/1.1 request without a Host header. Node does so
 * itself with an empty body unless told not to (`requireHostHeader: false`); this answers in
 * problem+json instead, before anything else looks at the request.
 */
export async function refuseMissingHost(request: FastifyRequest): Promise<void> {
  const { raw } = request;
  if (raw.httpVersionMajor === 1 && raw.httpVersionMinor >= 1 && raw.headers.host === undefined) {
    throw new FlowguardError('invalid_request', 'An HTTP/1.1 request needs a Host header (RFC 9112 §3.2); send one, e.g. "Host: flowguard.bank.example".');
  }
}
