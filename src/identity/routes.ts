/**
 * Identity over HTTP: staff sessions, the current principal, the customer portal's SMS login, and
 * an administrator's release of a colleague's sign-in. Routes parse and answer; the services decide
 * and record.
 */
import fp from 'fastify-plugin';
import type { FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { BANK_ROLES } from '../core/staff.ts';
import { appendAuditEntry } from '../audit/record.ts';
import type { AppContext } from '../server/context.ts';
import { authenticate, currentSessionHash, requirePrincipal, requireRole } from './authenticate.ts';
import { DEVICE_COOKIE_MAX_AGE_SECONDS, DEVICE_COOKIE_PATH, deviceCookieName } from './device-cookie.ts';
import { releaseLogin } from './login-release.ts';
import { loginWithPortalCode, requestPortalCode } from './portal-login.ts';
import { MOBILE_PATTERN, PORTAL_CODE_DIGITS } from './portal-codes.ts';
import { auditActorOf } from './principal.ts';
import { revokeSession, SESSION_COOKIE, type IssuedSession } from './sessions.ts';
import { loginWithPassword } from './staff-login.ts';

const TAGS = ['identity'];

const SessionBody = {
  token: Type.String({ description: 'Bearer token for API clients; browsers use the fg_session cookie set alongside.' }),
  csrfToken: Type.String({ description: 'Echo in the x-csrf-token header on POST/PUT/PATCH/DELETE when using the cookie.' }),
  expiresAt: Type.String({ format: 'date-time' }),
};

const BankRole = Type.Enum(BANK_ROLES);

const StaffLoginResponse = Type.Object({
  ...SessionBody,
  employee: Type.Object({
    id: Type.String(),
    displayName: Type.String(),
    pseudonym: Type.String(),
    branchId: Type.String(),
    bankRole: BankRole,
    roles: Type.Array(Type.String()),
  }),
});

const PrincipalResponse = Type.Union([
  Type.Object({
    kind: Type.Literal('staff'),
    employeeId: Type.String(),
    username: Type.String(),
    displayName: Type.String(),
    pseudonym: Type.String(),
    branchId: Type.String(),
    bankRole: BankRole,
    roles: Type.Array(Type.String()),
    status: Type.Union([Type.Literal('active'), Type.Literal('on_notice'), Type.Literal('left')]),
    via: Type.Union([Type.Literal('cookie'), Type.Literal('bearer'), Type.Literal('oidc')]),
  }),
  Type.Object({ kind: Type.Literal('customer'), customerId: Type.String(), via: Type.Union([Type.Literal('cookie'), Type.Literal('bearer')]) }),
]);

const Mobile = Type.String({ pattern: MOBILE_PATTERN, description: 'Mainland China mobile number, 11 digits.' });

/**
 * Registers the global authentication hook and the identity routes. Wrapped with fastify-plugin so
 * the hook is not encapsulated: it applies to every route registered after it, in every capability.
 */
export const identityRoutes = fp<{ ctx: AppContext }>(
  async (fastify, { ctx }) => {
    await fastify.register(authenticate, { ctx });
    const app = fastify.withTypeProvider<TypeBoxTypeProvider>();

    const setSessionCookie = (reply: FastifyReply, session: IssuedSession) =>
      reply
        .setCookie(SESSION_COOKIE, session.token, {
          httpOnly: true,
          sameSite: 'strict',
          secure: ctx.config.secureCookies,
          path: '/',
          expires: new Date(session.expiresAt),
        })
        // Tokens in the body must not land in any cache (RFC 6749 §5.1 asks the same of token responses).
        .header('cache-control', 'no-store');

    app.post('/api/v1/sessions', {
      config: { ignoreCredentials: true },
      schema: {
        tags: TAGS,
        summary: 'Sign in with username and password',
        description:
          'Returns a bearer token and sets the fg_session cookie and a device cookie (fg_device_…, path /api/v1/sessions) that makes this ' +
          'client a trusted device for this username. A wrong password and an unknown username give the same 401. Repeated failures ' +
          'earn a growing delay (429 too_many_attempts with Retry-After; the attempt is not checked); after many from clients that are ' +
          'not a trusted device the username is locked for them until its owner signs in from a trusted device or an administrator ' +
          'releases it. A trusted device is never held back by failures elsewhere.',
        security: [],
        body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 128 }), password: Type.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false }),
        response: { 201: StaffLoginResponse },
      },
    }, async (request, reply) => {
      const cookieName = deviceCookieName(ctx.config.deviceSecret, request.body.username);
      // A delay's wait goes out as Retry-After too: sendProblem sends a refusal's retryAfterSeconds so.
      const { session, principal, deviceCookie } = await loginWithPassword(ctx, {
        ...request.body, ip: request.ip, traceId: request.id, deviceCookie: request.cookies[cookieName],
      });
      reply.setCookie(cookieName, deviceCookie, {
        httpOnly: true,
        sameSite: 'strict',
        secure: ctx.config.secureCookies,
        path: DEVICE_COOKIE_PATH,
        maxAge: DEVICE_COOKIE_MAX_AGE_SECONDS,
      });
      setSessionCookie(reply, session).code(201);
      return {
        ...session,
        employee: {
          id: principal.employeeId,
          displayName: principal.displayName,
          pseudonym: principal.pseudonym,
          branchId: principal.branchId,
          bankRole: principal.bankRole,
          roles: principal.roles,
        },
      };
    });

    app.delete('/api/v1/sessions/current', {
      schema: { tags: TAGS, summary: 'Sign out: revoke the session that authenticated this request' },
    }, async (request, reply) => {
      const principal = requirePrincipal(request);
      const tokenHash = currentSessionHash(request);
      // An SSO token has no Flowguard session to end; the provider signs the employee out.
      if (tokenHash) {
        const now = ctx.now();
        await ctx.store.db.transaction().execute(async (trx) => {
          if (await revokeSession(trx, tokenHash)) {
            await appendAuditEntry(trx, { action: 'logout', actor: auditActorOf(principal), detail: { via: principal.via }, traceId: request.id }, now);
          }
        });
      }
      return reply.clearCookie(SESSION_COOKIE, { path: '/' }).code(204).send();
    });

    app.post('/api/v1/admin/employees/:id/login-release', {
      schema: {
        tags: ['admin'],
        summary: "Release an employee's sign-in after failed attempts",
        description:
          "Forgets the employee's failed sign-ins, delays and lock, so they can sign in from any browser again. Administrators only, " +
          'never for themselves (403 self_release). Recorded as login.released.',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: {
          200: Type.Object({
            employeeId: Type.String(),
            was: Type.Union([Type.Literal('locked'), Type.Literal('delayed'), Type.Literal('free')], { description: 'The sign-in state before the release.' }),
            failures: Type.Integer({ description: 'Failed sign-ins the account had counted.' }),
          }),
        },
      },
    }, async (request) => releaseLogin(ctx, requireRole(request, 'admin'), request.params.id, request.id));

    app.get('/api/v1/me', {
      schema: { tags: TAGS, summary: 'Who am I: the authenticated staff member or customer', response: { 200: PrincipalResponse } },
    }, async (request) => requirePrincipal(request));

    app.post('/api/v1/portal/codes', {
      config: { ignoreCredentials: true },
      schema: {
        tags: ['portal'],
        summary: 'Send a customer a login code by SMS',
        description: 'Always answers 202, whether or not the number belongs to a customer.',
        security: [],
        body: Type.Object({ mobile: Mobile }, { additionalProperties: false }),
        response: { 202: Type.Object({ sent: Type.Literal(true), expiresInSeconds: Type.Integer() }) },
      },
    }, async (request, reply) => {
      const { expiresInSeconds } = await requestPortalCode(ctx, { mobile: request.body.mobile, ip: request.ip, traceId: request.id });
      reply.code(202);
      return { sent: true as const, expiresInSeconds };
    });

    app.post('/api/v1/portal/sessions', {
      config: { ignoreCredentials: true },
      schema: {
        tags: ['portal'],
        summary: 'Sign in to the customer portal with the SMS code',
        security: [],
        body: Type.Object({
          mobile: Mobile,
          code: Type.String({ pattern: `^[0-9]{${PORTAL_CODE_DIGITS}}$` }),
        }, { additionalProperties: false }),
        response: { 201: Type.Object(SessionBody) },
      },
    }, async (request, reply) => {
      const session = await loginWithPortalCode(ctx, { ...request.body, ip: request.ip, traceId: request.id });
      setSessionCookie(reply, session).code(201);
      return session;
    });
  },
  { name: 'flowguard-identity', fastify: '5.x' },
);
