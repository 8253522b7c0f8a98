/**
 * The thin server: security headers, rate limits, OpenAPI, problem+json errors, health and metrics,
 * then each capability's routes. Capabilities own their routes; nothing about customers is read here.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { randomUUID } from 'node:crypto';
import type { AppContext } from './context.ts';
import { sendProblem, toFlowguardError } from './problem.ts';
import { FlowguardError } from '../errors.ts';
import { loggerOptions } from './logging.ts';
import { recordUnrecordedRefusal } from './refusal-record.ts';
import { inputHygiene, numberHygiene } from './input-hygiene.ts';
import { clientErrorHandler, MAX_PARAM_LENGTH, refuseExpectation, refuseMissingHost, sendFrameworkProblem } from './framework-errors.ts';
import { rateLimitKey } from './rate-limit-key.ts';
import { databaseRateLimitStore } from './rate-limit-store.ts';
import { metricsPlugin } from './metrics.ts';
import { identityRoutes } from '../identity/routes.ts';
import { accessRoutes } from '../access/routes.ts';
import { customerRoutes } from '../customers/routes.ts';
import { logRoutes } from '../audit/log/routes.ts';
import { historyShowsEntry } from '../customers/entry-visibility.ts';
import { oversightRoutes } from '../oversight/routes.ts';
import { webConsole } from './web.ts';
import { routeContext } from '../access/customer-data.ts';

declare module 'fastify' {
  interface FastifyInstance {
    registeredRoutes: Array<{ method: string; url: string }>;
  }
}

export interface AppOptions { logger?: boolean; rateLimitMax?: number }

export async function buildApp(ctx: AppContext, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger === false ? false : loggerOptions(ctx.config.logLevel),
    bodyLimit: 64 * 1024,
    genReqId: () => randomUUID(),
    trustProxy: false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
    // What fails before routing (a bad URL, an over-long segment, bytes that are not HTTP) answers problem+json too.
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors: sendFrameworkProblem,
    clientErrorHandler,
    // Node would answer a missing Host with a bare 400 of its own; refuseMissingHost answers problem+json.
    http: { requireHostHeader: false },
  });
  app.server.on('checkExpectation', refuseExpectation);
  app.addHook('onRequest', refuseMissingHost);
  app.decorateRequest('principal', null);
  // The route list, for the tests that walk every registered route.
  const routes: Array<{ method: string; url: string }> = [];
  app.decorate('registeredRoutes', routes);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push({ method, url: r.url });
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"], // Swagger UI only; the console sets its own nonce policy
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
      },
    },
    hsts: { maxAge: 31_536_000, includeSubDomains: true },
    referrerPolicy: { policy: 'no-referrer' },
  });
  await app.register(cookie);
  // Counted in the database, so the limit holds across every node (rate-limit-store.ts).
  await app.register(rateLimit, { max: opts.rateLimitMax ?? 600, timeWindow: '1 minute', keyGenerator: rateLimitKey, store: databaseRateLimitStore(ctx.store.db, ctx.now) });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Flowguard API',
        version: '1',
        description: 'Purpose-bound access to customers\' bank statements. Errors are RFC 9457 problem+json.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'fg_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  app.setErrorHandler(async (error, request, reply) => {
    const fe = toFlowguardError(error);
    if (fe.code === 'internal') request.log.error({ err: error }, 'internal error');
    // The bank's system failing is for operators to see; the cause says how (never the bank's data).
    else if (fe.code === 'source_unavailable' || fe.code === 'source_invalid_response') request.log.error({ err: error }, 'statement source failed');
    await recordUnrecordedRefusal(ctx, request, fe);
    return sendProblem(reply, request, fe);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, request, new FlowguardError('not_found', `Nothing at ${request.method} ${request.url.split('?')[0]}; see /docs for the API.`)),
  );

  await app.register(metricsPlugin);
  app.get('/healthz', { schema: { hide: true } }, async () => {
    await ctx.store.db.selectFrom('audit_entries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirst();
    // A gate whose policy engine fails is down even if the database answers; asking also mends it.
    const engine = ctx.settings.policy().health();
    if (!engine.ok) throw new FlowguardError('policy_engine_unavailable', 'The policy engine failed and is being rebuilt from the last good policy set; statement requests are refused until it answers again.');
    return { status: 'ok' };
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  // Before every route: malformed text and personal numbers typed where they do not belong are refused.
  await app.register(inputHygiene, { ctx });
  await app.register(numberHygiene);
  // Routes get a context whose statement source refuses: customer data only through customerData(…).
  const routeCtx = routeContext(ctx);
  await app.register(identityRoutes, { ctx: routeCtx });
  await app.register(accessRoutes, { ctx: routeCtx });
  await app.register(customerRoutes, { ctx: routeCtx });
  // The log asks the customers capability whether a customer may read an entry (audit sits below it).
  await app.register(logRoutes, { ctx: routeCtx, historyShowsEntry: (customerId, seq) => historyShowsEntry(ctx, customerId, seq) });
  await app.register(oversightRoutes, { ctx: routeCtx });
  await app.register(webConsole);
  return app;
}
