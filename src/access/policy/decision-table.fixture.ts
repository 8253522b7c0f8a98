/**
 * The decision table for policies/flowguard.cedar: facts → expected outcome, deciding policy IDs and
 * silent flags. Each row is written from the policy text, not from the engine's output. Every row
 * starts from BASE (a teller serving a retail customer of her own branch on a Wednesday morning for
 * an open service ticket) and changes only what its name says.
 */
import type { DecisionFacts, Outcome } from './decision.ts';

export interface TableRow {
  name: string;
  given: Given;
  outcome: Outcome;
  policyIds: string[];
  /** Expected silent flags; default none. */
  flags?: string[];
}

export interface Given {
  employee?: Partial<DecisionFacts['employee']>;
  customer?: Partial<DecisionFacts['customer']>;
  relationship?: Partial<DecisionFacts['relationship']>;
  request?: Partial<DecisionFacts['request']>;
  context?: Partial<DecisionFacts['context']>;
}

export const BASE: DecisionFacts = {
  employee: { id: 'E-T1', bankRole: 'teller', roles: [], branchId: 'BR01', status: 'active', trainingValid: true, attestationValid: true, distinctCustomersToday: 5 },
  customer: { id: 'C-100', branchId: 'BR01', relationshipManagerId: 'E-RM1', segment: 'retail', isPublicFigure: false, isEmployee: false, isHoneytoken: false },
  relationship: { declaredRelative: false, sameSurnameAndAddress: false, isSelf: false },
  request: { purpose: 'service_ticket', referenceValid: true, customerVerified: false, openTicketAssigned: false, output: 'view', unmaskedFields: [], accountCount: 1, periodDays: 90, breakGlass: false },
  context: { localHour: 10, weekday: 3 },
};

export function factsFor(given: Given, base: DecisionFacts = BASE): DecisionFacts {
  return {
    employee: { ...base.employee, ...given.employee },
    customer: { ...base.customer, ...given.customer },
    relationship: { ...base.relationship, ...given.relationship },
    request: { ...base.request, ...given.request },
    context: { ...base.context, ...given.context },
  };
}

const otherBranch = { branchId: 'BR02' };
const rm = { id: 'E-RM1', bankRole: 'relationship_manager' } as const;
const backOffice = { id: 'E-BO1', bankRole: 'back_office', branchId: 'HQ-OPS' } as const;
const investigator: Given['employee'] = { id: 'E-INV', bankRole: 'back_office', branchId: 'HQ', roles: ['investigator'] };
const compliance: Given['employee'] = { id: 'E-CO', bankRole: 'back_office', branchId: 'HQ', roles: ['compliance_officer'] };
const atCounter = { purpose: 'customer_present', customerVerified: true } as const;
const SAME_BRANCH = ['ntk-same-branch'];

