/**
 * Builds the statement source the configuration names. The demo bank reads Flowguard's own
 * database; the others reach the bank's systems with their own connections.
 */
import { readFileSync } from 'node:fs';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/schema.ts';
import { demoBankSource, type StatementSource } from '../statement-source.ts';
import { httpStatementSource } from './http-source.ts';
import { sqlStatementSource } from './sql-source.ts';
import { DEFAULT_RETRY_POLICY } from './retry.ts';
import type { SourceConfig } from './source-config.ts';

export function openStatementSource(config: SourceConfig, db: Kysely<Database>): StatementSource {
  if (config.kind === 'demo') return demoBankSource(db);
  const tls = readTls(config.tls);
  const retry = { ...DEFAULT_RETRY_POLICY, retries: config.retries };
  const url = config.url!;
  return config.kind === 'http'
    ? httpStatementSource({ baseUrl: url, authorization: config.authorization ?? undefined, tls, timeoutMs: config.timeoutMs, retry })
    : sqlStatementSource({ url, tls, timeoutMs: config.timeoutMs, retry });
}

/** Reads the PEM files at start, so a wrong path stops the server instead of every statement. */
function readTls(paths: SourceConfig['tls']): { ca?: Buffer; cert?: Buffer; key?: Buffer } | undefined {
  const read = (path: string | null, name: string) => {
    if (path === null) return undefined;
    try {
      return readFileSync(path);
    } catch (error) {
      throw new Error(`${name} names ${path}, which cannot be read: ${(error as Error).message}`);
    }
  };
  const tls = { ca: read(paths.caPath, 'FLOWGUARD_SOURCE_CA'), cert: read(paths.certPath, 'FLOWGUARD_SOURCE_CERT'), key: read(paths.keyPath, 'FLOWGUARD_SOURCE_KEY') };
  return tls.ca || tls.cert ? Object.fromEntries(Object.entries(tls).filter(([, v]) => v !== undefined)) : undefined;
}
