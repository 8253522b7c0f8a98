import type { Store } from '../store/database.ts';
import type { Config } from '../config.ts';
import type { Settings } from '../access/settings.ts';
import type { StatementSource } from '../bank/statement-source.ts';
import type { SmsGateway } from '../notify/sms.ts';
import type { GroupCommitter } from '../audit/log/group-commit.ts';

// Who is calling is a core type (src/core/principal.ts): every layer names callers without importing the server.
import type { Principal } from '../core/principal.ts';

/** Everything a capability's routes and services need, passed in (never looked up globally). */
export interface AppContext {
  store: Store;
  config: Config;
  settings: Settings;
  source: StatementSource;
  sms: SmsGateway;
  now: () => Date;
  /**
   * Shares one durable commit among concurrent record-only acts (repeat views of an allowed
   * request). Each caller still waits until its own entry is on disk. Absent: one commit each.
   */
  recorder?: GroupCommitter;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}
