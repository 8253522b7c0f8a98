/**
 * Server-side sessions. The client holds a random token; the store holds only its SHA-256, so a
 * copy of the database cannot be replayed as a login. Each session also carries a CSRF token that
 * cookie-authenticated browsers must echo in `x-csrf-token` on unsafe requests.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.ts';
import { looksLikeToken, randomToken, sha256Hex } from './tokens.ts';

/** Name of the session cookie (the OpenAPI security scheme in src/server/app.ts uses it too). */
export const SESSION_COOKIE = 'fg_session';

export type SessionSubject = { kind: 'staff'; employeeId: string } | { kind: 'customer'; customerId: string };

export interface IssuedSession {
  /** The bearer secret; returned to the client once and never stored. */
  token: string;
  csrfToken: string;
  expiresAt: string;
}

export interface ActiveSession {
  tokenHash: string;
  subject: SessionSubject;
  csrfToken: string;
  expiresAt: string;
}

type Db = Kysely<Database> | Transaction<Database>;

/** Creates a session for a subject, valid for `ttlHours` from `now`. */
export async function createSession(db: Db, subject: SessionSubject, ttlHours: number, now: Date): Promise<IssuedSession> {
  const token = randomToken();
  const csrfToken = randomToken();
  const expiresAt = new Date(now.getTime() + ttlHours * 3_600_000).toISOString();
  await db
    .insertInto('sessions')
    .values({
      token_hash: sha256Hex(token),
      subject_kind: subject.kind,
      subject_id: subject.kind === 'staff' ? subject.employeeId : subject.customerId,
      csrf_token: csrfToken,
      created_at: now.toISOString(),
      expires_at: expiresAt,
    })
    .execute();
  return { token, csrfToken, expiresAt };
}

/** The live session a token names, or null when it is malformed, unknown, revoked or expired. */
export async function resolveSession(db: Db, token: string, now: Date): Promise<ActiveSession | null> {
  if (!looksLikeToken(token)) return null;
  const row = await db
    .selectFrom('sessions')
    .selectAll()
    .where('token_hash', '=', sha256Hex(token))
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  if (!row) return null;
  // 'api' sessions belong to machine clients, which this module does not authenticate.
  if (row.subject_kind === 'api') return null;
  const subject: SessionSubject =
    row.subject_kind === 'staff' ? { kind: 'staff', employeeId: row.subject_id } : { kind: 'customer', customerId: row.subject_id };
  return { tokenHash: row.token_hash, subject, csrfToken: row.csrf_token, expiresAt: row.expires_at };
}

/** Ends a session; true when a session was removed. */
/** Deletes sessions past their expiry, which `resolveSession` no longer accepts. */
export async function purgeExpiredSessions(db: Db, now: Date): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now.toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function revokeSession(db: Db, tokenHash: string): Promise<boolean> {
  const result = await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).executeTakeFirst();
  return result.numDeletedRows > 0n;
}
