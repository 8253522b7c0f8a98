/**
 * The codes the API answers with: every problem+json a client sees carries one of these. The other
 * capabilities' codes (transparency log, witness, policy engine, log verification) keep their own
 * tables and reach a client through this one (server/error-catalogue.ts). The HTTP layer maps the
 * code to a status and an RFC 9457 problem type; the CLI prints the message and exits 2. A code,
 * once published, keeps its meaning forever: retire a code rather than reuse it. docs/errors.md
 * lists every code of every table.
 */
import { CodedError, type ErrorTable } from './core/errors.ts';

export const ERRORS = {
  // input
  invalid_request: { status: 400, title: 'The request is not valid', description: 'A field, query or path value does not fit the operation\'s schema; the detail names it.' },
  invalid_json: { status: 400, title: 'The body is not valid JSON', description: 'The body could not be parsed as JSON; send one JSON object with Content-Type: application/json.' },
  body_too_large: { status: 413, title: 'The body is too large', description: 'The body is larger than the server accepts (64 KiB); send less.' },
  unsupported_media_type: { status: 415, title: 'Unsupported content type', description: 'The body is not application/json.' },
  personal_number_in_field: { status: 422, title: 'A personal number was typed where it does not belong', description: 'A full card, ID or mobile number was typed into a field that must not hold one; remove it.' },
  uri_too_long: { status: 414, title: 'The address is too long', description: 'The request line is longer than the server reads; shorten the query.' },
  headers_too_large: { status: 431, title: 'The request headers are too large', description: 'The request headers are larger than the server reads.' },
  request_timeout: { status: 408, title: 'The request did not arrive in time', description: 'The request was not received completely in time; send it again.' },
  expectation_failed: { status: 417, title: 'The Expect header cannot be met', description: 'The request carried an Expect header the server does not meet; send it without.' },
  invalid_database_url: { status: 400, title: 'Unsupported database URL', description: 'The database URL is neither sqlite:<file> nor postgres://…' },
  invalid_period: { status: 422, title: 'The statement period is not allowed', description: 'The statement period is empty, reversed, in the future or longer than the purpose allows.' },
  unknown_purpose: { status: 422, title: 'Unknown purpose', description: 'The purpose is not in the bank\'s purpose catalogue.' },
  invalid_reference: { status: 422, title: 'The reference does not fit this request', description: 'The reference (ticket, counter code, case, document) does not exist, is closed, or belongs to another customer or employee.' },
  unknown_account: { status: 422, title: 'Unknown account', description: 'The account is not one of the customer\'s accounts, or the statement source does not know it.' },
  unknown_field: { status: 422, title: 'Unknown field to unmask', description: 'A field to unmask is not one the purpose may unlock.' },
  // identity
  unauthenticated: { status: 401, title: 'Authentication required', description: 'No valid session, bearer token or SSO token came with the request; sign in.' },
  invalid_credentials: { status: 401, title: 'Wrong username or password', description: 'The username or password is wrong; the answer does not say which.' },
  too_many_attempts: { status: 429, title: 'Too many attempts', description: 'Too many failed sign-ins or codes; wait for the time given in Retry-After.' },
  self_release: { status: 403, title: 'You cannot release your own sign-in', description: 'An administrator cannot release a hold on their own sign-in; another administrator must.' },
  csrf_mismatch: { status: 403, title: 'Missing or wrong CSRF token', description: 'A cookie-authenticated change came without the session\'s CSRF token header.' },
  forbidden: { status: 403, title: 'Not allowed', description: 'The caller\'s roles do not allow this operation.' },
  // access
  not_found: { status: 404, title: 'Not found', description: 'Nothing with this identifier exists that the caller may see.' },
  statement_not_released: { status: 403, title: 'This statement request does not allow a release', description: 'The statement request is not allowed (denied, pending or expired), so nothing is released.' },
  legal_warning_not_acknowledged: { status: 428, title: 'The legal warning must be acknowledged first', description: 'The current legal warning (法律风险警示) must be acknowledged for this request before the statement is released.' },
  self_approval: { status: 403, title: 'You cannot approve your own request', description: 'An approver cannot approve their own statement request.' },
  self_review: { status: 403, title: 'You cannot review your own break-glass use', description: 'The employee who used break-glass cannot review that use.' },
  post_review_closed: { status: 409, title: 'This post-review is already closed', description: 'The break-glass post-review already has an outcome.' },
  approval_not_pending: { status: 409, title: 'This request is not waiting for approval', description: 'The request has already been decided, withdrawn or has expired.' },
  approval_expired: { status: 410, title: 'The approval has expired', description: 'The approval window passed; the employee must request again.' },
  not_an_approver: { status: 403, title: 'You do not hold the approver role for this branch', description: 'The caller holds no approver role for the requester\'s branch.' },
  justification_required: { status: 422, title: 'A written justification is required', description: 'Break-glass and some approvals need a written justification of at least the stated length.' },
  code_invalid: { status: 422, title: 'The one-time code is wrong or has expired', description: 'The one-time code is wrong, used or expired; ask for a new one.' },
  change_not_pending: { status: 409, title: 'This change is not waiting for approval', description: 'The configuration change was already applied, rejected or withdrawn.' },
  same_administrator: { status: 403, title: 'A second administrator must approve this change', description: 'Maker-checker: the administrator who proposed a change cannot apply it.' },
  invalid_policy: { status: 422, title: 'The policy set is not valid', description: 'The Cedar policy set does not parse or breaks Flowguard\'s rules for a policy set; the detail lists each problem.' },
  schema_violation: { status: 422, title: 'A policy does not fit the policy schema', description: 'A policy (or a decision\'s facts) does not fit policies/flowguard.cedarschema, e.g. a misspelt attribute.' },
  policy_engine_unavailable: { status: 503, title: 'The policy engine is not available', description: 'The Cedar engine could not be loaded; no decision is made, so nothing is released.' },
  invalid_change: { status: 422, title: 'The proposed change is not valid', description: 'The proposed purpose, masking rule or role grant is not valid; the detail says why.' },
  output_not_available: { status: 422, title: 'This output format is not available yet', description: 'The requested output format (e.g. PDF) is not built yet; choose view, CSV or print.' },
  rate_limited: { status: 429, title: 'Too many requests', description: 'Too many requests from this client in the window; wait for the time given in Retry-After.' },
  // statement source (the bank's core system behind src/bank/statement-source.ts)
  source_unavailable: { status: 503, title: 'The bank\'s statement system is not answering', description: 'The bank\'s statement system did not answer after retries; try again later.' },
  source_invalid_response: { status: 502, title: 'The bank\'s statement system answered in a form Flowguard cannot read', description: 'The bank\'s statement system answered with data that does not fit the statement contract.' },
  // log
  log_key_invalid: { status: 500, title: 'The log signing or verifier key cannot be used', description: 'The log signing key or verifier key file is missing, malformed or does not match.' },
  log_not_ready: { status: 404, title: 'The log has no published checkpoint yet', description: 'The integrator has not signed a first checkpoint yet; try again shortly.' },
  log_entry_pending: { status: 409, title: 'The entry is not in a published checkpoint yet', description: 'The entry is recorded but no published checkpoint covers it yet; try again in a moment.' },
  log_entry_shredded: { status: 410, title: 'The entry was deleted under the retention policy', description: 'The entry and its salt were deleted under the retention policy; its commitment stays in the log.' },
  internal: { status: 500, title: 'Internal error', description: 'Something failed on the server; the incident was logged with the request id.' },
} as const satisfies ErrorTable & Record<string, { status: number }>;

export type ErrorCode = keyof typeof ERRORS;

/** An error the API answers with: a code of {@link ERRORS}; `details` become extra problem+json members. */
export class FlowguardError extends CodedError<ErrorCode> {
  override readonly name = 'FlowguardError';
  constructor(
    code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }

  get table(): typeof ERRORS {
    return ERRORS;
  }
}

export function isFlowguardError(e: unknown): e is FlowguardError {
  return e instanceof FlowguardError;
}
