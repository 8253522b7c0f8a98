/** HTTP for administration under maker-checker, training records and break-glass post-review. */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../server/context.ts';
import { requireRole } from '../identity/authenticate.ts';
import { CHANGE_KINDS, decideChange, listChanges, proposeChange, type ChangeKind } from './maker-checker.ts';
import { recordTraining, trainingStatus, type TrainingRecordInput } from './training.ts';
import { validatePolicySet } from './policy/index.ts';
import { FlowguardError } from '../errors.ts';
import { POST_REVIEWERS, POST_REVIEW_COMMENT_MAX, POST_REVIEW_COMMENT_MIN, POST_REVIEW_OUTCOMES, closePostReview, type PostReviewClosing } from './post-reviews.ts';
import { customerData } from './customer-data.ts';

const TrainingRecord = Type.Object(
  {
    employeeId: Type.String({ maxLength: 64 }),
    kind: Type.Union([Type.Literal('training'), Type.Literal('attestation')]),
    completedOn: Type.String({ maxLength: 10 }),
    validUntil: Type.String({ maxLength: 10 }),
  },
  { additionalProperties: false },
);

export const adminRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/api/v1/admin/changes', { schema: { tags: ['admin'], summary: 'Proposed and decided configuration changes' } }, async (req) => {
    requireRole(req, 'admin', 'auditor', 'compliance_officer');
    return listChanges(ctx);
  });

  app.post('/api/v1/admin/changes', {
    schema: {
      tags: ['admin'],
      summary: 'Propose a change to the policy set, a purpose, the masking rules or a role grant',
      body: Type.Object({ kind: Type.String({ enum: [...CHANGE_KINDS] }), key: Type.String({ minLength: 1, maxLength: 64 }), body: Type.String({ minLength: 1, maxLength: 60_000 }) }, { additionalProperties: false }),
    },
  }, async (req, reply) => {
    const b = req.body as { kind: ChangeKind; key: string; body: string };
    return reply.code(201).send(await proposeChange(ctx, requireRole(req, 'admin'), b.kind, b.key, b.body, req.id));
  });

  app.post('/api/v1/admin/changes/:id', {
    schema: {
      tags: ['admin'],
      summary: "Approve (apply) or reject another administrator's change",
      params: Type.Object({ id: Type.String({ maxLength: 80 }) }),
      body: Type.Object({ verdict: Type.Union([Type.Literal('applied'), Type.Literal('rejected')]) }, { additionalProperties: false }),
    },
  }, async (req) => decideChange(ctx, requireRole(req, 'admin'), (req.params as { id: string }).id, (req.body as { verdict: 'applied' | 'rejected' }).verdict, req.id));

  app.get('/api/v1/admin/policy-set', { schema: { tags: ['admin'], summary: 'The policy set in force and its schema' } }, async (req) => {
    requireRole(req, 'admin', 'auditor', 'compliance_officer', 'security_analyst');
    // The engine's own copy of what it enforces (the stored set, or every *.cedar file of the policy
    // folder), never a second reading of the files that could differ from it.
    const engine = ctx.settings.policy();
    const current = await ctx.store.db.selectFrom('config_items').select('version').where('kind', '=', 'policy_set').where('key', '=', 'default').executeTakeFirst();
    return { text: engine.source.policyText, version: current?.version ?? 0, schema: engine.source.schemaText, policyIds: engine.policyIds };
  });

  app.post('/api/v1/admin/policy-set/validation', {
    schema: { tags: ['admin'], summary: 'Validate a policy set against the schema without changing anything', body: Type.Object({ text: Type.String({ maxLength: 60_000 }) }, { additionalProperties: false }) },
  }, async (req) => {
    requireRole(req, 'admin');
    const result = validatePolicySet((req.body as { text: string }).text, ctx.settings.policy().source.schemaText);
    // 200 means Cedar read the text and here is its verdict; a text too large or too deep for Cedar
    // to read safely is refused before it, like a proposed change would be.
    if (result.outOfBounds) throw new FlowguardError('invalid_policy', `The policy set was not validated: ${result.errors.join('; ')}.`);
    return result;
  });

  app.post('/api/v1/training-records', {
    schema: { tags: ['admin'], summary: 'Record or import training and attestation records (all or nothing)', body: Type.Object({ records: Type.Array(TrainingRecord, { minItems: 1, maxItems: 5000 }) }, { additionalProperties: false }) },
  }, async (req, reply) => {
    const staff = requireRole(req, 'admin', 'compliance_officer');
    return reply.code(201).send(await recordTraining(ctx, staff, (req.body as { records: TrainingRecordInput[] }).records, req.id));
  });

  app.get('/api/v1/training-status', { schema: { tags: ['admin'], summary: 'Training and attestation validity per branch' } }, async (req) => {
    requireRole(req, 'admin', 'compliance_officer', 'auditor', 'security_analyst');
    return trainingStatus(ctx);
  });

  app.get('/api/v1/post-reviews', { schema: { tags: ['admin'], summary: 'Break-glass uses and their reviews, open and closed (employees under pseudonyms)' } }, async (req) => {
    const staff = requireRole(req, 'security_analyst', 'compliance_officer', 'auditor');
    return customerData(ctx, staff, req.id).postReviews();
  });

  app.post('/api/v1/post-reviews/:id', {
    schema: {
      tags: ['admin'],
      summary: 'Close a break-glass review with an outcome and a comment (recorded; not by the employee who used it)',
      params: Type.Object({ id: Type.String({ maxLength: 80 }) }),
      body: Type.Object({
        outcome: Type.Union(POST_REVIEW_OUTCOMES.map((o) => Type.Literal(o))),
        comment: Type.String({ minLength: POST_REVIEW_COMMENT_MIN, maxLength: POST_REVIEW_COMMENT_MAX }),
      }, { additionalProperties: false }),
    },
  }, async (req) => {
    const reviewer = requireRole(req, ...POST_REVIEWERS);
    return closePostReview(ctx, reviewer, (req.params as { id: string }).id, req.body as PostReviewClosing, req.id);
  });
};
