/**
 * Which statement source serves statements, read once from the environment (FLOWGUARD_SOURCE_*).
 * The Authorization value is a secret and comes only from the environment; the TLS files are named
 * by path and read when the source opens.
 */
import { DEFAULT_RETRY_POLICY } from './retry.ts';

export type SourceKind = 'demo' | 'http' | 'sql';

export interface SourceConfig {
  /** FLOWGUARD_SOURCE: `demo` (the embedded bank, default), `http` (the bank's statement service) or `sql` (views in its PostgreSQL). */
  kind: SourceKind;
  /** FLOWGUARD_SOURCE_URL: the service's base URL (https://…) or the database URL (postgres://…). */
  url: string | null;
  /** FLOWGUARD_SOURCE_AUTHORIZATION: the Authorization header sent to the service, e.g. "Bearer …". */
  authorization: string | null;
  /** FLOWGUARD_SOURCE_CA / _CERT / _KEY: PEM files — the server's CA, and the client certificate and key for mutual TLS. */
  tls: { caPath: string | null; certPath: string | null; keyPath: string | null };
  /** FLOWGUARD_SOURCE_TIMEOUT_MS: per attempt (default 10 s). */
  timeoutMs: number;
  /** FLOWGUARD_SOURCE_RETRIES: retries after a failed attempt (default 2, at most 5). */
  retries: number;
}

const KINDS: readonly SourceKind[] = ['demo', 'http', 'sql'];

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, not "${value}".`);
  return n;
}

export function loadSourceConfig(env: NodeJS.ProcessEnv): SourceConfig {
  const kind = (env.FLOWGUARD_SOURCE || 'demo') as SourceKind;
  if (!KINDS.includes(kind)) throw new Error(`FLOWGUARD_SOURCE must be one of ${KINDS.join(', ')}, not "${env.FLOWGUARD_SOURCE}".`);
  const url = env.FLOWGUARD_SOURCE_URL || null;
  if (kind === 'http' && !/^https?:\/\//.test(url ?? '')) throw new Error('FLOWGUARD_SOURCE=http needs FLOWGUARD_SOURCE_URL, the statement service\'s base URL (https://…).');
  if (kind === 'sql' && !/^postgres(ql)?:\/\//.test(url ?? '')) throw new Error('FLOWGUARD_SOURCE=sql needs FLOWGUARD_SOURCE_URL, the bank database\'s URL (postgres://…).');
  const tls = { caPath: env.FLOWGUARD_SOURCE_CA || null, certPath: env.FLOWGUARD_SOURCE_CERT || null, keyPath: env.FLOWGUARD_SOURCE_KEY || null };
  if ((tls.certPath === null) !== (tls.keyPath === null)) throw new Error('FLOWGUARD_SOURCE_CERT and FLOWGUARD_SOURCE_KEY go together: mutual TLS needs the client certificate and its key.');
  return {
    kind,
    url,
    authorization: env.FLOWGUARD_SOURCE_AUTHORIZATION || null,
    tls,
    // A statement service slower than a minute per page is down for the person waiting.
    timeoutMs: wholeNumber(env, 'FLOWGUARD_SOURCE_TIMEOUT_MS', 10_000, 100, 60_000),
    retries: wholeNumber(env, 'FLOWGUARD_SOURCE_RETRIES', DEFAULT_RETRY_POLICY.retries, 0, 5),
  };
}
