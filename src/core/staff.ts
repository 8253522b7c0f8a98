/**
 * Who works at the bank, as every layer sees it: the bank role each employee has, the Flowguard
 * roles granted on top, and where they are in their employment. The database columns, the policy
 * facts, the principal and the audit actor all use these, so a new role is added here once.
 */

/** The role every employee holds in the bank's own organisation (employees.bank_role). */
export const BANK_ROLES = ['teller', 'relationship_manager', 'back_office', 'branch_manager'] as const;
export type BankRole = (typeof BANK_ROLES)[number];

/** Flowguard roles (employee_roles.role), granted beyond the bank role. */
export const FLOWGUARD_ROLES = ['approver', 'security_analyst', 'investigator', 'compliance_officer', 'auditor', 'admin'] as const;
export type FlowguardRole = (typeof FLOWGUARD_ROLES)[number];

/** Where an employee is in their employment (employees.status); an employee who has left never signs in. */
export const STAFF_STATUSES = ['active', 'on_notice', 'left'] as const;
export type StaffStatus = (typeof STAFF_STATUSES)[number];
