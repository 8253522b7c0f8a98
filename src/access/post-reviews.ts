/**
 * Break-glass post-review: every use of break-glass opens a review (requests.ts); a security analyst
 * or compliance officer — never the employee who broke the glass — closes it with an outcome and a
 * written comment, recorded as `post_review.closed` in the same transaction as the closing.
 */
import type { AppContext } from '../server/context.ts';
import type { StaffPrincipal } from '../core/principal.ts';
import type { PostReviewOutcome } from '../store/schema.ts';
import { appendAuditEntry, employeeRef } from '../audit/record.ts';
import { pseudonymKey, pseudonymOf } from '../audit/actor-pseudonyms.ts';
import { auditActorOf as staffActor } from '../identity/principal.ts';
import { maskFullNumbers } from '../privacy/full-numbers.ts';
import { FlowguardError } from '../errors.ts';

/** Who may close a review: the second line of defence, not the auditors who later check it was done. */
export const POST_REVIEWERS = ['security_analyst', 'compliance_officer'] as const;
export const POST_REVIEW_OUTCOMES = ['justified', 'not_justified'] as const satisfies readonly PostReviewOutcome[];
/** A reviewer says what they checked; ten characters is the least that can (e.g. "核实工单及客户来电记录"). */
export const POST_REVIEW_COMMENT_MIN = 10;
export const POST_REVIEW_COMMENT_MAX = 2000;

export interface PostReviewClosing { outcome: PostReviewOutcome; comment: string }

/** A review as oversight reads it: employees under their keyed pseudonyms, as in the audit record. */
export interface PostReviewView {
  id: string;
  requestId: string;
  /** The employee who used break-glass (reveal through the recorded reveal). */
  employee: string;
  customerId: string;
  purpose: string;
  justification: string | null;
  status: 'open' | 'closed';
  outcome: PostReviewOutcome | null;
  comment: string | null;
  reviewer: string | null;
  createdAt: string;
  closedAt: string | null;
}

/** The newest 200 reviews, open and closed. */
export async function listPostReviews(ctx: AppContext): Promise<PostReviewView[]> {
  const rows = await reviewQuery(ctx).orderBy('p.created_at', 'desc').orderBy('p.id').limit(200).execute();
  return rows.map(toView);
}

function reviewQuery(ctx: AppContext) {
  return ctx.store.db
    .selectFrom('post_reviews as p')
    .innerJoin('statement_requests as r', 'r.id', 'p.request_id')
    .select(['p.id', 'p.request_id', 'p.employee_id', 'p.status', 'p.outcome', 'p.comment', 'p.reviewer_id', 'p.created_at', 'p.closed_at', 'r.customer_id', 'r.purpose', 'r.justification']);
}

type ReviewRow = Awaited<ReturnType<ReturnType<typeof reviewQuery>['executeTakeFirstOrThrow']>>;

function toView(r: ReviewRow): PostReviewView {
  const key = pseudonymKey();
  return {
    id: r.id,
    requestId: r.request_id,
    employee: pseudonymOf(key, r.employee_id),
    customerId: r.customer_id,
    purpose: r.purpose,
    justification: r.justification,
    status: r.status,
    outcome: r.outcome,
    comment: r.comment,
    reviewer: r.reviewer_id === null ? null : pseudonymOf(key, r.reviewer_id),
    createdAt: r.created_at,
    closedAt: r.closed_at,
  };
}

/**
 * Closes review `id` with the reviewer's outcome and comment.
 * @throws FlowguardError `not_found`, `self_review` (the reviewer used the break-glass),
 *   `post_review_closed` (already closed, also when two reviewers race), `invalid_request` (blank comment).
 */
export async function closePostReview(ctx: AppContext, reviewer: StaffPrincipal, id: string, closing: PostReviewClosing, traceId: string): Promise<PostReviewView> {
  // Reviewers write card or ID numbers into comments; the record refuses them, so they are masked.
  const comment = maskFullNumbers(closing.comment.trim());
  if (comment.length < POST_REVIEW_COMMENT_MIN) {
    throw new FlowguardError('invalid_request', `Say in at least ${POST_REVIEW_COMMENT_MIN} characters what you checked before closing the review.`);
  }
  const now = ctx.now();
  await ctx.store.db.transaction().execute(async (tx) => {
    const review = await tx
      .selectFrom('post_reviews as p')
      .innerJoin('statement_requests as r', 'r.id', 'p.request_id')
      .select(['p.id', 'p.request_id', 'p.employee_id', 'p.status', 'r.customer_id'])
      .where('p.id', '=', id)
      .executeTakeFirst();
    if (!review) throw new FlowguardError('not_found', `No post-review ${id}.`);
    if (review.employee_id === reviewer.employeeId) {
      throw new FlowguardError('self_review', 'You used break-glass for this request; another security analyst or compliance officer must review it.');
    }
    const closed = await tx
      .updateTable('post_reviews')
      .set({ status: 'closed', outcome: closing.outcome, comment, reviewer_id: reviewer.employeeId, closed_at: now.toISOString() })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(closed.numUpdatedRows) !== 1) throw new FlowguardError('post_review_closed', `Post-review ${id} is already closed; its outcome stands.`);
    await appendAuditEntry(tx, {
      action: 'post_review.closed',
      actor: staffActor(reviewer),
      customerId: review.customer_id,
      requestId: review.request_id,
      traceId,
      detail: { reviewId: id, outcome: closing.outcome, comment, requester: employeeRef(review.employee_id) },
    }, now);
  });
  return toView(await reviewQuery(ctx).where('p.id', '=', id).executeTakeFirstOrThrow());
}
