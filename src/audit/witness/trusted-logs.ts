/**
 * Which logs a witness cosigns for, from `<state dir>/config.json` and `--log` flags:
 *
 *     { "logs": [ { "origin": "bank.example/flowguard", "keys": ["bank.example/flowguard+1a2b3c4d+AQ…"] } ] }
 *
 * A flag is `<origin>=<verifier key>`, or a bare verifier key whose name is the origin (C2SP
 * tlog-checkpoint recommends that the key name equal the origin). Keys are Ed25519 note keys (0x01).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatKeyId, isTlogError, parseVerifierKey, SIGNATURE_TYPE_ED25519, computeKeyId, type NoteVerifier } from '../tlog/index.ts';
import { WitnessError } from './errors.ts';
import type { TrustedLog } from './witness.ts';

/** The config file's name inside the state directory. */
export const WITNESS_CONFIG_FILE = 'config.json';

/** One configured log before its keys are parsed: origin and verifier key strings. */
export interface LogConfig {
  readonly origin: string;
  readonly keys: readonly string[];
}

function invalid(message: string, cause?: unknown): never {
  throw new WitnessError('invalid_configuration', message, {}, cause === undefined ? {} : { cause });
}

/** Parses a `--log` value: `<origin>=<vkey>` or a bare `<vkey>` (origin = key name). */
export function parseLogFlag(value: string): LogConfig {
  const equals = value.indexOf('=');
  // A bare key's base64 ends in "=" padding, so "=" only separates an origin when a key follows it.
  if (equals > 0 && equals < value.length - 1 && !isVerifierKey(value)) {
    return { origin: value.slice(0, equals), keys: [value.slice(equals + 1)] };
  }
  const name = value.split('+', 1)[0]!;
  if (!isVerifierKey(value)) invalid(`--log ${JSON.stringify(value)} is neither <origin>=<verifier key> nor a verifier key`);
  return { origin: name, keys: [value] };
}

function isVerifierKey(text: string): boolean {
  try {
    parseVerifierKey(text);
    return true;
  } catch {
    return false;
  }
}

/** Reads `config.json` from the state directory; a missing file means no logs. */
export async function readWitnessConfig(stateDir: string): Promise<LogConfig[]> {
  const path = join(stateDir, WITNESS_CONFIG_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    return invalid(`cannot read ${path}: ${(error as Error).message}`, error);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return invalid(`${path} is not valid JSON: ${(error as Error).message}`, error);
  }
  const logs = (parsed as { logs?: unknown }).logs;
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray(logs)) invalid(`${path} must be {"logs": [{"origin": …, "keys": […]}]}`);
  return logs.map((entry: unknown, i) => {
    const { origin, keys, key } = (entry ?? {}) as { origin?: unknown; keys?: unknown; key?: unknown };
    const list = key !== undefined ? [key] : keys;
    if (typeof origin !== 'string' || !Array.isArray(list) || !list.every((k) => typeof k === 'string')) {
      invalid(`${path}: logs[${i}] needs "origin" (string) and "keys" (array of verifier key strings)`);
    }
    return { origin, keys: list as string[] };
  });
}

/** Merges configured logs (flags after the file; same origin → keys added) and parses their keys. */
export function trustedLogsFrom(configs: readonly LogConfig[]): TrustedLog[] {
  const byOrigin = new Map<string, NoteVerifier[]>();
  for (const { origin, keys } of configs) {
    if (origin === '' || /[\p{Cc}\p{Cs}]/u.test(origin)) invalid(`log origin ${JSON.stringify(origin)} must be non-empty text on one line`);
    const verifiers = byOrigin.get(origin) ?? [];
    for (const key of keys) {
      const verifier = parseLogKey(key, origin);
      if (!verifiers.some((v) => v.name === verifier.name && v.keyId === verifier.keyId)) verifiers.push(verifier);
    }
    byOrigin.set(origin, verifiers);
  }
  return [...byOrigin].map(([origin, verifiers]) => ({ origin, verifiers }));
}

function parseLogKey(key: string, origin: string): NoteVerifier {
  let verifier: NoteVerifier;
  try {
    verifier = parseVerifierKey(key);
  } catch (cause) {
    return invalid(`log ${origin}: ${isTlogError(cause) ? cause.message : String(cause)}`, cause);
  }
  // A 0x04 key would let a witness's cosignature stand in for the log's own signature.
  const raw = Buffer.from(key.slice(key.indexOf('+', key.indexOf('+') + 1) + 1), 'base64');
  if (raw[0] !== SIGNATURE_TYPE_ED25519 || computeKeyId(verifier.name, SIGNATURE_TYPE_ED25519, raw.subarray(1)) !== verifier.keyId) {
    invalid(`log ${origin}: key ${verifier.name}+${formatKeyId(verifier.keyId)} is not an Ed25519 note key (type 0x01)`);
  }
  return verifier;
}
