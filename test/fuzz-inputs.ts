/**
 * What the fuzz test sends, as fast-check arbitraries derived from an operation's JSON schema: values
 * that mostly fit the schema (so requests get past validation into the handler) with hostile leaves —
 * full card and resident ID numbers, lone surrogates, impossible dates, huge and odd strings, wrong
 * types — and whole requests that are malformed at the body, content-type and path level.
 */
import fc from 'fast-check';
import { encodeLoosely, type JsonSchema, type Operation } from './operations.ts';

/** A card number that passes the Luhn check, 16 or 19 digits, as banks in China issue them. */
export const cardNumber = (): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom('62', '4', '5', '3'), fc.constantFrom(16, 19), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 18, maxLength: 18 }))
    .map(([prefix, length, digits]) => withLuhn(`${prefix}${digits.join('')}`.slice(0, length - 1)));

function withLuhn(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/** A resident ID number with a real birth date and a GB 11643 check character. */
export const residentId = (): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom('110101', '310109', '440305', '510104'), fc.date({ min: new Date('1930-01-01'), max: new Date('2020-12-31'), noInvalidDate: true }), fc.integer({ min: 0, max: 999 }))
    .map(([region, born, n]) => {
      const body = `${region}${born.toISOString().slice(0, 10).replaceAll('-', '')}${String(n).padStart(3, '0')}`;
      const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
      const sum = [...body].reduce((s, c, i) => s + Number(c) * w[i]!, 0);
      return body + '10X98765432'[sum % 11];
    });

/** A 648-byte policy nesting 300 parentheses: it overflowed Cedar's stack (issue 9 item 1). */
export const NESTED_POLICY = `permit(principal, action, resource) when { ${'('.repeat(300)}true${')'.repeat(300)} };`;

/** Strings that have broken servers: lone surrogates, controls, bidi, injections, traversal, dates. */
const ODD_STRINGS = [
  '', ' ', '\uD800', 'a\uDFFFb', '\uDBFF\uDBFF', '\u0000', 'C-RETAIL\u0000', '\u202Etxt.exe', '\uFEFF', '𠮷'.repeat(40), 'é'.normalize('NFD'),
  "' OR '1'='1", '"; DROP TABLE customers;--', '<script>alert(1)</script>', '{{7*7}}', '${jndi:ldap://x/a}', '\r\nSet-Cookie: x=1',
  '../../etc/passwd', '%2e%2e%2f', '%00', '%zz', 'NaN', 'Infinity', '-0', '1e309', '0x10', '9007199254740993', '-1',
  '2025-02-30', '2025-02-31', '2025-02-29', '2024-02-30', '0000-01-01', '0000-00-00', '1970-01-01', '2099-12-31', '9999-12-31', '2025-13-01',
  '2025-00-10', '2025-2-3', '+02025-01-01', '2025-01-01T25:00:00Z', '2025-01-01T00:00:00+99:00', '2026-08-01\u0000', '２０２６-０８-０１',
  '13800138001', '+86 138 0013 8001', NESTED_POLICY, 'permit(principal, action, resource);', '{"roles":["admin"]}', 'null', '[]',
];

const hugeString = fc.constantFrom(65, 129, 2_001, 10_000, 60_001).chain((n) => fc.constantFrom('x', '9', '𠮷', '\uD800', '(').map((c) => c.repeat(n)));

/** One hostile string: a personal number (alone or inside text), an odd string, a date, random text. */
export const hostileString = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 3, arbitrary: cardNumber() },
    { weight: 3, arbitrary: residentId() },
    { weight: 1, arbitrary: fc.tuple(fc.oneof(cardNumber(), residentId()), fc.constantFrom('卡号 ', 'ref ', '')).map(([n, p]) => `${p}${n}`) },
    { weight: 5, arbitrary: fc.constantFrom(...ODD_STRINGS) },
    { weight: 1, arbitrary: hugeString },
    { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 })).map(([y, m, d]) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  );

/** A value of the wrong type, or wrongly shaped. */
export const wrongType = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom(null, true, false, 0, -1, 1e308, -1e308, 2 ** 53 + 1, 0.5, [], {}, [null], { $gt: '' }, JSON.parse('{"__proto__":{"admin":true}}')),
    fc.integer(),
    fc.double({ noNaN: true }),
    fc.array(fc.string(), { maxLength: 3 }),
    fc.object({ maxDepth: 2 }),
  );

/** Values the handlers know, by field name, so requests get past "unknown" into the handler's logic. */
export type KnownValues = Record<string, string[]>;

function typesOf(schema: JsonSchema): string[] {
  return schema.type === undefined ? [] : [schema.type].flat();
}

/**
 * A value that mostly fits `schema`, with hostile strings and wrong types mixed in at every leaf.
 * `name` is the field's name, for the known values.
 */
export function valueFor(schema: JsonSchema, known: KnownValues, name = '', depth = 0): fc.Arbitrary<unknown> {
  const fits = fittingValue(schema, known, name, depth);
  // Mostly fitting, so most requests pass validation and reach the handler with hostile strings
  // inside (fittingValue mixes them into every string); sometimes a wrong type for the validator.
  return fc.oneof({ weight: 14, arbitrary: fits }, { weight: 1, arbitrary: hostileString() }, { weight: 1, arbitrary: wrongType() });
}

