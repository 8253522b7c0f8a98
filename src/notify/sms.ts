/**
 * Text messages to customers (one-time codes, access notifications). A bank plugs in its SMS gateway behind
 * this interface; the demo and the tests use the outbox table, which a person can read in the console
 * or with `sqlite3 data/flowguard.db 'select * from outbox'`.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.ts';

export interface SmsGateway {
  send(db: Kysely<Database> | Transaction<Database>, message: { to: string; body: string }, now: Date): Promise<void>;
}

export const outboxSms: SmsGateway = {
  async send(db, message, now) {
    await db.insertInto('outbox').values({ channel: 'sms', recipient: message.to, body: message.body, created_at: now.toISOString() }).execute();
  },
};

/** The newest message sent to a number (tests and the demo tour read codes this way). */
export async function latestSmsTo(db: Kysely<Database>, to: string): Promise<string | null> {
  const row = await db.selectFrom('outbox').select('body').where('recipient', '=', to).orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row?.body ?? null;
}
