/**
 * A forwarding HTTP proxy on 127.0.0.1 that flips one byte of the responses whose path matches: the
 * man in the middle (or the corrupted storage) a verifier must notice.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TamperRule {
  /** Which responses to corrupt, by request path (e.g. /^\/log\/tile\/0\/001$/). */
  readonly path: RegExp;
  /** Which byte to flip, given the body length. */
  readonly offset: (length: number) => number;
}

export interface TamperProxy {
  /** The proxy's origin; the upstream's paths are kept. */
  readonly origin: string;
  /** Paths whose bodies were altered so far. */
  readonly tampered: string[];
  close(): Promise<void>;
}

export async function startTamperProxy(upstream: string, rule: TamperRule | undefined): Promise<TamperProxy> {
  const target = new URL(upstream);
  const tampered: string[] = [];
  const server: Server = createServer((req, res) => {
    const forward = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: { ...req.headers, host: target.host } }, (up) => {
      const chunks: Buffer[] = [];
      up.on('data', (d: Buffer) => chunks.push(d));
      up.on('end', () => {
        const body = Buffer.concat(chunks);
        const path = (req.url ?? '').split('?')[0]!;
        if (rule && up.statusCode === 200 && rule.path.test(path) && body.length > 0) {
          body[rule.offset(body.length)]! ^= 0x01;
          tampered.push(path);
        }
        const headers = { ...up.headers, 'content-length': String(body.length) };
        delete headers['transfer-encoding'];
        res.writeHead(up.statusCode ?? 502, headers).end(body);
      });
    });
    forward.on('error', (e) => res.writeHead(502).end(String(e)));
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tampered,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