/**
 * A value that fits `schema` everywhere (known values, strings within bounds), with exactly one leaf
 * replaced by something hostile: a request with one thing wrong gets past validation whenever that
 * thing is a string the schema allows, so the handler itself meets it.
 */
export function oneHostileLeaf(schema: JsonSchema, known: KnownValues): fc.Arbitrary<unknown> {
  const hostile = fc.oneof({ weight: 6, arbitrary: hostileString() }, { weight: 1, arbitrary: wrongType() }, { weight: 1, arbitrary: fc.constant(DROP) });
  return fc.tuple(fittingValue(schema, known, '', 0, true), fc.nat(), hostile).map(([value, at, bad]) => replaceLeaf(value, at, bad));
}

const DROP = Symbol('drop the field');

/** `value` with its (at mod leaves)-th leaf replaced by `bad` (or removed, for DROP). */
function replaceLeaf(value: unknown, at: number, bad: unknown): unknown {
  const leaves: Array<{ parent: Record<string, unknown> | unknown[] | null; key: string | number }> = [];
  const walk = (v: unknown, parent: Record<string, unknown> | unknown[] | null, key: string | number) => {
    if (v !== null && typeof v === 'object' && Object.keys(v).length > 0) {
      for (const [k, child] of Object.entries(v)) walk(child, v as Record<string, unknown>, Array.isArray(v) ? Number(k) : k);
    } else leaves.push({ parent, key });
  };
  const root = structuredClone(value);
  walk(root, null, '');
  const leaf = leaves[at % leaves.length]!;
  if (leaf.parent === null) return bad === DROP ? undefined : bad;
  if (bad === DROP) {
    if (Array.isArray(leaf.parent)) leaf.parent.splice(leaf.key as number, 1);
    else delete leaf.parent[leaf.key as string];
  } else (leaf.parent as Record<string | number, unknown>)[leaf.key] = bad;
  return root;
}

function fittingValue(schema: JsonSchema, known: KnownValues, name: string, depth: number, clean = false): fc.Arbitrary<unknown> {
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((s) => fittingValue(s, known, name, depth, clean)));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.const !== undefined) return fc.constant(schema.const);
  const type = typesOf(schema)[0];
  switch (type) {
    case 'object': {
      const props = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const fields = Object.entries(props).map(([k, s]) => {
        const v = depth > 4 || clean ? fittingValue(s, known, k, depth + 1, clean) : valueFor(s, known, k, depth + 1);
        // Required fields are there most of the time; optional ones half the time.
        if (clean && required.has(k)) return v.map((x) => [k, x] as const);
        return fc.option(v.map((x) => [k, x] as const), { nil: undefined, freq: required.has(k) ? 12 : 2 });
      });
      // A stray field one time in eight.
      const extra = clean ? fc.constant(undefined) : fc.oneof({ weight: 7, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.tuple(fc.constantFrom('extra', '__proto__', 'constructor', ''), wrongType()) });
      return fc.tuple(fc.tuple(...fields), extra).map(([entries, more]) => {
        const o: Record<string, unknown> = {};
        for (const e of entries) if (e) o[e[0]] = e[1];
        if (more) Object.defineProperty(o, more[0], { value: more[1], enumerable: true, writable: true, configurable: true });
        return o;
      });
    }
    case 'array':
      if (clean) return fc.array(schema.items ? fittingValue(schema.items, known, name, depth + 1, true) : fc.string(), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 3, 3) });
      return fc.array(schema.items ? valueFor(schema.items, known, name, depth + 1) : wrongType(), { maxLength: Math.min(schema.maxItems ?? 5, 5) + 1 });
    case 'integer':
    case 'number':
      if (clean) return fc.integer({ min: schema.minimum ?? 0, max: Math.min(schema.maximum ?? 100, 100) });
      return fc.oneof(
        fc.integer({ min: schema.minimum ?? -10, max: Math.min(schema.maximum ?? 1000, 1000) }),
        fc.constantFrom(0, -1, 1, 2 ** 31, 2 ** 53 - 1, 2 ** 53 + 1, 1e300, 0.5),
      );
    case 'boolean':
      return fc.boolean();
    case 'string':
    default: {
      // Known values by field name, as far as they fit this field (two fields may share a name).
      const good = (known[name] ?? []).filter((v) => fitsString(v, schema));
      if (clean) return good.length ? fc.constantFrom(...good) : fc.string({ unit: 'grapheme-ascii', minLength: Math.max(schema.minLength ?? 1, 1), maxLength: Math.min(schema.maxLength ?? 20, 20) });
      return fc.oneof(
        { weight: good.length ? 4 : 0, arbitrary: good.length ? fc.constantFrom(...good) : fc.constant('') },
        { weight: 1, arbitrary: fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 20, 20) }) },
        { weight: 2, arbitrary: hostileString() },
      );
    }
  }
}

