import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { EngineTypes } from '../dialect/dialect-kind.ts';
import { bankTables } from './0001-bank.ts';
import { accessTables } from './0002-access.ts';
import { auditTables } from './0003-audit.ts';
import { logTables } from './0004-log.ts';
import { customerAlertTables } from './0005-customer-alerts.ts';
import { customerEmployeeIndex } from './0006-customer-employee-index.ts';
import { ticketDocumentIndex } from './0007-ticket-document-index.ts';
import { logShreddingIndex } from './0008-log-shredding-index.ts';
import { loginDelayTables } from './0009-login-delays.ts';
import { entryOpeningTables } from './0010-entry-openings.ts';
import { refusalTallyTables } from './0011-refusal-tallies.ts';
import { counterCodeIndexes } from './0012-counter-code-indexes.ts';
import { recordConsumerTables } from './0013-record-consumers.ts';
import { accessNotificationTables } from './0014-access-notifications.ts';
import { settingsVersionTables } from './0015-settings-version.ts';
import { FlowguardError } from '../../errors.ts';

/** A migration that may pick engine-specific column types (and nothing else) from `EngineTypes`. */
export type EngineMigration = (t: EngineTypes) => Migration;

const MIGRATIONS: Record<string, EngineMigration> = {
  '0001-bank': bankTables,
  '0002-access': accessTables,
  '0003-audit': auditTables,
  '0004-log': logTables,
  '0005-customer-alerts': customerAlertTables,
  '0006-customer-employee-index': customerEmployeeIndex,
  '0007-ticket-document-index': ticketDocumentIndex,
  '0008-log-shredding-index': logShreddingIndex,
  '0009-login-delays': loginDelayTables,
  '0010-entry-openings': entryOpeningTables,
  '0011-refusal-tallies': refusalTallyTables,
  '0012-counter-code-indexes': counterCodeIndexes,
  '0013-record-consumers': recordConsumerTables,
  '0014-access-notifications': accessNotificationTables,
  '0015-settings-version': settingsVersionTables,
};

export async function migrateToLatest(db: Kysely<any>, engine: EngineTypes): Promise<void> {
  const provider: MigrationProvider = {
    getMigrations: async () => Object.fromEntries(Object.entries(MIGRATIONS).map(([k, m]) => [k, m(engine)])),
  };
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new FlowguardError('internal', `Database migration ${failed} failed: ${(error as Error).message}`, {}, { cause: error });
  }
}
