/** Random decision facts for property tests: every role, purpose, flag and hour, honeytokens included. */
import fc from 'fast-check';
import type { DecisionFacts } from './decision.ts';

const PURPOSES = ['customer_present', 'service_ticket', 'loan_review', 'complaint', 'aml_investigation', 'judicial_request', 'internal_audit', 'curiosity'];
const ROLES = ['approver', 'security_analyst', 'investigator', 'compliance_officer', 'auditor', 'admin'];
const branch = fc.constantFrom('BR01', 'BR02', 'HQ');

export const facts: fc.Arbitrary<DecisionFacts> = fc.record({
  employee: fc.record({
    id: fc.constantFrom('E1', 'E2', 'E3'),
    bankRole: fc.constantFrom('teller', 'relationship_manager', 'back_office', 'branch_manager'),
    roles: fc.subarray(ROLES),
    branchId: branch,
    status: fc.constantFrom('active', 'on_notice', 'left'),
    trainingValid: fc.boolean(),
    attestationValid: fc.boolean(),
    distinctCustomersToday: fc.integer({ min: 0, max: 120 }),
  }),
  customer: fc.record({
    id: fc.constantFrom('C1', 'C2'),
    branchId: branch,
    relationshipManagerId: fc.constantFrom(null, 'E1', 'E2'),
    segment: fc.constantFrom('retail', 'private', 'vip'),
    isPublicFigure: fc.boolean(),
    isEmployee: fc.boolean(),
    isHoneytoken: fc.boolean(),
  }),
  relationship: fc.record({ declaredRelative: fc.boolean(), sameSurnameAndAddress: fc.boolean(), isSelf: fc.boolean() }),
  request: fc.record(
    {
      purpose: fc.constantFrom(...PURPOSES),
      referenceValid: fc.boolean(),
      customerVerified: fc.boolean(),
      openTicketAssigned: fc.boolean(),
      output: fc.constantFrom('view', 'pdf', 'csv', 'print'),
      unmaskedFields: fc.subarray(['account_number', 'counterparty', 'id_number']),
      accountCount: fc.integer({ min: 1, max: 5 }),
      periodDays: fc.integer({ min: 1, max: 1000 }),
      breakGlass: fc.boolean(),
      approved: fc.boolean(),
    },
    { requiredKeys: ['purpose', 'referenceValid', 'customerVerified', 'openTicketAssigned', 'output', 'unmaskedFields', 'accountCount', 'periodDays', 'breakGlass'] },
  ),
  context: fc.record({ localHour: fc.integer({ min: 0, max: 23 }), weekday: fc.integer({ min: 1, max: 7 }) }),
});

