/**
 * An entry as a reader without a reveal may see it. Entries of version 2 name no employee (their
 * bytes are shown as they are). Entries of version 1, written before, carry the acting employee's
 * ID, the watermark text (name and ID) and bare employee IDs in a few detail fields; the view drops
 * those. The bytes of a version-1 entry cannot be changed without breaking its leaf, so whoever may
 * not see names is not given them (entry-reveal.ts decides).
 */
import type { StoredActor, StoredEntry } from './actions.ts';

type Entry = StoredEntry;

/** A version-1 detail with what named an employee replaced by `HIDDEN`: no longer its action's type. */
export interface RedactedDetail { [field: string]: unknown }

/** An entry a reader may see: a version-2 entry as stored, or a version-1 entry redacted. */
export type ReadableEntry = Entry | { v: number; time: string; action: Entry['action']; actor: StoredActor; customer: string | null; request: string | null; trace: string | null; detail: Entry['detail'] | RedactedDetail };

/** Detail fields of version-1 entries that held an employee ID or a text with the name. */
const V1_EMPLOYEE_FIELDS = ['requester', 'proposer', 'approver', 'reviewer', 'employeeId', 'employees', 'watermark'] as const;

export const HIDDEN = '••• (reveal to read)';

/** Whether an entry's bytes may name an employee (version 1). */
export function namesEmployees(entry: Entry): boolean {
  return entry.v < 2;
}

function withoutStaffIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutStaffIds);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  const staff = (value as { kind?: unknown }).kind === 'staff';
  for (const [k, v] of Object.entries(value)) {
    if (staff && k === 'id') continue;
    out[k] = withoutStaffIds(v);
  }
  return out;
}

/** The detail without what names an employee in a version-1 entry; a version-2 detail as it is. */
export function readableDetail(entry: Entry): Entry['detail'] | RedactedDetail {
  if (!namesEmployees(entry)) return entry.detail;
  const detail: RedactedDetail = { ...(withoutStaffIds(entry.detail) as object) };
  for (const field of V1_EMPLOYEE_FIELDS) if (field in detail) detail[field] = HIDDEN;
  return detail;
}

/** The whole entry as a reader without a reveal may see it. */
export function readableEntry(entry: Entry): ReadableEntry {
  if (!namesEmployees(entry)) return entry;
  return { ...entry, actor: withoutStaffIds(entry.actor) as StoredActor, detail: readableDetail(entry) };
}
