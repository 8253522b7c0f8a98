/**
 * The layers of src/ and the check that imports point one way (README "How it fits together"):
 *
 *   core → store → audit → identity → access / customers / oversight → server → cli
 *
 * A module may import its own layer and the layers to its left, never one to its right. Route files
 * (routes.ts, *-routes.ts) are the HTTP edge of their capability: they belong to the server layer,
 * which composes the capabilities. Capability folders of one layer import each other without
 * cycles. The one sanctioned upward name is `AppContext`, the bag of injected dependencies the
 * composition root builds: identity and the capabilities may import it as a type from
 * server/context.ts (audit and below take narrower contexts of their own).
 *
 * TypeScript 7 has no JavaScript API to parse with, so imports are read with a scanner that knows
 * comments and strings; what it reads is every static import and re-export and every dynamic
 * import with a literal specifier.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');

/** The layers, lowest first, and the folders (or root files) of src/ each holds. */
export const LAYERS = [
  { name: 'core', holds: ['core', 'errors.ts', 'privacy'], why: 'shared types, error codes and pure checks; imports nothing of ours above it' },
  { name: 'store', holds: ['store', 'notify', 'bank'], why: 'the database, and the adapters to the outside: text messages, the bank\'s statement source' },
  { name: 'audit', holds: ['audit', 'config.ts'], why: 'the record and the verifiable log; configuration, which reads the log\'s keys' },
  { name: 'identity', holds: ['identity'], why: 'who is calling: logins, sessions, principals' },
  { name: 'capabilities', holds: ['access', 'customers', 'oversight'], why: 'what Flowguard does; peers, no cycles between them' },
  { name: 'server', holds: ['server'], why: 'the Fastify server and every capability\'s routes' },
  { name: 'cli', holds: ['cli'], why: 'the flowguard command, the composition root' },
] as const;

export type LayerName = (typeof LAYERS)[number]['name'];

export interface Module {
  /** The path from the repository root, with forward slashes. */
  file: string;
  /** The folder (or root file) of src/ it sits in; route files count as the server's. */
  unit: string;
  layer: LayerName;
  rank: number;
}

export interface ImportEdge {
  from: Module;
  to: Module;
  /** `import type { … }` or `export type { … } from` — erased at run time. */
  typeOnly: boolean;
  /** The names a named import brings in (empty for a namespace, default or side-effect import). */
  names: string[];
}

export interface Violation {
  file: string;
  what: string;
}

/** Files that serve only tests: fixtures, arbitraries, test support folders and the tests themselves. */
export function isTestOnly(file: string): boolean {
  return /\.test\.ts$|\.fixture\.ts$|\.arbitrary\.ts$|\/test-support\/|\/test-fixtures\.ts$|\/fixtures\//.test(file);
}

/** Whether a file is the HTTP edge of its capability (a Fastify plugin of routes). */
export function isRouteFile(file: string): boolean {
  return /(^|\/|-)routes\.ts$/.test(file);
}

/** Where a file of src/ sits; null for a file outside src/ or in no layer (a new folder fails the test). */
export function moduleOf(file: string): Module | null {
  const parts = file.split('/');
  if (parts[0] !== 'src' || parts.length < 2) return null;
  const top = parts[1]!;
  const route = isRouteFile(file) && top !== 'server' && top !== 'cli';
  const rank = route ? LAYERS.findIndex((l) => l.name === 'server') : LAYERS.findIndex((l) => (l.holds as readonly string[]).includes(top));
  if (rank < 0) return null;
  return { file, unit: route ? 'server' : top, layer: LAYERS[rank]!.name, rank };
}

/**
 * The text with comments blanked and strings kept: a comment may name a module a file must not import,
 * or what a route must not do. (TypeScript 7 has no JavaScript API to parse with; this scanner knows
 * strings and comments only.)
 */
export function withoutComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += ' ';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
      out += ' ';
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < text.length && text[j] !== c) j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** Every relative import of a source text: specifier, whether it is type-only, and the names it brings. */
export function importsOf(text: string): Array<{ specifier: string; typeOnly: boolean; names: string[] }> {
  const code = withoutComments(text);
  const found: Array<{ specifier: string; typeOnly: boolean; names: string[] }> = [];
  const statement = /\b(import|export)\s+(type\s+)?([\w*{}\s,$]*?)\s*from\s*['"]([^'"]+)['"]|\bimport\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
  for (const m of code.matchAll(statement)) {
    const specifier = m[4] ?? m[5] ?? m[6]!;
    if (!specifier.startsWith('.')) continue;
    const braces = /\{([^}]*)\}/.exec(m[3] ?? '');
    const names = braces ? braces[1]!.split(',').map((n) => n.trim().replace(/^type\s+/, '').split(/\s+as\s+/)[0]!).filter(Boolean) : [];
    found.push({ specifier, typeOnly: Boolean(m[2]), names });
  }
  return found;
}

/** The edges between modules of src/ (imports of files outside src/ and of test-only files are skipped). */
export function edgesOf(file: string, text: string): ImportEdge[] {
  const from = moduleOf(file);
  if (!from) return [];
  return importsOf(text).flatMap(({ specifier, typeOnly, names }) => {
    const target = posix.normalize(posix.join(posix.dirname(file), specifier));
    const to = moduleOf(target);
    return to ? [{ from, to, typeOnly, names }] : [];
  });
}

/** Whether an upward edge is the sanctioned one: identity or a capability naming the AppContext type. */
function isContextType(edge: ImportEdge): boolean {
  const identity = LAYERS.findIndex((l) => l.name === 'identity');
  return edge.to.file === 'src/server/context.ts' && edge.typeOnly && edge.from.rank >= identity
    && edge.names.length > 0 && edge.names.every((n) => n === 'AppContext');
}

/** The backward imports among `edges`: a module importing a layer above its own. */
export function backwardImports(edges: ImportEdge[]): Violation[] {
  return edges
    .filter((e) => e.to.rank > e.from.rank && !isContextType(e))
    .map((e) => ({ file: e.from.file, what: `imports ${e.to.file}: ${e.from.layer} may not depend on ${e.to.layer}` }));
}

/** Cycles between the folders of one layer (each reported once, as the path around it). */
export function folderCycles(edges: ImportEdge[]): string[] {
  const next = new Map<string, Set<string>>();
  for (const e of edges) {
    if (e.from.unit === e.to.unit || e.from.rank !== e.to.rank) continue;
    if (!next.has(e.from.unit)) next.set(e.from.unit, new Set());
    next.get(e.from.unit)!.add(e.to.unit);
  }
  const cycles = new Set<string>();
  const walk = (path: string[]): void => {
    for (const to of next.get(path.at(-1)!) ?? []) {
      const at = path.indexOf(to);
      if (at >= 0) {
        const loop = path.slice(at);
        const start = loop.indexOf([...loop].sort()[0]!);
        cycles.add([...loop.slice(start), ...loop.slice(0, start), loop[start]!].join(' → '));
      } else walk([...path, to]);
    }
  };
  for (const unit of next.keys()) walk([unit]);
  return [...cycles].sort();
}

/** Every non-test TypeScript file under src/, as repository paths. */
export function sourceFiles(dir = 'src'): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'native' ? [] : sourceFiles(path);
    return e.name.endsWith('.ts') && !isTestOnly(path) ? [path] : [];
  });
}

/** The import graph of src/ as it is on disk. */
export function sourceEdges(): ImportEdge[] {
  return sourceFiles().flatMap((file) => edgesOf(file, readFileSync(join(ROOT, file), 'utf8')));
}
