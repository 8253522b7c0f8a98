import { sql, type Kysely } from 'kysely';
import type { EngineMigration } from './index.ts';

/**
 * Progressive sign-in delays (src/identity/login-delays.ts): per account from untrusted clients, per
 * trusted device, per client address. They replace the fixed locks `login_throttle` held for staff
 * accounts and for addresses; that table keeps only the per-mobile limits of the portal, so the
 * counts it held for the moved scopes are dropped here (they no longer decide anything).
 */
export const loginDelayTables: EngineMigration = () => ({
  async up(db: Kysely<any>) {
    await db.schema.createTable('login_delays')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('window_start', 'text', (c) => c.notNull())
      .addColumn('last_failure_at', 'text', (c) => c.notNull())
      .addColumn('locked_at', 'text')
      .execute();
    await db.deleteFrom('login_throttle')
      .where((eb) => eb.or(['login-user:%', 'login-ip:%', 'portal-ip:%', 'sms-ip:%'].map((p) => eb(sql.ref('key'), 'like', p))))
      .execute();
  },
});
