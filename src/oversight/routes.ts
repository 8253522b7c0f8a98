/**
 * HTTP for oversight: the security dashboard, the audit record with filters and entry detail,
 * revealing an employee behind a pseudonym (recorded), and the log's verifier keys for the console.
 */
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { AppContext } from '../server/context.ts';
import { requireRole } from '../identity/authenticate.ts';
import { appendAuditEntry } from '../audit/record.ts';
import { maskFullNumbers } from '../privacy/full-numbers.ts';
import { auditActorOf } from '../identity/principal.ts';
import { FlowguardError } from '../errors.ts';
import { loadSigningKeyFile } from '../audit/log/signing-key-file.ts';
import { dashboardSeries } from './dashboard.ts';
import { auditRecordEntry, listAuditRecord, type AuditRecordFilter } from './audit-record.ts';
import { revealEmployee, revealEntryOpenings } from './reveal.ts';
import { staffDirectory } from './staff-directory.ts';
import { readRecordTimeRange } from '../access/record-time-filter.ts';
import { customerData, type FlagFilter } from '../access/customer-data.ts';

/** Roles that watch the bank's access: security, investigation, compliance and audit. */
export const OVERSIGHT_ROLES = ['security_analyst', 'investigator', 'compliance_officer', 'auditor'] as const;

const AuditQuery = Type.Object({
  action: Type.Optional(Type.String({ maxLength: 64 })),
  pseudonym: Type.Optional(Type.String({ maxLength: 64 })),
  customerId: Type.Optional(Type.String({ maxLength: 64 })),
  requestId: Type.Optional(Type.String({ maxLength: 80 })),
  from: Type.Optional(Type.String({ maxLength: 30, description: 'A day YYYY-MM-DD (from its start, UTC) or a UTC time YYYY-MM-DDTHH:MM:SSZ; inclusive' })),
  to: Type.Optional(Type.String({ maxLength: 30, description: 'A day YYYY-MM-DD (to its end, UTC) or a UTC time YYYY-MM-DDTHH:MM:SSZ; inclusive' })),
  // Beyond 2^53 a number is no longer exact, and PostgreSQL's bigint refuses it with an error.
  before: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
}, { additionalProperties: false });

