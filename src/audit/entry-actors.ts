/**
 * Turns every employee an event names into a keyed pseudonym and a commitment before the entry is
 * serialised (entry version 2), collecting the openings that are stored beside the entry.
 *
 * An employee is named either as an actor object (`{ kind: 'staff', id, … }`, from auditActorOf),
 * wherever it appears, or as a bare ID wrapped with `employeeRef(id)` inside `detail`. Each becomes
 * `{ pseudonym, commitment }` (an actor keeps its branch and bank role), so no employee ID or name
 * reaches the entry bytes.
 */
import type { AuditActor } from './record.ts';
import { actorCommitment, freshActorNonce, pseudonymOf } from './actor-pseudonyms.ts';

/** An employee named in an entry's detail (requester, approver, proposer…). */
export class EmployeeRef {
  constructor(readonly employeeId: string) {}
  /** Never serialised as is: an unconverted reference says only that an employee was there. */
  toJSON(): string {
    return '[employee]';
  }
}

/** Marks an employee ID in `detail` so the entry carries its pseudonym and commitment instead. */
export function employeeRef(employeeId: string): EmployeeRef {
  return new EmployeeRef(employeeId);
}

/** Where an employee appears in the entry (a JSON Pointer, RFC 6901) and what opens its commitment. */
export interface ActorOpening { path: string; employeeId: string; nonce: Buffer }

/** An employee as the entry shows it. */
export interface PseudonymousEmployee { pseudonym: string; commitment: string }

function isStaffActor(value: unknown): value is AuditActor & { id: string } {
  return typeof value === 'object' && value !== null && (value as AuditActor).kind === 'staff' && typeof (value as AuditActor).id === 'string';
}

const pointerToken = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

/** Converts events for one entry; `openings` gathers one per employee reference. */
export function pseudonymiseEmployees(key: Buffer) {
  const openings: ActorOpening[] = [];
  const hide = (employeeId: string, path: string): PseudonymousEmployee => {
    const nonce = freshActorNonce();
    openings.push({ path, employeeId, nonce });
    return { pseudonym: pseudonymOf(key, employeeId), commitment: actorCommitment(nonce, employeeId) };
  };
  const walk = (value: unknown, path: string): unknown => {
    if (value instanceof EmployeeRef) return hide(value.employeeId, path);
    if (isStaffActor(value)) {
      const { id, pseudonym: _display, ...rest } = value;
      return { ...rest, ...hide(id, path) };
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}/${i}`));
    if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, `${path}/${pointerToken(k)}`)]));
    }
    return value;
  };
  return { walk, openings };
}
