/**
 * Routes reach customer data only through the per-request accessor (src/access/customer-data.ts).
 * A route file (src/**\/routes.ts, src/**\/*-routes.ts) that imports the statement source, the
 * database module or a module the accessor wraps, names `ctx.source`, or queries a customer table
 * itself fails here: such a route could read customer data without the gate deciding and recording.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { importsOf, isRouteFile, withoutComments } from './import-layers.ts';

const ROOT = resolve(import.meta.dirname, '..');

/** Modules that hold or read customer data; only the accessor (and what it calls) may import them. */
const GATED_MODULES: Array<{ path: RegExp; why: string }> = [
  { path: /^src\/store\/database\.ts$/, why: 'the database handle' },
  { path: /^src\/bank\//, why: 'the statement source and the bank adapters' },
  { path: /^src\/customers\/(?!routes\.ts$)/, why: "customers' history, reports and notification settings" },
  { path: /^src\/access\/(statement-gate|customer-search|counter-codes|flags)\.ts$/, why: 'a read the accessor records' },
  { path: /^src\/access\/release\/(?!respond\.ts$)/, why: 'the release pipeline (routes only send what it rendered)' },
];

/** Tables that hold customer data or say whose data was asked for. */
const CUSTOMER_TABLES = new Set([
  'customers', 'customer_relations', 'accounts', 'transactions', 'statement_requests', 'post_reviews',
  'verification_codes', 'outbox', 'flags', 'access_reports', 'customer_access_notifications', 'service_tickets',
]);

export interface Violation { file: string; what: string }

/** What a route file does around the gate; empty when it goes through it. */
export function routeViolations(file: string, text: string): Violation[] {
  const found: Violation[] = [];
  const code = withoutComments(text);
  for (const { specifier } of importsOf(text)) {
    const target = relative(ROOT, resolve(dirname(join(ROOT, file)), specifier)).split('\\').join('/');
    const gated = GATED_MODULES.find((m) => m.path.test(target));
    if (gated) found.push({ file, what: `imports ${target} (${gated.why})` });
  }
  if (/\bctx\s*\.\s*source\b/.test(code)) found.push({ file, what: 'uses ctx.source' });
  for (const m of code.matchAll(/\b(?:selectFrom|insertInto|updateTable|deleteFrom|innerJoin|leftJoin|rightJoin|fullJoin|replaceInto|mergeInto)\(\s*['"`]([a-z_]+)/g)) {
    if (CUSTOMER_TABLES.has(m[1]!)) found.push({ file, what: `queries the customer table ${m[1]}` });
  }
  return found;
}

function routeFiles(dir = 'src'): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : routeFiles(path);
    return isRouteFile(path) ? [path] : [];
  });
}

describe('routes reach customer data only through the accessor', () => {
  it('finds the route files', () => {
    expect(routeFiles()).toEqual(expect.arrayContaining(['src/access/routes.ts', 'src/access/admin-routes.ts', 'src/customers/routes.ts']));
  });

  it('no route file imports a gated module, names ctx.source or queries a customer table', () => {
    const violations = routeFiles().flatMap((file) => routeViolations(file, readFileSync(join(ROOT, file), 'utf8')));
    expect(violations).toEqual([]);
  });

  describe('the check itself', () => {
    const file = 'src/customers/routes.ts';
    it('flags an import of the statement source or the database module', () => {
      expect(routeViolations(file, "import { demoBankSource } from '../bank/statement-source.ts';")).toHaveLength(1);
      expect(routeViolations(file, "import type { Store } from '../store/database.ts';")).toHaveLength(1);
      expect(routeViolations(file, "const m = await import('../access/statement-gate.ts');")).toHaveLength(1);
    });
    it('flags ctx.source and a query of a customer table, not one of a log or settings table', () => {
      expect(routeViolations(file, 'const a = await ctx.source.accounts(id);')).toEqual([{ file, what: 'uses ctx.source' }]);
      expect(routeViolations(file, "return ctx.store.db.selectFrom('access_reports').selectAll().execute();")).toHaveLength(1);
      expect(routeViolations(file, "db.selectFrom('post_reviews as p').innerJoin('statement_requests as r', 'r.id', 'p.request_id')")).toHaveLength(2);
      expect(routeViolations(file, "ctx.store.db.selectFrom('config_items').select('body')")).toEqual([]);
    });
    it('ignores comments and allowed imports', () => {
      expect(routeViolations(file, "// ctx.source.accounts(id) is what this route must never do\nimport { sendRelease } from '../access/release/respond.ts';")).toEqual([]);
    });
  });
});