export const oversightRoutes: FastifyPluginAsync<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get('/api/v1/oversight/dashboard', {
    schema: { tags: ['oversight'], summary: 'Dashboard series: accesses per hour, decisions, purposes, top employees, break-glass, pending approvals', querystring: Type.Object({ hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 31 })) }) },
  }, async (req) => {
    requireRole(req, ...OVERSIGHT_ROLES);
    return dashboardSeries(ctx, (req.query as { hours?: number }).hours ?? 24);
  });

  app.get('/api/v1/oversight/audit-record', {
    schema: { tags: ['oversight'], summary: 'The audit record, newest first, with employees under pseudonyms (the search is recorded)', querystring: AuditQuery },
  }, async (req) => {
    const staff = requireRole(req, ...OVERSIGHT_ROLES);
    const q = req.query as Omit<AuditRecordFilter, 'limit'> & { limit?: number };
    const filter: AuditRecordFilter = { ...q, ...readRecordTimeRange(q), limit: q.limit ?? 100 };
    const rows = await listAuditRecord(ctx, filter);
    await appendAuditEntry(ctx.store.db, { action: 'audit_record.searched', actor: auditActorOf(staff), traceId: req.id, detail: { filter: maskTypedNumbers(q), results: rows.length } }, ctx.now());
    return rows;
  });

  app.get('/api/v1/oversight/audit-record/:seq', {
    schema: { tags: ['oversight'], summary: 'One audit entry, pseudonymised (the reading is recorded)', params: Type.Object({ seq: Type.Integer({ minimum: 1 }) }) },
  }, async (req) => {
    const staff = requireRole(req, ...OVERSIGHT_ROLES);
    const seq = (req.params as { seq: number }).seq;
    const entry = await auditRecordEntry(ctx, seq);
    if (!entry) throw new FlowguardError('not_found', `No audit entry ${seq}.`);
    await appendAuditEntry(ctx.store.db, { action: 'audit_record.entry_read', actor: auditActorOf(staff), customerId: entry.customerId, traceId: req.id, detail: { seq } }, ctx.now());
    return entry;
  });

  app.post('/api/v1/oversight/employees/:pseudonym/reveal', {
    schema: {
      tags: ['oversight'],
      summary: 'Reveal the employee behind a pseudonym, with a reason (recorded before the name is returned)',
      params: Type.Object({ pseudonym: Type.String({ minLength: 1, maxLength: 64 }) }),
      body: Type.Object({ reason: Type.String({ minLength: 4, maxLength: 500 }) }, { additionalProperties: false }),
    },
  }, async (req) => {
    const staff = requireRole(req, ...OVERSIGHT_ROLES);
    return revealEmployee(ctx, staff, (req.params as { pseudonym: string }).pseudonym, (req.body as { reason: string }).reason, req.id);
  });

  app.post('/api/v1/oversight/audit-record/:seq/openings', {
    schema: {
      tags: ['oversight'],
      summary: "Reveal the employees an entry names: each commitment's opening (employee ID, nonce), with a reason (recorded before they are returned)",
      params: Type.Object({ seq: Type.Integer({ minimum: 1 }) }),
      body: Type.Object({ reason: Type.String({ minLength: 4, maxLength: 500 }) }, { additionalProperties: false }),
    },
  }, async (req) => {
    const staff = requireRole(req, ...OVERSIGHT_ROLES);
    return revealEntryOpenings(ctx, staff, (req.params as { seq: number }).seq, (req.body as { reason: string }).reason, req.id);
  });

  app.get('/api/v1/flags', {
    schema: {
      tags: ['oversight'],
      summary: 'Silent flags the policy raised (honeytoken access, related party, break-glass…), newest first; never shown to the requester (the reading is recorded)',
      querystring: Type.Object({
        kind: Type.Optional(Type.String({ maxLength: 64, pattern: '^[a-z0-9_]+$', description: 'A flag kind, e.g. honeytoken_access' })),
        since: Type.Optional(Type.String({ maxLength: 30, description: 'A day YYYY-MM-DD (from its start, UTC) or a UTC time YYYY-MM-DDTHH:MM:SSZ; inclusive' })),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
      }, { additionalProperties: false }),
    },
  }, async (req) => {
    const staff = requireRole(req, ...OVERSIGHT_ROLES);
    const q = req.query as Omit<FlagFilter, 'limit'> & { limit?: number };
    return customerData(ctx, staff, req.id).silentFlags({ kind: q.kind, since: q.since, limit: q.limit ?? 100 });
  });

  app.get('/api/v1/oversight/staff', {
    schema: { tags: ['oversight'], summary: 'Staff and their roles, for administrators (role changes go through maker-checker)' },
  }, async (req) => {
    requireRole(req, 'admin');
    return staffDirectory(ctx);
  });

  app.get('/api/v1/oversight/log-keys', {
    schema: { tags: ['oversight'], summary: "The log's verifier keys (note format), for pinning in the console; public", security: [] },
  }, async () => {
    const config = ctx.config.log;
    const keys = [...config.verifierKeys];
    try {
      keys.push((await loadSigningKeyFile(config.keyFile, config.origin, { create: false })).verifierKey);
    } catch {
      // No key file on this instance (a bank may hold only public keys): the configured keys stand.
    }
    return { origin: config.origin, verifierKeys: [...new Set(keys)] };
  });
};

/** Filters are typed by a person: a full card or ID number in one is kept masked in the record. */
function maskTypedNumbers(filter: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(filter).map(([k, v]) => [k, typeof v === 'string' ? maskFullNumbers(v) : v]));
}
