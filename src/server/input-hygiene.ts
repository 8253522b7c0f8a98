/**
 * One hook for every route, before its schema and its service: text that is not well-formed Unicode
 * is refused with 400, and a full card, resident ID or mobile number typed into an API field not
 * meant for one with 422 `personal_number_in_field` (typed-input.ts holds the rules and the named
 * exemptions). Refusing here, before anything is stored or recorded, is what keeps such a number out
 * of the record: services never see it, so nothing downstream can trip over it with a 500.
 */
import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from './context.ts';
import { FlowguardError } from '../errors.ts';
import { appendAuditEntry } from '../audit/record.ts';
import { auditActorOf } from '../identity/principal.ts';
import { findMalformedText, findPersonalNumber, MAX_INPUT_DEPTH, nestsDeeperThan, personalNumberMessage, typedValues, type PersonalNumberFinding, type TypedValue } from './typed-input.ts';

/** Personal numbers are looked for in the API; pages, assets and the public log tiles take no typed fields. */
const API_PREFIX = '/api/';

export const inputHygiene = fp<{ ctx: AppContext }>(
  async (app, { ctx }) => {
    app.addHook('preValidation', async (request) => {
      if (nestsDeeperThan(request.body, MAX_INPUT_DEPTH)) {
        throw new FlowguardError('invalid_request', `The body nests arrays or objects more than ${MAX_INPUT_DEPTH} levels deep; no request needs that. Send a flatter body.`);
      }
      const values = valuesOf(request);
      const malformed = findMalformedText(values);
      if (malformed) {
        const where = malformed.part === 'body' ? malformed.field : `The ${malformed.part === 'query' ? 'query parameter' : 'path segment'} ${malformed.field}`;
        throw new FlowguardError('invalid_request', `${where} ${malformed.problem}.`);
      }
      const route = request.routeOptions.url;
      if (!route?.startsWith(API_PREFIX)) return;
      const finding = findPersonalNumber(request.method, route, values);
      if (finding) await refusePersonalNumber(ctx, request, route, finding);
    });
  },
  { name: 'flowguard-input-hygiene' },
);

/**
 * After the schema: Ajv coerces "Infinity" and "1e309" in a path or query to Infinity, which passes
 * an integer schema, and 1e20 passes one without a maximum; a database then fails on them (PostgreSQL
 * with a 500). Every number a route receives must be finite and, where whole, exactly representable.
 */
export const numberHygiene = fp(
  async (app) => {
    app.addHook('preHandler', async (request) => {
      const bad = findUnusableNumber({ params: request.params, query: request.query, body: request.body });
      if (bad) throw new FlowguardError('invalid_request', `${bad} is not a number this API can use; send a whole number from 0 to ${Number.MAX_SAFE_INTEGER}.`);
    });
  },
  { name: 'flowguard-number-hygiene' },
);

function valuesOf(request: FastifyRequest): TypedValue[] {
  return [...typedValues('params', request.params), ...typedValues('query', request.query), ...typedValues('body', request.body)];
}

/**
 * Records the refusal with the number masked (who typed which kind of number where), then refuses.
 * Nobody signed in: nothing can be attributed, so a log line says where, never what.
 */
async function refusePersonalNumber(ctx: AppContext, request: FastifyRequest, route: string, f: PersonalNumberFinding): Promise<never> {
  const error = new FlowguardError('personal_number_in_field', personalNumberMessage(f), { field: f.field, kind: f.kind });
  if (request.principal) {
    await appendAuditEntry(ctx.store.db, {
      action: 'request.refused',
      actor: auditActorOf(request.principal),
      traceId: request.id,
      detail: { method: request.method, route, error: error.code, status: error.status, part: f.part, field: f.field, kind: f.kind, masked: f.masked },
    }, ctx.now());
    error.recorded = true;
  } else {
    request.log.warn({ route, part: f.part, field: f.field, kind: f.kind }, 'refused a personal number typed by an anonymous caller');
  }
  throw error;
}

/** The path of the first number that is not finite or is a whole number beyond 2^53 - 1. Iterative, like every walk of input. */
export function findUnusableNumber(value: unknown): string | undefined {
  const stack: Array<{ path: string; value: unknown }> = [{ path: '', value }];
  while (stack.length) {
    const { path, value: v } = stack.pop()!;
    if (typeof v === 'number') {
      if (!Number.isFinite(v) || (Number.isInteger(v) && !Number.isSafeInteger(v))) return path || 'A number';
    } else if (v !== null && typeof v === 'object') {
      for (const [key, item] of Object.entries(v)) stack.push({ path: path ? `${path}.${key}` : key, value: item });
    }
  }
  return undefined;
}