function fitsString(v: string, schema: JsonSchema): boolean {
  const length = [...v].length;
  return length >= (schema.minLength ?? 0) && length <= (schema.maxLength ?? Infinity) && (schema.pattern === undefined || new RegExp(schema.pattern, 'u').test(v));
}

/** A path segment: a known id, or a trick that inject can still send (bad encodings are for the socket). */
export const pathValue = (good: string[]): fc.Arbitrary<{ text: string; raw?: boolean }> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...(good.length ? good : ['x'])).map((text) => ({ text })) },
    { weight: 3, arbitrary: hostileString().map((text) => ({ text })) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        '%2e%2e', '..', '.', '%2e%2e%2f%2e%2e%2fhealthz', '..%2f..%2fadmin', '%00', '%zz', '%', '%ED%A0%80', '%C0%AE%C0%AE', '%2F', '%252e%252e',
        ';admin', 'a;b=c', '~', '%20', '+', 'C-RETAIL%00', `${'a'.repeat(5_000)}`, `${'%41'.repeat(1_000)}`, '%F0%A0%AE%B7',
      ).map((text) => ({ text, raw: true })),
    },
    { weight: 1, arbitrary: wrongType().map((v) => ({ text: JSON.stringify(v) ?? 'undefined' })) },
  );

export interface FuzzBody { payload?: string; contentType?: string }

/** A body: mostly schema-shaped JSON, else wrong at the root, nested deep, not JSON, empty, mislabelled or huge. */
export function bodyFor(op: Operation, known: KnownValues): fc.Arbitrary<FuzzBody> {
  const shaped = op.body ? valueFor(op.body, known) : fc.oneof(fc.constant({}), fc.object({ maxDepth: 2 }));
  const json = (v: unknown) => JSON.stringify(v) ?? 'null';
  const depth = fc.constantFrom(100, 1_000, 10_000);
  return fc.oneof(
    { weight: 12, arbitrary: shaped.map((v) => ({ payload: json(v), contentType: 'application/json' })) },
    { weight: op.body ? 24 : 0, arbitrary: (op.body ? oneHostileLeaf(op.body, known) : fc.constant({})).map((v) => ({ payload: json(v), contentType: 'application/json' })) },
    { weight: 2, arbitrary: wrongType().map((v) => ({ payload: json(v), contentType: 'application/json' })) },
    { weight: 1, arbitrary: depth.map((n) => ({ payload: `${'['.repeat(n)}${']'.repeat(n)}`, contentType: 'application/json' })) },
    { weight: 1, arbitrary: depth.map((n) => ({ payload: `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`, contentType: 'application/json' })) },
    {
      weight: 2,
      arbitrary: fc.constantFrom('{', '{"a":}', "{'a':1}", 'undefined', '\uD800', '{"a":"\\uD800"}', '{"a":1,"a":2}', '{"__proto__":{"admin":true}}', 'NaN', '1e999', '\u0000', '﻿{}')
        .map((payload) => ({ payload, contentType: 'application/json' })),
    },
    { weight: 1, arbitrary: fc.constantFrom('', ' ').map((payload) => ({ payload, contentType: 'application/json' })) },
    {
      weight: 3,
      arbitrary: fc.tuple(shaped, fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/json; charset=utf-16', 'application/jsonx', 'application/problem+json', '', '\uD800', 'application/json;;;', '*/*'))
        .map(([v, contentType]) => ({ payload: json(v), contentType })),
    },
    { weight: 1, arbitrary: fc.constant({ payload: json({ x: 'y'.repeat(70_000) }), contentType: 'application/json' }) },
    { weight: 1, arbitrary: fc.constant({}) },
  );
}

/** A generated value as query text. String() throws on the prototype-less objects fast-check makes. */
function asQueryText(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v) ?? '';
}

/** A query string: the declared parameters with known, hostile or repeated values, and strays. */
export function queryFor(op: Operation, known: KnownValues): fc.Arbitrary<string> {
  const params = op.parameters.filter((p) => p.in === 'query');
  const one = (name: string, schema: JsonSchema) =>
    fc.oneof(
      { weight: 4, arbitrary: valueFor(schema, known, name).map((v) => [`${encodeLoosely(name)}=${encodeLoosely(asQueryText(v))}`]) },
      { weight: 1, arbitrary: fc.tuple(valueFor(schema, known, name), valueFor(schema, known, name)).map(([a, b]) => [`${name}=${encodeLoosely(asQueryText(a))}`, `${name}=${encodeLoosely(asQueryText(b))}`]) },
      { weight: 1, arbitrary: fc.constantFrom('%zz', '%00', '%ED%A0%80', '', '%', '+', 'a'.repeat(3000)).map((raw) => [`${name}=${raw}`]) },
      { weight: 2, arbitrary: fc.constant([] as string[]) },
    );
  const stray = fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('__proto__[admin]=1', 'constructor=x', 'a[b][c]=1', '=x', '&&&', 'q', `before=${'9'.repeat(25)}`) });
  return fc.tuple(fc.tuple(...params.map((p) => one(p.name, p.schema))), stray)
    .map(([parts, s]) => [...parts.flat(), ...(s ? [s] : [])].join('&'));
}
