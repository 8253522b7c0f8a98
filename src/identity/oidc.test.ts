import { describe, expect, it } from 'vitest';
import { createLocalJWKSet } from 'jose';
import { createOidcVerifier, looksLikeJwt } from './oidc.ts';

describe('looksLikeJwt', () => {
  it('accepts the compact JWS shape and nothing else', () => {
    expect(looksLikeJwt('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln')).toBe(true);
    expect(looksLikeJwt('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.')).toBe(false);
    expect(looksLikeJwt('abc.def.ghi')).toBe(false);
    expect(looksLikeJwt('N2Y5ZmQ0ZjktM2QxZS00MzM5LWE0ZjMtZWZkY2U0NjE')).toBe(false);
  });
});

describe('createOidcVerifier', () => {
  const keys = createLocalJWKSet({ keys: [] });
  it('refuses a configuration without issuer or audience (jose would skip those checks)', () => {
    expect(() => createOidcVerifier({ issuer: '', audience: 'flowguard', jwksUrl: 'http://127.0.0.1/jwks', usernameClaim: 'sub' }, keys)).toThrow(/issuer/);
    expect(() => createOidcVerifier({ issuer: 'https://sso', audience: '', jwksUrl: 'http://127.0.0.1/jwks', usernameClaim: 'sub' }, keys)).toThrow(/audience/);
  });
});
