/**
 * Bank single sign-on: a JWT issued by the bank's identity provider (OpenID Connect), verified
 * against its published keys, names an employee by a username claim. The token grants nothing the
 * employee record does not: an unknown or departed employee is not authenticated.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { Kysely } from 'kysely';
import type { OidcConfig } from '../config.ts';
import type { Database } from '../store/schema.ts';
import type { StaffPrincipal } from '../core/principal.ts';
import { findEmployeeByUsername, staffPrincipalOf } from './principal.ts';

/** Asymmetric algorithms only: a shared-secret (HS*) or unsigned ("none") token is never accepted. */
export const OIDC_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'];

/** Leeway for clocks that disagree with the provider's (seconds). */
export const OIDC_CLOCK_TOLERANCE_SECONDS = 30;

export interface OidcVerifier {
  /** The username the token names, or null when the token is not valid for Flowguard now. */
  usernameOf(token: string, now: Date): Promise<string | null>;
}

/** True when a bearer value has the compact JWS shape (header.payload.signature, header a JSON object). */
export function looksLikeJwt(token: string): boolean {
  return /^eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token);
}

/**
 * A verifier for one provider. Refuses a configuration without issuer or audience, because jose
 * skips a check whose expected value is empty and any token signed by those keys would then pass.
 */
export function createOidcVerifier(config: OidcConfig, keys: JWTVerifyGetKey = createRemoteJWKSet(new URL(config.jwksUrl))): OidcVerifier {
  if (!config.issuer || !config.audience || !config.usernameClaim) {
    throw new Error('OIDC needs an issuer, an audience and a username claim: set FLOWGUARD_OIDC_ISSUER and FLOWGUARD_OIDC_AUDIENCE.');
  }
  return {
    async usernameOf(token, now) {
      try {
        const { payload } = await jwtVerify(token, keys, {
          issuer: config.issuer,
          audience: config.audience,
          algorithms: OIDC_ALGORITHMS,
          currentDate: now,
          clockTolerance: OIDC_CLOCK_TOLERANCE_SECONDS,
          requiredClaims: ['exp', config.usernameClaim],
        });
        const username = payload[config.usernameClaim];
        return typeof username === 'string' && username.length > 0 ? username : null;
      } catch (error) {
        // A provider we cannot reach is an outage to report, not a bad token to shrug off.
        if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) throw error;
        if (error instanceof errors.JOSEError) return null;
        throw error;
      }
    },
  };
}

/** The staff principal for a valid SSO token: an existing employee who has not left, or null. */
export async function authenticateOidc(db: Kysely<Database>, verifier: OidcVerifier, token: string, now: Date): Promise<StaffPrincipal | null> {
  const username = await verifier.usernameOf(token, now);
  if (username === null) return null;
  const employee = await findEmployeeByUsername(db, username);
  return employee ? staffPrincipalOf(db, employee, 'oidc') : null;
}
