import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { engines } from '../../test/engines.ts';
import type { OidcConfig } from '../config.ts';
import { auditEntries, buildIdentityTestApp, START, type IdentityTestApp } from './test-fixtures.ts';

const ISSUER = 'https://sso.bank.example';
const AUDIENCE = 'flowguard';

interface SigningKey { kid: string; alg: string; privateKey: CryptoKey; jwk: JWK }

async function signingKey(kid: string, alg: 'RS256' | 'ES256' | 'EdDSA'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, alg === 'EdDSA' ? { crv: 'Ed25519' } : {});
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** The bank's identity provider as Flowguard sees it: a JWKS document over HTTP on 127.0.0.1. */
async function startJwksServer(keys: SigningKey[]): Promise<{ server: Server; url: string }> {
  const body = JSON.stringify({ keys: keys.map((k) => k.jwk) });
  const server = createServer((req, res) => {
    if (req.url !== '/jwks') return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks` };
}

const seconds = (d: Date) => Math.floor(d.getTime() / 1000);

function token(key: SigningKey, claims: Record<string, unknown>, opts: { issuer?: string; audience?: string; expiresAt?: Date } = {}) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setIssuer(opts.issuer ?? ISSUER)
    .setAudience(opts.audience ?? AUDIENCE)
    .setIssuedAt(seconds(START))
    .setExpirationTime(seconds(opts.expiresAt ?? new Date(START.getTime() + 600_000)))
    .sign(key.privateKey);
}

describe.each(engines)('bank SSO (OIDC) tokens on $name', (engine) => {
  let rsa: SigningKey;
  let ec: SigningKey;
  let ed: SigningKey;
  let stranger: SigningKey;
  let jwks: { server: Server; url: string };
  let t: IdentityTestApp;

  beforeAll(async () => {
    [rsa, ec, ed, stranger] = await Promise.all([signingKey('rsa-1', 'RS256'), signingKey('ec-1', 'ES256'), signingKey('ed-1', 'EdDSA'), signingKey('rsa-x', 'RS256')]);
    jwks = await startJwksServer([rsa, ec, ed]);
  });
  afterAll(async () => { await new Promise((resolve) => jwks.server.close(resolve)); });

  beforeEach(async () => {
    const oidc: OidcConfig = { issuer: ISSUER, audience: AUDIENCE, jwksUrl: jwks.url, usernameClaim: 'preferred_username' };
    t = await buildIdentityTestApp(await engine.freshUrl(), { oidc });
  });
  afterEach(async () => { await t.close(); });

  const call = (jwt: string, method: 'GET' | 'POST' = 'GET') =>
    t.app.inject({ method, url: '/test/staff', headers: { authorization: `Bearer ${jwt}` } });

  it('accepts a valid token for an active employee, signed with RS256, ES256 or EdDSA', async () => {
    for (const key of [rsa, ec, ed]) {
      const res = await call(await token(key, { preferred_username: 'alice' }));
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ employeeId: 'E-ALICE' });
    }
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${await token(rsa, { preferred_username: 'bob' })}` } });
    expect(me.json()).toMatchObject({ kind: 'staff', employeeId: 'E-BOB', roles: ['approver', 'requester'], via: 'oidc' });
  });

  it('needs no CSRF token (a bearer header is never sent by a browser on its own)', async () => {
    expect((await call(await token(rsa, { preferred_username: 'alice' }), 'POST')).statusCode).toBe(200);
  });

  describe('rejects', () => {
    const cases: Array<[string, () => Promise<string>]> = [
      ['a wrong issuer', () => token(rsa, { preferred_username: 'alice' }, { issuer: 'https://evil.example' })],
      ['a wrong audience', () => token(rsa, { preferred_username: 'alice' }, { audience: 'another-app' })],
      ['an expired token', () => token(rsa, { preferred_username: 'alice' }, { expiresAt: new Date(START.getTime() - 60_000) })],
      ['a key the provider does not publish', () => token(stranger, { preferred_username: 'alice' })],
      ['an unknown employee', () => token(rsa, { preferred_username: 'mallory' })],
      ['an employee who left', () => token(rsa, { preferred_username: 'carol' })],
      ['a token without the username claim', () => token(rsa, { sub: 'alice' })],
      ['a shared-secret (HS256) token', () =>
        new SignJWT({ preferred_username: 'alice' }).setProtectedHeader({ alg: 'HS256' }).setIssuer(ISSUER).setAudience(AUDIENCE)
          .setExpirationTime(seconds(START) + 600).sign(new TextEncoder().encode('a-secret-anyone-could-have-32-bytes!'))],
    ];
    it.each(cases)('%s with 401', async (_name, make) => {
      const res = await call(await make());
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('unauthenticated');
    });

    it('a tampered payload with 401', async () => {
      const [h, , s] = (await token(rsa, { preferred_username: 'alice' })).split('.');
      const forged = Buffer.from(JSON.stringify({ preferred_username: 'bob', iss: ISSUER, aud: AUDIENCE, exp: seconds(START) + 600 })).toString('base64url');
      expect((await call(`${h}.${forged}.${s}`)).statusCode).toBe(401);
    });
  });

  it('has no Flowguard session to end: logout answers 204 and records nothing', async () => {
    const res = await t.app.inject({ method: 'DELETE', url: '/api/v1/sessions/current', headers: { authorization: `Bearer ${await token(rsa, { preferred_username: 'alice' })}` } });
    expect(res.statusCode).toBe(204);
    expect(await auditEntries(t.store)).toEqual([]);
  });
});

describe.each(engines)('an unreachable identity provider on $name', (engine) => {
  it('is a server error, not a quiet 401', async () => {
    const key = await signingKey('rsa-1', 'RS256');
    const { server, url } = await startJwksServer([key]);
    await new Promise((resolve) => server.close(resolve));
    const t = await buildIdentityTestApp(await engine.freshUrl(), { oidc: { issuer: ISSUER, audience: AUDIENCE, jwksUrl: url, usernameClaim: 'preferred_username' } });
    try {
      const res = await t.app.inject({ method: 'GET', url: '/test/staff', headers: { authorization: `Bearer ${await token(key, { preferred_username: 'alice' })}` } });
      expect(res.statusCode).toBe(500);
      expect(res.json().code).toBe('internal');
    } finally {
      await t.close();
    }
  });
});
