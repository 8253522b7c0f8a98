/**
 * Server logs never carry a customer's full numbers or a credential: pino redacts the known fields,
 * and request logs keep the path without the query string (search terms could be names or numbers),
 * with any full card, ID or mobile number in it masked.
 */
import type { FastifyServerOptions } from 'fastify';
import { maskFullMobileNumbers, maskFullNumbers } from '../privacy/full-numbers.ts';

/** `level` comes from the configuration (FLOWGUARD_LOG_LEVEL, read once in src/config.ts). */
export function loggerOptions(level = 'info'): FastifyServerOptions['logger'] {
  return {
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]', '*.password', '*.code'],
      censor: '[redacted]',
    },
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({ method: req.method, path: maskFullMobileNumbers(maskFullNumbers(req.url.split('?')[0]!)), id: req.id }),
    },
  };
}
