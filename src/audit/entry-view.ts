/**
 * An entry as a reader without a reveal may see it. Entries of version 2 name no employee (their
 * bytes are shown as they are). Entries of version 1, written before, carry the acting employee's
 * ID, the watermark text (name and ID) and bare employee IDs in a few detail fields; the view drops
 * those. The bytes of a version-1 entry cannot be changed without breaking its leaf, so whoever may
 * not see names is not given them (entry-reveal.ts decides).
 */
import type { parseEntry } from './record.ts';

type Entry = ReturnType<typeof parseEntry>;

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
export function readableDetail(entry: Entry): Record<string, unknown> {
  if (!namesEmployees(entry)) return entry.detail;
  const detail = withoutStaffIds(entry.detail) as Record<string, unknown>;
  for (const field of V1_EMPLOYEE_FIELDS) if (field in detail) detail[field] = HIDDEN;
  return detail;
}

/** The whole entry as a reader without a reveal may see it. */
export function readableEntry(entry: Entry): Entry {
  if (!namesEmployees(entry)) return entry;
  return { ...entry, actor: withoutStaffIds(entry.actor) as Entry['actor'], detail: readableDetail(entry) };
}
