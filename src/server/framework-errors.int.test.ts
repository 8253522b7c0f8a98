/**
 * Issue 9, item 8: what fails before any route runs — a bad URL, an over-long path segment, headers
 * too large, bytes that are not HTTP, an unknown Expect — answers RFC 9457 problem+json. Over a real
 * listening socket: inject() never reaches Node's HTTP parser.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { engines } from '../../test/engines.ts';
import { startTestApp, type TestApp } from '../../test/app-harness.ts';

interface RawAnswer { status: number; headers: Record<string, string>; body: string }

/** Writes bytes to the server and reads the one answer until the server closes or it is complete. */
function rawExchange(port: number, bytes: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const finish = () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      if (split < 0) return reject(new Error(`no complete answer: ${JSON.stringify(text.slice(0, 200))}`));
      const [statusLine, ...lines] = text.slice(0, split).split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      const length = Number(headers['content-length']);
      resolve({ status: Number(statusLine!.split(' ')[1]), headers, body: Buffer.from(text.slice(split + 4)).subarray(0, length).toString('utf8') });
    };
    socket.on('data', (c) => chunks.push(c));
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', () => finish());
    socket.write(bytes);
  });
}

const get = (path: string, extra = '') => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}Connection: close\r\n\r\n`;

describe('errors before routing answer problem+json on a real socket', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await startTestApp(engines[0]!);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => t.close());

  it.each([
    ['a bad percent escape in the path', get('/api/v1/%zz'), 400, 'invalid_request', /every %/],
    ['invalid UTF-8 escaped in a path parameter', get('/api/v1/statement-requests/%ED%A0%80'), 400, 'invalid_request', /every %/],
    ['a NUL escaped in the path', get('/api/v1/%00'), 400, 'invalid_request', /NUL character/],
    ['a path segment over 100 characters', get(`/api/v1/statement-requests/${'a'.repeat(101)}`), 414, 'uri_too_long', /100 characters/],
    ['headers over 16 KiB', get('/healthz', `X-Padding: ${'a'.repeat(20_000)}\r\n`), 431, 'headers_too_large', /16 KiB/],
    ['an address over 16 KiB', get(`/api/v1/customers?q=${'a'.repeat(20_000)}`), 431, 'headers_too_large', /shorter address/],
    ['bytes that are not HTTP', 'HELLO THERE\r\n\r\n', 400, 'invalid_request', /not valid HTTP/],
    ['a method Node does not know', 'BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'invalid_request', /not valid HTTP/],
    ['conflicting Content-Length and Transfer-Encoding', 'POST /api/v1/sessions HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', 400, 'invalid_request', /not valid HTTP/],
    ['an Expect header other than 100-continue', get('/healthz', 'Expect: teapot\r\n'), 417, 'expectation_failed', /Expect/],
    ['an HTTP/1.1 request without a Host header', 'GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n', 400, 'invalid_request', /Host header/],
  ])('%s', async (_name, bytes, status, code, detail) => {
    const r = await rawExchange(port, bytes);
    expect(r.status, r.body).toBe(status);
    expect(r.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    const problem = JSON.parse(r.body);
    expect(problem).toMatchObject({ status, code, type: `https://flowguard.dev/problems/${code.replaceAll('_', '-')}`, title: expect.any(String) });
    expect(problem.detail).toMatch(detail);
    expect(problem.instance).toEqual(expect.any(String));
  });

  it('the server still answers afterwards', async () => {
    const r = await rawExchange(port, get('/api/v1/purposes'));
    expect(r.status).toBe(401);
    expect(r.headers['content-type']).toContain('application/problem+json');
  });
});
