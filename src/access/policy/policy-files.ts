/**
 * Reads a policy folder: every *.cedar file in name order, and the schema beside them. The one
 * reader: the engine enforces what it returns, and the admin page shows the engine's copy of it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PolicyError } from './policy-error.ts';
import type { PolicySource } from './decision.ts';

/** The schema's file name in a policy folder. */
export const SCHEMA_FILE = 'flowguard.cedarschema';

/** A policy folder as the engine would enforce it. */
export function readPolicyFolder(dir: string): PolicySource {
  return { policyText: readPolicyFiles(dir), schemaText: readText(join(dir, SCHEMA_FILE)) };
}

/** The policy files of `dir`, concatenated in name order (10-….cedar before 20-….cedar). */
export function readPolicyFiles(dir: string): string {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.cedar')).sort();
  } catch (e) {
    throw new PolicyError('invalid_policy', [`cannot read policy folder ${dir}: ${(e as Error).message}`], { cause: e });
  }
  if (names.length === 0) throw new PolicyError('invalid_policy', [`no *.cedar files in ${dir}`]);
  return names.map((n) => readText(join(dir, n))).join('\n');
}

/** A file's text, or PolicyError `invalid_policy` naming the path. */
export function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new PolicyError('invalid_policy', [`cannot read ${path}: ${(e as Error).message}`], { cause: e });
  }
}
