/**
 * Who is calling: one onRequest hook for the whole app sets `request.principal` from a bearer token
 * (a Flowguard session, or a bank SSO token when OIDC is configured) or the session cookie. The
 * guards below are how every capability's routes demand a kind of caller.
 */
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { FlowguardError } from '../errors.ts';
import type { AppContext } from '../server/context.ts';
import type { CustomerPrincipal, Principal, StaffPrincipal } from '../core/principal.ts';
import { authenticateOidc, createOidcVerifier, looksLikeJwt, type OidcVerifier } from './oidc.ts';
import { loadStaffPrincipal } from './principal.ts';
import { resolveSession, SESSION_COOKIE, type ActiveSession } from './sessions.ts';
import { safeEqual } from './tokens.ts';

export type { CustomerPrincipal } from '../core/principal.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set on login routes: credentials sent along are ignored, so a stale session cannot block a new login. */
    ignoreCredentials?: boolean;
  }
}

export interface AuthenticateOptions { ctx: AppContext; oidcVerifier?: OidcVerifier }

/** Methods that change state; a cookie alone (which a browser attaches by itself) must not authorise them. */
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const CSRF_HEADER = 'x-csrf-token';

/** The session behind each authenticated request, so logout can revoke exactly that one. */
const sessionHashes = new WeakMap<FastifyRequest, string>();

/** The stored hash of the session that authenticated this request, or null (SSO, or no session). */
export function currentSessionHash(request: FastifyRequest): string | null {
  return sessionHashes.get(request) ?? null;
}

/** The global authentication hook. Wrapped with fastify-plugin so it reaches every route of the app. */
export const authenticate = fp<AuthenticateOptions>(
  async (app, { ctx, oidcVerifier }) => {
    if (!app.hasRequestDecorator('principal')) app.decorateRequest('principal', null);
    const oidc = oidcVerifier ?? (ctx.config.oidc ? createOidcVerifier(ctx.config.oidc) : null);

    app.addHook('onRequest', async (request) => {
      request.principal = null;
      if (request.routeOptions.config?.ignoreCredentials) return;
      const now = ctx.now();
      const authorization = request.headers.authorization;
      if (authorization !== undefined) {
        // An explicit header wins over the cookie, even when it is wrong: no silent fallback.
        const token = /^Bearer ([^\s]+)$/i.exec(authorization)?.[1];
        if (token === undefined) return;
        if (oidc && looksLikeJwt(token)) {
          request.principal = await authenticateOidc(ctx.store.db, oidc, token, now);
          return;
        }
        await adoptSession(request, await resolveSession(ctx.store.db, token, now), 'bearer');
        return;
      }
      const cookieToken = request.cookies[SESSION_COOKIE];
      if (!cookieToken) return;
      const session = await resolveSession(ctx.store.db, cookieToken, now);
      if (session && UNSAFE_METHODS.has(request.method)) {
        const sent = request.headers[CSRF_HEADER];
        if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken)) {
          throw new FlowguardError('csrf_mismatch', `Send the csrfToken you received at login in the ${CSRF_HEADER} header.`);
        }
      }
      await adoptSession(request, session, 'cookie');
    });

    async function adoptSession(request: FastifyRequest, session: ActiveSession | null, via: 'cookie' | 'bearer'): Promise<void> {
      if (!session) return;
      const principal: Principal | null =
        session.subject.kind === 'customer'
          ? { kind: 'customer', customerId: session.subject.customerId, via }
          : await loadStaffPrincipal(ctx.store.db, session.subject.employeeId, via);
      if (!principal) return;
      request.principal = principal;
      sessionHashes.set(request, session.tokenHash);
    }
  },
  { name: 'flowguard-authenticate', fastify: '5.x', dependencies: ['@fastify/cookie'] },
);

const SIGN_IN = 'Sign in first: send Authorization: Bearer <token> or the fg_session cookie (a credential that was sent is unknown, expired or revoked).';

/** Whoever is calling, staff or customer; 401 when nobody is signed in. */
export function requirePrincipal(request: FastifyRequest): Principal {
  if (!request.principal) throw new FlowguardError('unauthenticated', SIGN_IN);
  return request.principal;
}

/** The calling employee; 401 when nobody is signed in, 403 when the caller is a customer. */
export function requireStaff(request: FastifyRequest): StaffPrincipal {
  const principal = requirePrincipal(request);
  if (principal.kind !== 'staff') throw new FlowguardError('forbidden', 'This is for bank staff; customers use the portal.');
  return principal;
}

/** The calling employee if they hold at least one of `roles`; 403 otherwise. */
export function requireRole(request: FastifyRequest, ...roles: string[]): StaffPrincipal {
  const staff = requireStaff(request);
  if (!roles.some((role) => staff.roles.includes(role))) {
    throw new FlowguardError('forbidden', `This needs one of the roles ${roles.join(', ')}; ask your administrator if your work requires it.`);
  }
  return staff;
}

/** The calling customer; 401 when nobody is signed in, 403 when the caller is staff. */
export function requireCustomer(request: FastifyRequest): CustomerPrincipal {
  const principal = requirePrincipal(request);
  if (principal.kind !== 'customer') throw new FlowguardError('forbidden', 'This is the customer portal; staff use the console.');
  return principal;
}
