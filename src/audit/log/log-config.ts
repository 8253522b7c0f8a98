/**
 * Configuration of the verifiable log, from the environment. The defaults are for the demo: the
 * origin names an example host and the key file is generated on first start, marked DEMO ONLY.
 */
import { isTlogError, parseVerifierKey, type NoteVerifier } from '../tlog/index.ts';
import { FlowguardError } from '../../errors.ts';

/** Demo origin: a bank sets FLOWGUARD_LOG_ORIGIN to its log's URL prefix without the scheme (tlog-tiles §Parameters). */
export const DEMO_LOG_ORIGIN = 'flowguard.example/demo-bank';
export const DEFAULT_LOG_KEY_FILE = './data/log-signing.key';

export interface LogConfig {
  /** The checkpoint origin line; also the name of the log's signing key. */
  origin: string;
  /** The current signing key (Go's PRIVATE+KEY format). */
  keyFile: string;
  /**
   * Keys being rotated in: each signs every checkpoint beside the current key until it replaces it
   * (docs/log-key-compromise.md). Empty when no rotation is under way.
   */
  nextKeyFiles: string[];
  /** Extra verifier keys `audit verify` trusts (e.g. an auditor holding only public keys, or a retired key). */
  verifierKeys: string[];
  /** Pause between integration steps when there is no backlog. */
  intervalMs: number;
  /** Most entries integrated per step (one transaction, one checkpoint). */
  maxBatch: number;
  /** Whether to generate the key file when it is missing (the demo default; a bank turns this off). */
  createDemoKey: boolean;
  /**
   * Witnesses to collect cosignatures from, `<submission URL> <witness verifier key>` each
   * (FLOWGUARD_LOG_WITNESSES, comma- or newline-separated). When set, /log/checkpoint serves only
   * checkpoints that `witnessQuorum` of them cosigned.
   */
  witnesses: string;
  /** How many witnesses must cosign (FLOWGUARD_LOG_WITNESS_QUORUM); default all of them. */
  witnessQuorum: number | undefined;
}

function list(value: string | undefined): string[] {
  return (value ?? '').split(/[\n,]/).map((s) => s.trim()).filter((s) => s !== '');
}

function positive(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new FlowguardError('invalid_request', `${name} must be a positive whole number, not "${value}".`);
  return n;
}

/** Reads FLOWGUARD_LOG_* variables. */
export function loadLogConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<LogConfig> = {}): LogConfig {
  return {
    origin: env.FLOWGUARD_LOG_ORIGIN ?? DEMO_LOG_ORIGIN,
    keyFile: env.FLOWGUARD_LOG_KEY_FILE ?? DEFAULT_LOG_KEY_FILE,
    nextKeyFiles: list(env.FLOWGUARD_LOG_NEXT_KEY_FILE),
    verifierKeys: list(env.FLOWGUARD_LOG_VERIFIER_KEYS),
    intervalMs: positive(env.FLOWGUARD_LOG_INTERVAL_MS, 200, 'FLOWGUARD_LOG_INTERVAL_MS'),
    maxBatch: positive(env.FLOWGUARD_LOG_MAX_BATCH, 20_000, 'FLOWGUARD_LOG_MAX_BATCH'),
    createDemoKey: env.FLOWGUARD_LOG_CREATE_KEY !== '0',
    witnesses: env.FLOWGUARD_LOG_WITNESSES ?? '',
    witnessQuorum: env.FLOWGUARD_LOG_WITNESS_QUORUM ? positive(env.FLOWGUARD_LOG_WITNESS_QUORUM, 1, 'FLOWGUARD_LOG_WITNESS_QUORUM') : undefined,
    ...overrides,
  };
}

/** Parses verifier key strings, turning a bad one into a coded error that names it. */
export function parseVerifierKeys(keys: readonly string[]): NoteVerifier[] {
  return keys.map((key) => {
    try {
      return parseVerifierKey(key);
    } catch (error) {
      throw new FlowguardError('log_key_invalid', `The verifier key "${key.slice(0, 40)}…" cannot be used: ${isTlogError(error) ? error.message : String(error)}.`, {}, { cause: error });
    }
  });
}
