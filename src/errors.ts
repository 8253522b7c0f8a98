/**
 * Every error Flowguard reports on purpose has a code from this table. The HTTP layer maps the code to
 * a status and an RFC 9457 problem type; the CLI prints the message and exits 2. A code, once
 * published, keeps its meaning forever: retire a code rather than reuse it.
 */
export const ERRORS = {
  // input
  invalid_request: { status: 400, title: 'The request is not valid' },
  invalid_json: { status: 400, title: 'The body is not valid JSON' },
  body_too_large: { status: 413, title: 'The body is too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported content type' },
  personal_number_in_field: { status: 422, title: 'A personal number was typed where it does not belong' },
  uri_too_long: { status: 414, title: 'The address is too long' },
  headers_too_large: { status: 431, title: 'The request headers are too large' },
  request_timeout: { status: 408, title: 'The request did not arrive in time' },
  expectation_failed: { status: 417, title: 'The Expect header cannot be met' },
  invalid_database_url: { status: 400, title: 'Unsupported database URL' },
  invalid_period: { status: 422, title: 'The statement period is not allowed' },
  unknown_purpose: { status: 422, title: 'Unknown purpose' },
  invalid_reference: { status: 422, title: 'The reference does not fit this request' },
  unknown_account: { status: 422, title: 'Unknown account' },
  unknown_field: { status: 422, title: 'Unknown field to unmask' },
  // identity
  unauthenticated: { status: 401, title: 'Authentication required' },
  invalid_credentials: { status: 401, title: 'Wrong username or password' },
  too_many_attempts: { status: 429, title: 'Too many attempts' },
  self_release: { status: 403, title: 'You cannot release your own sign-in' },
  csrf_mismatch: { status: 403, title: 'Missing or wrong CSRF token' },
  forbidden: { status: 403, title: 'Not allowed' },
  // access
  not_found: { status: 404, title: 'Not found' },
  statement_not_released: { status: 403, title: 'This statement request does not allow a release' },
  legal_warning_not_acknowledged: { status: 428, title: 'The legal warning must be acknowledged first' },
  self_approval: { status: 403, title: 'You cannot approve your own request' },
  self_review: { status: 403, title: 'You cannot review your own break-glass use' },
  post_review_closed: { status: 409, title: 'This post-review is already closed' },
  approval_not_pending: { status: 409, title: 'This request is not waiting for approval' },
  approval_expired: { status: 410, title: 'The approval has expired' },
  not_an_approver: { status: 403, title: 'You do not hold the approver role for this branch' },
  justification_required: { status: 422, title: 'A written justification is required' },
  code_invalid: { status: 422, title: 'The one-time code is wrong or has expired' },
  change_not_pending: { status: 409, title: 'This change is not waiting for approval' },
  same_administrator: { status: 403, title: 'A second administrator must approve this change' },
  invalid_policy: { status: 422, title: 'The policy set is not valid' },
  policy_engine_unavailable: { status: 503, title: 'The policy engine is not available' },
  invalid_change: { status: 422, title: 'The proposed change is not valid' },
  output_not_available: { status: 422, title: 'This output format is not available yet' },
  rate_limited: { status: 429, title: 'Too many requests' },
  // statement source (the bank's core system behind src/bank/statement-source.ts)
  source_unavailable: { status: 503, title: 'The bank\'s statement system is not answering' },
  source_invalid_response: { status: 502, title: 'The bank\'s statement system answered in a form Flowguard cannot read' },
  // log
  log_key_invalid: { status: 500, title: 'The log signing or verifier key cannot be used' },
  log_not_ready: { status: 404, title: 'The log has no published checkpoint yet' },
  log_entry_pending: { status: 409, title: 'The entry is not in a published checkpoint yet' },
  log_entry_shredded: { status: 410, title: 'The entry was deleted under the retention policy' },
  internal: { status: 500, title: 'Internal error' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERRORS;

export class FlowguardError extends Error {
  override readonly name = 'FlowguardError';
  /** Set once the refusal is in the audit record, so the error handler does not record it twice. */
  recorded = false;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get status(): number {
    return ERRORS[this.code].status;
  }
}

export function isFlowguardError(e: unknown): e is FlowguardError {
  return e instanceof FlowguardError;
}
