/**
 * Finds, in the policies' JSON form, every attribute a set of policies can read or test with `has`,
 * so each call hands Cedar only those. Cedar converts every attribute it is handed, read or not
 * (cedar-wasm 4.13: about 1.5 µs a boolean, 3 µs a string or set, 13 µs an entity reference), and
 * that conversion, not the policies, is most of what a call costs.
 */
import type { PolicyJson } from '@cedar-policy/cedar-wasm/nodejs';

/** The attributes read below one value: `true` when the value may be read whole. */
export type AttributeTree = true | { readonly [attr: string]: AttributeTree };

/** What one set of policies can read from a request. */
export interface AttributeReads {
  /** The context attributes, nested records included. */
  readonly context: AttributeTree;
  /** Names of the entity attributes, on any entity (kept whole). */
  readonly entityAttrs: ReadonlySet<string>;
  /**
   * Whether the answer can depend on the principal, the resource or any other entity, except through
   * an entity reference held in the context: a scope other than `principal` / `resource`, a condition
   * naming either, an attribute of anything but a context path, the hierarchy (`in`) or tags.
   */
  readonly readsEntities: boolean;
}

type Tree = true | Map<string, Tree>;

/**
 * The union of what `policies` can read. Conservative wherever the JSON does not say exactly: a
 * variable or path used as a value (`context.request == …`, `principal.roles.contains(…)`) is read
 * whole, and an attribute taken from anything but `context` itself (which may be an entity
 * reference, `resource.relationshipManager.status`) counts as an entity attribute on every entity.
 */
export function attributeReads(policies: readonly PolicyJson[]): AttributeReads {
  const context: Map<string, Tree> = new Map();
  const entityAttrs = new Set<string>();
  let wholeContext = false;
  let readsEntities = false;

  const read = ([root, ...attrs]: string[]): void => {
    if (root === 'context') {
      if (attrs.length === 0) wholeContext = true;
      else markWhole(context, attrs);
      // context.a.b: `a` may hold an entity reference, so `b` may be an entity's attribute.
      attrs.slice(1).forEach((a) => entityAttrs.add(a));
    } else if (root === 'principal' || root === 'resource') {
      readsEntities = true;
      attrs.forEach((a) => entityAttrs.add(a));
    }
  };

  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const path = pathOf(node);
    if (path) return read(path);
    for (const [op, body] of Object.entries(node)) {
      if (op === 'Value') continue; // a literal reads nothing
      if (STORE_OPS.has(op)) readsEntities = true;
      if (op === 'Record') {
        Object.values(body as Record<string, unknown>).forEach(visit);
      } else if (op === '.' || op === 'has') {
        const { left, attr } = body as { left: unknown; attr: string | string[] };
        const attrs = Array.isArray(attr) ? attr : [attr]; // `has a.b` is one node with attr [a, b]
        const leftPath = pathOf(left);
        if (leftPath) {
          read([...leftPath, ...attrs]);
        } else {
          readsEntities = true; // e.g. an entity literal's attribute
          attrs.forEach((a) => entityAttrs.add(a));
          visit(left);
        }
      } else {
        visit(body);
      }
    }
  };

  for (const policy of policies) {
    if (policy.principal.op !== 'All' || policy.resource.op !== 'All' || policy.action.op === 'in') readsEntities = true;
    policy.conditions.forEach((c) => visit(c.body));
  }
  return { context: wholeContext ? true : freeze(context), entityAttrs, readsEntities };
}

/** Operators that look past an entity's attributes into the store. */
const STORE_OPS = new Set(['in', 'getTag', 'hasTag']);

/** `context`, `principal.branchId`, `context.request.purpose` … as [root, ...attrs]; otherwise null. */
function pathOf(node: unknown): string[] | null {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return null;
  const keys = Object.keys(node);
  if (keys.length !== 1) return null;
  const variable = (node as { Var?: unknown }).Var;
  if (typeof variable === 'string') return [variable];
  const access = (node as { '.'?: { left?: unknown; attr?: unknown } })['.'];
  if (access === undefined || typeof access.attr !== 'string') return null;
  const left = pathOf(access.left);
  return left ? [...left, access.attr] : null;
}

function markWhole(tree: Map<string, Tree>, [head, ...rest]: string[]): void {
  const below = tree.get(head!);
  if (below === true) return;
  if (rest.length === 0) {
    tree.set(head!, true);
    return;
  }
  const next = below ?? new Map<string, Tree>();
  tree.set(head!, next);
  markWhole(next, rest);
}

function freeze(tree: Tree): AttributeTree {
  if (tree === true) return true;
  return Object.fromEntries([...tree].map(([attr, below]) => [attr, freeze(below)]));
}
