/**
 * Who may reach each operation's handler: the bank's intended policy, written down once. The
 * authorisation matrix checks every role against it, and the fuzz test sends each operation's
 * requests as the roles listed here so the handler itself is exercised. An operation missing from
 * this table fails both suites: whoever adds an endpoint decides here who may call it.
 *
 * "Reach" means the guard lets the caller through; what the handler then answers (a decision, a
 * "not yours" 404, a limit) is the handler's business. Everyone not listed must get 401, 403 or 404.
 */
import { ROLES, type Role } from './operations.ts';

const EVERYONE = ROLES;
const SIGNED_IN = ROLES.filter((r) => r !== 'anonymous');
const STAFF = ROLES.filter((r) => r !== 'anonymous' && r !== 'customer');
/** Security, investigation, compliance and audit: they watch the bank's access (OVERSIGHT_ROLES). */
const OVERSIGHT: Role[] = ['security_analyst', 'investigator', 'compliance_officer', 'auditor'];
/** Bank roles that serve a customer at the counter (issue 9 item 3), at any branch. */
const COUNTER: Role[] = ['teller', 'relationship_manager', 'branch_manager'];
/** The test bank's approvers: the branch manager for the branch, the security team bank-wide. */
const APPROVERS: Role[] = ['branch_manager', 'security_analyst'];

export const MAY_REACH: Record<string, readonly Role[]> = {
  // identity: signing in is for anyone; the session and who-am-I for whoever holds one
  'POST /api/v1/sessions': EVERYONE,
  'DELETE /api/v1/sessions/current': SIGNED_IN,
  'GET /api/v1/me': SIGNED_IN,
  'POST /api/v1/portal/codes': EVERYONE,
  'POST /api/v1/portal/sessions': EVERYONE,
  'POST /api/v1/admin/employees/:id/login-release': ['admin'],

  // the statement flow: any employee may ask; the Cedar policy decides, and records the decision
  'GET /api/v1/customers': STAFF,
  'POST /api/v1/customers/:id/counter-codes': COUNTER,
  'GET /api/v1/my/tickets': STAFF,
  'GET /api/v1/purposes': STAFF,
  'GET /api/v1/legal-warning': STAFF,
  'POST /api/v1/statement-requests': STAFF,
  'GET /api/v1/statement-requests': STAFF,
  // "mine": any employee reaches it, only the owner gets more than a 404
  'GET /api/v1/statement-requests/:id': STAFF,
  'POST /api/v1/statement-requests/:id/acknowledgement': STAFF,
  'GET /api/v1/statement-requests/:id/statement': STAFF,
  'GET /api/v1/approvals': APPROVERS,
  'POST /api/v1/approvals/:id': APPROVERS,

  // administration under maker-checker; auditors and compliance read it
  'GET /api/v1/admin/changes': ['admin', 'auditor', 'compliance_officer'],
  'POST /api/v1/admin/changes': ['admin'],
  'POST /api/v1/admin/changes/:id': ['admin'],
  'GET /api/v1/admin/policy-set': ['admin', 'auditor', 'compliance_officer', 'security_analyst'],
  'POST /api/v1/admin/policy-set/validation': ['admin'],
  'POST /api/v1/training-records': ['admin', 'compliance_officer'],
  'GET /api/v1/training-status': ['admin', 'compliance_officer', 'auditor', 'security_analyst'],
  'GET /api/v1/post-reviews': ['security_analyst', 'compliance_officer', 'auditor'],
  // closing a break-glass review: the second line of defence (the employee who used it is refused by the handler)
  'POST /api/v1/post-reviews/:id': ['security_analyst', 'compliance_officer'],

  // the customer portal: the customer alone
  'GET /api/v1/portal/history': ['customer'],
  'GET /api/v1/portal/accounts': ['customer'],
  'GET /api/v1/portal/statement': ['customer'],
  'GET /api/v1/portal/access-notifications': ['customer'],
  'PUT /api/v1/portal/access-notifications': ['customer'],
  'POST /api/v1/portal/history/:seq/report': ['customer'],
  'GET /api/v1/customers/:id/access-history': OVERSIGHT,
  'GET /api/v1/access-reports': ['security_analyst', 'investigator', 'compliance_officer'],

  // the verifiable log: hashes and checkpoints are public; an entry's content only for oversight,
  // and for the customer it is about (others' entries answer 404)
  'GET /log/checkpoint': EVERYONE,
  'GET /log/tile/*': EVERYONE,
  'GET /api/v1/log/consistency': EVERYONE,
  'GET /api/v1/log/entries/:index': [...OVERSIGHT, 'customer'],
  'GET /api/v1/log/entries/:index/proof': [...OVERSIGHT, 'customer'],

  // oversight
  'GET /api/v1/oversight/dashboard': OVERSIGHT,
  'GET /api/v1/oversight/audit-record': OVERSIGHT,
  // silent flags: oversight only, never the requester
  'GET /api/v1/flags': OVERSIGHT,
  'GET /api/v1/oversight/audit-record/:seq': OVERSIGHT,
  'POST /api/v1/oversight/employees/:pseudonym/reveal': OVERSIGHT,
  'POST /api/v1/oversight/audit-record/:seq/openings': OVERSIGHT,
  'GET /api/v1/oversight/staff': ['admin'],
  'GET /api/v1/oversight/log-keys': EVERYONE,

  // hidden from the API document: health, metrics, the document itself and the pages
  'GET /healthz': EVERYONE,
  'GET /metrics': EVERYONE,
  'GET /openapi.json': EVERYONE,
  'GET /docs': EVERYONE,
  'GET /docs/static/index.html': EVERYONE,
  'GET /docs/static/swagger-initializer.js': EVERYONE,
  'GET /docs/json': EVERYONE,
  'GET /docs/yaml': EVERYONE,
  'GET /docs/static/*': EVERYONE,
  'GET /': EVERYONE,
  'GET /console': EVERYONE,
  'GET /console/*': EVERYONE,
  'GET /portal': EVERYONE,
  'GET /portal/*': EVERYONE,
  'GET /assets/*': EVERYONE,
};

/** The roles that reach an operation, or undefined when the table does not know it. */
export function mayReach(key: string): readonly Role[] | undefined {
  return MAY_REACH[key];
}
