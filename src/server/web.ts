/**
 * Serves the built web console (`/`, `/console/…`) and customer portal (`/portal…`) from web/dist.
 * Each HTML response gets a fresh CSP nonce: Ant Design injects its styles in <style> elements that
 * carry the nonce (ConfigProvider `csp`), so the page's policy needs no 'unsafe-inline' at all.
 * Scripts load only from this origin. The API keeps the policy set in app.ts.
 */
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import fp from 'fastify-plugin';
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';

/** Where `node bin/build-web.mjs` writes the bundle. */
export const WEB_DIST = resolve(new URL('../../web/dist', import.meta.url).pathname);

/** The placeholder the console's index.html carries where the per-response nonce goes. */
export const NONCE_PLACEHOLDER = '__CSP_NONCE__';

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** The console's policy: styles only from this origin or with this response's nonce; no inline script. */
export function consolePolicy(nonce: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

async function sendPage(reply: FastifyReply, template: string | null): Promise<FastifyReply> {
  if (template === null) {
    return reply.code(503).type('text/plain; charset=utf-8').header('cache-control', 'no-store')
      .send('The web console is not built. Run `npm start` (it builds web/ first) or `node bin/build-web.mjs`.\n');
  }
  const nonce = randomBytes(18).toString('base64');
  return reply
    .type('text/html; charset=utf-8')
    .header('content-security-policy', consolePolicy(nonce))
    .header('cache-control', 'no-store')
    .send(template.replaceAll(NONCE_PLACEHOLDER, nonce));
}

const plugin: FastifyPluginAsync<{ dist?: string }> = async (app, opts) => {
  const dist = opts.dist ?? WEB_DIST;
  // Read per page (a small file) so a rebuild under a running server is picked up at once.
  const template = async (): Promise<string | null> => readFile(join(dist, 'index.html'), 'utf8').catch(() => null);

  const page = { schema: { hide: true } };
  for (const url of ['/', '/console', '/console/*', '/portal', '/portal/*']) {
    app.get(url, page, async (_req, reply) => sendPage(reply, await template()));
  }

  app.get('/assets/*', page, async (req, reply) => {
    const rel = normalize((req.params as { '*': string })['*']);
    const file = resolve(dist, 'assets', rel);
    if (!file.startsWith(join(dist, 'assets')) || rel.startsWith('..')) return reply.callNotFound();
    try {
      if (!(await stat(file)).isFile()) return reply.callNotFound();
      const body = await readFile(file);
      // Vite names assets by content hash, so a name never changes meaning.
      return reply.type(CONTENT_TYPES[extname(file)] ?? 'application/octet-stream')
        .header('cache-control', 'public, max-age=31536000, immutable').send(body);
    } catch {
      return reply.callNotFound();
    }
  });
};

/** The console and portal pages and their assets. */
export const webConsole = fp(plugin, { name: 'flowguard-web', fastify: '5.x' });
