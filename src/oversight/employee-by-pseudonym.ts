/**
 * Finds the employee behind a pseudonym: the keyed pseudonym entries carry from version 2
 * (`P-` + 16 hex, src/audit/actor-pseudonyms.ts) or the display pseudonym of version-1 entries and
 * the dashboard (employees.pseudonym, e.g. 柜员-7F3A). A keyed pseudonym is not stored: it is
 * recomputed for each employee under the current key (a bank has thousands, a few milliseconds).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { KEYED_PSEUDONYM, pseudonymKey, pseudonymOf } from '../audit/actor-pseudonyms.ts';

/** The employee ID behind `pseudonym`, or null when no employee has it. */
export async function employeeIdByPseudonym(db: Kysely<Database>, pseudonym: string, key: Buffer = pseudonymKey()): Promise<string | null> {
  if (KEYED_PSEUDONYM.test(pseudonym)) {
    const ids = await db.selectFrom('employees').select('id').execute();
    return ids.find((e) => pseudonymOf(key, e.id) === pseudonym)?.id ?? null;
  }
  const e = await db.selectFrom('employees').select('id').where('pseudonym', '=', pseudonym).executeTakeFirst();
  return e?.id ?? null;
}
