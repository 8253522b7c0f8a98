/**
 * Who is calling, after authentication, and how they appear in the audit record. Identity builds
 * principals, every capability reads them, and audit writes actors: the types live here, below all
 * of them, so none has to import another's module to name a caller.
 */
import type { BankRole, StaffStatus } from './staff.ts';

/** How a caller proved who they are: a session cookie, a bearer session token, or the bank's SSO. */
export type PrincipalVia = 'cookie' | 'bearer' | 'oidc';

/** Staff carry what the policy needs to know about them. */
export interface StaffPrincipal {
  kind: 'staff';
  employeeId: string;
  username: string;
  displayName: string;
  pseudonym: string;
  branchId: string;
  bankRole: BankRole;
  /** Flowguard roles (see FLOWGUARD_ROLES); strings, because a bank may grant roles it adds later. */
  roles: string[];
  status: StaffStatus;
  via: PrincipalVia;
}

/** Customers sign in to the portal with a one-time code; the bank's SSO is for staff only. */
export interface CustomerPrincipal {
  kind: 'customer';
  customerId: string;
  via: Exclude<PrincipalVia, 'oidc'>;
}

export type Principal = StaffPrincipal | CustomerPrincipal;

/** An actor as a writer of the audit record gives it; a staff actor's ID becomes a pseudonym and commitment in the entry. */
export interface AuditActor {
  kind: 'staff' | 'customer' | 'system' | 'anonymous';
  id: string | null;
  pseudonym?: string;
  commitment?: string;
  branchId?: string;
  bankRole?: string;
}

/** How a principal appears in the audit record: pseudonym, branch and role, never the name. */
export function auditActorOf(principal: Principal): AuditActor {
  if (principal.kind === 'customer') return { kind: 'customer', id: principal.customerId };
  return { kind: 'staff', id: principal.employeeId, pseudonym: principal.pseudonym, branchId: principal.branchId, bankRole: principal.bankRole };
}