export const TABLE: TableRow[] = [
  // ── need to know
  { name: 'teller, own branch, service ticket', given: {}, outcome: 'allow', policyIds: SAME_BRANCH },
  { name: 'teller, other branch, no ticket', given: { employee: otherBranch }, outcome: 'deny', policyIds: [] },
  { name: 'RM, own portfolio booked at another branch, loan review', given: { employee: { ...rm, branchId: 'BR09' }, request: { purpose: 'loan_review' } }, outcome: 'allow', policyIds: ['ntk-relationship-manager'] },
  { name: 'RM, own branch and own portfolio, complaint', given: { employee: rm, request: { purpose: 'complaint' } }, outcome: 'allow', policyIds: ['ntk-same-branch', 'ntk-relationship-manager'] },
  { name: 'RM, another RM\'s customer at another branch', given: { employee: { id: 'E-RM2', bankRole: 'relationship_manager', branchId: 'BR09' } }, outcome: 'deny', policyIds: [] },
  { name: 'back office with an assigned ticket', given: { employee: backOffice, request: { openTicketAssigned: true } }, outcome: 'allow', policyIds: ['ntk-assigned-ticket'] },
  { name: 'back office without a ticket, loan review', given: { employee: backOffice, request: { purpose: 'loan_review' } }, outcome: 'deny', policyIds: [] },
  { name: 'teller at another branch, customer present and verified', given: { employee: otherBranch, request: atCounter }, outcome: 'allow', policyIds: ['ntk-customer-at-counter'] },
  { name: 'teller, own branch, customer present and verified', given: { request: atCounter }, outcome: 'allow', policyIds: ['ntk-same-branch', 'ntk-customer-at-counter'] },
  { name: 'back office cannot claim customer present', given: { employee: backOffice, request: atCounter }, outcome: 'deny', policyIds: [] },
  { name: 'investigator, AML case, any branch', given: { employee: investigator, request: { purpose: 'aml_investigation' } }, outcome: 'allow', policyIds: ['ntk-specialist-purpose'] },
  { name: 'security analyst, AML case', given: { employee: { ...investigator, roles: ['security_analyst'] }, request: { purpose: 'aml_investigation' } }, outcome: 'allow', policyIds: ['ntk-specialist-purpose'] },
  { name: 'auditor, internal audit', given: { employee: { ...investigator, roles: ['auditor'] }, request: { purpose: 'internal_audit' } }, outcome: 'allow', policyIds: ['ntk-specialist-purpose'] },
  { name: 'compliance officer, judicial request', given: { employee: compliance, request: { purpose: 'judicial_request' } }, outcome: 'needs_approval', policyIds: ['approval-judicial-two-person'] },
  { name: 'compliance officer, judicial request, approved', given: { employee: compliance, request: { purpose: 'judicial_request', approved: true } }, outcome: 'allow', policyIds: ['ntk-specialist-purpose'] },
  { name: 'judicial request cannot break glass', given: { employee: compliance, request: { purpose: 'judicial_request', breakGlass: true } }, outcome: 'needs_approval', policyIds: ['approval-judicial-two-person'], flags: ['break_glass_used'] },

  // ── refusals
  { name: 'employee has left', given: { employee: { status: 'left' } }, outcome: 'deny', policyIds: ['deny-employee-left'] },
  { name: 'training expired', given: { employee: { trainingValid: false } }, outcome: 'deny', policyIds: ['deny-training-expired'] },
  { name: 'attestation expired', given: { employee: { attestationValid: false } }, outcome: 'deny', policyIds: ['deny-attestation-expired'] },
  { name: 'training and attestation expired', given: { employee: { trainingValid: false, attestationValid: false } }, outcome: 'deny', policyIds: ['deny-training-expired', 'deny-attestation-expired'] },
  { name: 'own statement', given: { relationship: { isSelf: true } }, outcome: 'deny', policyIds: ['deny-self-access'], flags: ['related_party_access'] },
  { name: 'reference not valid for this customer', given: { request: { referenceValid: false } }, outcome: 'deny', policyIds: ['deny-invalid-reference'] },
  { name: 'customer present, code not verified, no ticket', given: { request: { purpose: 'customer_present' } }, outcome: 'deny', policyIds: ['deny-counter-unverified'] },
  { name: 'customer present, code not verified, assigned ticket', given: { request: { purpose: 'customer_present', openTicketAssigned: true } }, outcome: 'allow', policyIds: ['ntk-same-branch', 'ntk-assigned-ticket'] },
  { name: 'unregistered purpose with an assigned ticket', given: { employee: backOffice, request: { purpose: 'curiosity', openTicketAssigned: true } }, outcome: 'deny', policyIds: ['deny-unknown-purpose'] },
  { name: 'teller claims an AML investigation', given: { request: { purpose: 'aml_investigation' } }, outcome: 'deny', policyIds: ['deny-aml-non-investigator'] },
  { name: 'RM claims an internal audit', given: { employee: rm, request: { purpose: 'internal_audit' } }, outcome: 'deny', policyIds: ['deny-audit-non-auditor'] },
  { name: 'teller claims a judicial request', given: { request: { purpose: 'judicial_request' } }, outcome: 'deny', policyIds: ['deny-judicial-non-compliance'] },
  { name: 'teller, loan review, own branch', given: { request: { purpose: 'loan_review' } }, outcome: 'deny', policyIds: ['deny-loan-review-teller'] },
  { name: 'a refusal beats an approval rule', given: { employee: { status: 'left' }, customer: { segment: 'vip' } }, outcome: 'deny', policyIds: ['deny-employee-left'] },
  { name: 'approval does not lift a refusal', given: { employee: { trainingValid: false }, customer: { segment: 'vip' }, request: { approved: true } }, outcome: 'deny', policyIds: ['deny-training-expired'] },
  { name: 'AML case reference not valid', given: { employee: investigator, request: { purpose: 'aml_investigation', referenceValid: false } }, outcome: 'deny', policyIds: ['deny-invalid-reference'] },

  // ── daily quotas
  { name: 'teller, 39 customers already today', given: { employee: { distinctCustomersToday: 39 } }, outcome: 'allow', policyIds: SAME_BRANCH },
  { name: 'teller, 40 customers already today', given: { employee: { distinctCustomersToday: 40 } }, outcome: 'needs_approval', policyIds: ['approval-daily-quota'] },
  { name: 'RM, 59 customers already today', given: { employee: { ...rm, distinctCustomersToday: 59 } }, outcome: 'allow', policyIds: ['ntk-same-branch', 'ntk-relationship-manager'] },
  { name: 'RM, 60 customers already today', given: { employee: { ...rm, distinctCustomersToday: 60 } }, outcome: 'needs_approval', policyIds: ['approval-daily-quota'] },
  { name: 'branch manager, 60 customers already today', given: { employee: { id: 'E-BM', bankRole: 'branch_manager', roles: ['approver'], distinctCustomersToday: 60 } }, outcome: 'needs_approval', policyIds: ['approval-daily-quota'] },
  { name: 'back office, 79 customers, ticket', given: { employee: { ...backOffice, distinctCustomersToday: 79 }, request: { openTicketAssigned: true } }, outcome: 'allow', policyIds: ['ntk-assigned-ticket'] },
  { name: 'back office, 80 customers, ticket', given: { employee: { ...backOffice, distinctCustomersToday: 80 }, request: { openTicketAssigned: true } }, outcome: 'needs_approval', policyIds: ['approval-daily-quota'] },
  { name: 'quota reached, break-glass', given: { employee: { distinctCustomersToday: 45 }, request: { breakGlass: true } }, outcome: 'allow', policyIds: SAME_BRANCH, flags: ['break_glass_used'] },
  { name: 'on notice, 9 customers', given: { employee: { status: 'on_notice', distinctCustomersToday: 9 } }, outcome: 'allow', policyIds: SAME_BRANCH },
  { name: 'on notice, 10 customers', given: { employee: { status: 'on_notice', distinctCustomersToday: 10 } }, outcome: 'needs_approval', policyIds: ['approval-on-notice-quota'] },
  { name: 'on notice, 10 customers, break-glass does not lift it', given: { employee: { status: 'on_notice', distinctCustomersToday: 10 }, request: { breakGlass: true } }, outcome: 'needs_approval', policyIds: ['approval-on-notice-quota'], flags: ['break_glass_used'] },
  { name: 'on notice, 40 customers: both quotas', given: { employee: { status: 'on_notice', distinctCustomersToday: 40 } }, outcome: 'needs_approval', policyIds: ['approval-daily-quota', 'approval-on-notice-quota'] },
  { name: 'on notice, 10 customers, approved', given: { employee: { status: 'on_notice', distinctCustomersToday: 10 }, request: { approved: true } }, outcome: 'allow', policyIds: SAME_BRANCH },

  // ── business hours
  { name: '07:00 on a Wednesday', given: { context: { localHour: 7 } }, outcome: 'needs_approval', policyIds: ['approval-off-hours'] },
  { name: '08:00 on a Wednesday', given: { context: { localHour: 8 } }, outcome: 'allow', policyIds: SAME_BRANCH },
  { name: '19:00 on a Wednesday', given: { context: { localHour: 19 } }, outcome: 'allow', policyIds: SAME_BRANCH },
  { name: '20:00 on a Wednesday', given: { context: { localHour: 20 } }, outcome: 'needs_approval', policyIds: ['approval-off-hours'] },
  { name: 'Saturday 10:00', given: { context: { weekday: 6 } }, outcome: 'needs_approval', policyIds: ['approval-off-hours'] },
  { name: 'Sunday 10:00, break-glass', given: { context: { weekday: 7 }, request: { breakGlass: true } }, outcome: 'allow', policyIds: SAME_BRANCH, flags: ['break_glass_used'] },

  // ── special customers
  { name: 'VIP customer', given: { customer: { segment: 'vip' } }, outcome: 'needs_approval', policyIds: ['approval-vip'] },
  { name: 'VIP customer, approved', given: { customer: { segment: 'vip' }, request: { approved: true } }, outcome: 'allow', policyIds: SAME_BRANCH },
  { name: 'VIP customer, break-glass', given: { customer: { segment: 'vip' }, request: { breakGlass: true } }, outcome: 'allow', policyIds: SAME_BRANCH, flags: ['break_glass_used'] },
  { name: 'private-banking customer is not VIP', given: { customer: { segment: 'private' } }, outcome: 'allow', policyIds: SAME_BRANCH },
  { name: 'public figure', given: { customer: { isPublicFigure: true } }, outcome: 'needs_approval', policyIds: ['approval-public-figure'] },
  { name: 'bank employee\'s account', given: { customer: { isEmployee: true } }, outcome: 'needs_approval', policyIds: ['approval-employee-account'] },
  { name: 'VIP, public figure and employee at once', given: { customer: { segment: 'vip', isPublicFigure: true, isEmployee: true } }, outcome: 'needs_approval', policyIds: ['approval-vip', 'approval-public-figure', 'approval-employee-account'] },
  { name: 'declared relative', given: { relationship: { declaredRelative: true } }, outcome: 'needs_approval', policyIds: ['approval-relative'], flags: ['related_party_access'] },
  { name: 'same surname and address', given: { relationship: { sameSurnameAndAddress: true } }, outcome: 'needs_approval', policyIds: ['approval-relative'], flags: ['related_party_access'] },
  { name: 'relative, break-glass does not lift it', given: { relationship: { declaredRelative: true }, request: { breakGlass: true } }, outcome: 'needs_approval', policyIds: ['approval-relative'], flags: ['break_glass_used', 'related_party_access'] },
  { name: 'relative, approved', given: { relationship: { declaredRelative: true }, request: { approved: true } }, outcome: 'allow', policyIds: SAME_BRANCH, flags: ['related_party_access'] },
  { name: 'VIP at another branch: approval would not help', given: { employee: otherBranch, customer: { segment: 'vip' } }, outcome: 'deny', policyIds: [] },
  { name: 'investigator, AML case on a VIP', given: { employee: investigator, customer: { segment: 'vip' }, request: { purpose: 'aml_investigation' } }, outcome: 'needs_approval', policyIds: ['approval-vip'] },

  // ── exports and unmasking
  { name: 'unmasked account number', given: { request: { unmaskedFields: ['account_number'] } }, outcome: 'needs_approval', policyIds: ['approval-unmasked-fields'] },
  { name: 'CSV of two accounts', given: { request: { output: 'csv', accountCount: 2 } }, outcome: 'needs_approval', policyIds: ['approval-bulk-export'] },
  { name: 'PDF of one account, 367 days', given: { request: { output: 'pdf', periodDays: 367 } }, outcome: 'needs_approval', policyIds: ['approval-bulk-export'] },
  { name: 'PDF of one account, 366 days', given: { request: { output: 'pdf', periodDays: 366 } }, outcome: 'allow', policyIds: SAME_BRANCH },
  { name: 'on-screen view of three accounts over two years', given: { request: { accountCount: 3, periodDays: 730 } }, outcome: 'allow', policyIds: SAME_BRANCH },
  { name: 'print of two accounts for a VIP after hours', given: { customer: { segment: 'vip' }, request: { output: 'print', accountCount: 2 }, context: { localHour: 21 } }, outcome: 'needs_approval', policyIds: ['approval-off-hours', 'approval-vip', 'approval-bulk-export'] },
  { name: 'bulk export, break-glass does not lift it', given: { request: { output: 'csv', accountCount: 4, breakGlass: true } }, outcome: 'needs_approval', policyIds: ['approval-bulk-export'], flags: ['break_glass_used'] },

  // ── honeytokens: same outcome as any customer, plus a silent flag
  { name: 'honeytoken, own branch', given: { customer: { isHoneytoken: true } }, outcome: 'allow', policyIds: SAME_BRANCH, flags: ['honeytoken_access'] },
  { name: 'honeytoken, other branch', given: { employee: otherBranch, customer: { isHoneytoken: true } }, outcome: 'deny', policyIds: [], flags: ['honeytoken_access'] },
];
