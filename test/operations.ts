/**
 * Every operation the server answers, for the suites that must cover every endpoint (the fuzz test
 * and the authorisation matrix): the operations of the app's own OpenAPI document, plus the routes
 * hidden from it (health, metrics, the log's tiles, the documentation and the console's pages), taken
 * from `app.registeredRoutes`. An endpoint added later appears here without anyone listing it.
 */
import type { FastifyInstance } from 'fastify';
import { createSession, type SessionSubject } from '../src/identity/sessions.ts';
import type { TestApp } from './app-harness.ts';
import { C, E } from './bank-fixture.ts';

/** The parts of a JSON schema the generators read (typebox emits these). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  description?: string;
  format?: string;
}

export interface Parameter { name: string; in: 'path' | 'query' | 'header' | 'cookie'; required: boolean; schema: JsonSchema }

export interface Operation {
  /** `GET /api/v1/statement-requests/:id` — the route as Fastify spells it, the key of the policy table. */
  key: string;
  method: string;
  /** Fastify's spelling: `:id`, `*`. */
  path: string;
  /** False for the routes the OpenAPI document hides. */
  documented: boolean;
  parameters: Parameter[];
  body: JsonSchema | null;
}

interface OpenApiOperation { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema: JsonSchema }> } }

/** OpenAPI's `{id}` and `{*}` in Fastify's spelling. */
function fastifyPath(openApiPath: string): string {
  return openApiPath.replace(/\{\*\}/g, '*').replace(/\{([^}]+)\}/g, ':$1');
}

/** Path parameters a hidden route has, read from its Fastify path. */
function parametersOfPath(path: string): Parameter[] {
  const named = [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
  return [...named, ...(path.includes('*') ? ['*'] : [])].map((name) => ({ name, in: 'path' as const, required: true, schema: { type: 'string' } }));
}

/**
 * All operations of the app: documented ones from GET /openapi.json, then every other registered
 * route. HEAD is left out: Fastify answers it with the GET handler.
 */
export async function listOperations(app: FastifyInstance): Promise<Operation[]> {
  const res = await app.inject({ method: 'GET', url: '/openapi.json' });
  if (res.statusCode !== 200) throw new Error(`GET /openapi.json answered ${res.statusCode}`);
  const doc = res.json() as { paths: Record<string, Record<string, OpenApiOperation>> };
  const ops = new Map<string, Operation>();
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const [m, op] of Object.entries(item)) {
      const method = m.toUpperCase();
      const path = fastifyPath(p);
      const body = op.requestBody?.content?.['application/json']?.schema ?? null;
      ops.set(`${method} ${path}`, { key: `${method} ${path}`, method, path, documented: true, parameters: op.parameters ?? [], body });
    }
  }
  for (const r of app.registeredRoutes) {
    const key = `${r.method} ${r.url}`;
    if (r.method === 'HEAD' || ops.has(key)) continue;
    ops.set(key, { key, method: r.method, path: r.url, documented: false, parameters: parametersOfPath(r.url), body: null });
  }
  return [...ops.values()];
}

/** The callers of both suites: each holds one role of the bank, or none. */
export const ROLES = [
  'anonymous', 'customer', 'teller', 'relationship_manager', 'back_office', 'branch_manager',
  'security_analyst', 'investigator', 'compliance_officer', 'auditor', 'admin',
] as const;
export type Role = (typeof ROLES)[number];

/** The test bank's person for each role (test/bank-fixture.ts); the branch manager holds `approver`. */
export const SUBJECT: Record<Exclude<Role, 'anonymous'>, SessionSubject> = {
  customer: { kind: 'customer', customerId: C.retail },
  teller: { kind: 'staff', employeeId: E.teller },
  relationship_manager: { kind: 'staff', employeeId: E.rm },
  back_office: { kind: 'staff', employeeId: E.backOffice },
  branch_manager: { kind: 'staff', employeeId: E.manager },
  security_analyst: { kind: 'staff', employeeId: E.analyst },
  investigator: { kind: 'staff', employeeId: E.investigator },
  compliance_officer: { kind: 'staff', employeeId: E.compliance },
  auditor: { kind: 'staff', employeeId: E.auditor },
  admin: { kind: 'staff', employeeId: E.admin },
};

export interface Credentials { token: string; csrfToken: string }

/**
 * A fresh session for a role, written straight into the store: signing in through the API hundreds
 * of times would trip the sign-in delays these suites also probe, and a logout must not end the
 * session other requests use.
 */
export async function sessionFor(t: TestApp, role: Exclude<Role, 'anonymous'>): Promise<Credentials> {
  const s = await createSession(t.store.db, SUBJECT[role], t.ctx.config.sessionTtlHours, t.clock.now);
  return { token: s.token, csrfToken: s.csrfToken };
}

/** `/api/v1/x/:id/y` with each parameter replaced by what `value` gives, encoded unless `raw`. */
export function fillPath(path: string, value: (name: string) => { text: string; raw?: boolean }): string {
  return path.replace(/:([A-Za-z0-9_]+)|\*/g, (whole, name: string | undefined) => {
    const v = value(name ?? '*');
    return v.raw ? v.text : encodeLoosely(v.text);
  });
}

/**
 * encodeURIComponent, except that a lone surrogate (which it refuses) is sent as its WTF-8 bytes,
 * as a careless client would: the server must cope with what no browser would send.
 */
export function encodeLoosely(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return [...text].map((ch) => {
      const unit = ch.charCodeAt(0);
      if (ch.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
        return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
      }
      return encodeURIComponent(ch);
    }).join('');
  }
}
