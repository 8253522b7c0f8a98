/**
 * Whose budget a request spends. A signed-in caller spends their own: a branch's tellers often share
 * one NAT address, and one of them (or one stolen session) must not use up the budget of the others.
 * Only requests nobody signed in for are counted by address. The authentication hook runs before the
 * limiter (it is an app-wide onRequest hook; the limiter's is added per route, and route hooks run
 * after the app's), so the principal is known here.
 */
import type { FastifyRequest } from 'fastify';

export function rateLimitKey(request: Pick<FastifyRequest, 'principal' | 'ip'>): string {
  const principal = request.principal;
  if (principal?.kind === 'staff') return `staff:${principal.employeeId}`;
  if (principal?.kind === 'customer') return `customer:${principal.customerId}`;
  return `address:${request.ip}`;
}
