/**
 * Bounds a policy text before Cedar ever sees it: its size, and how deeply its expressions nest.
 *
 * ## Bounds and recovery
 * Cedar-wasm (4.13) parses, validates and evaluates expressions recursively on a fixed stack inside
 * the wasm instance. A policy nesting deeply enough overflows it: the call traps ("memory access out
 * of bounds") and the instance stays corrupt, so every later decision traps too (issue 9, item 1: a
 * 648-byte policy with 300 parentheses took the statement gate down until restart). So every path
 * that hands Cedar a policy text — the validation endpoint, a proposed `policy_set` change, and
 * loadPolicyEngine — goes through checkPolicySet, which calls checkPolicyBounds first and refuses a
 * text over either bound as `invalid_policy` (HTTP 422), naming the line and the limit.
 *
 * Depth is counted by a small lexer that skips string literals and `//` comments and estimates the
 * depth of the tree Cedar builds: one level per bracket ( ( [ { ), per `if`, per member access or
 * call, per unary operator, and per binary operator along a chain (`a && b && c` nests two deep, as
 * Cedar's left-leaning tree does). Each level is charged as if it cost what the most expensive
 * construct costs, so the estimate only errs on the safe side.
 *
 * Measured where Cedar 4.13 breaks (policy-bounds.test.ts keeps the calibration honest): nested
 * records at 74 levels, sets at 75, parentheses at 81, `if (…)` at 65 (130 by this count), chains of
 * `+`, member accesses or calls at 104, chains of `&&` at 320. The limit of 32 leaves Cedar at
 * least 2.3 times the stack any accepted text can use. The deepest expression of the shipped
 * policies/ counts 8; a real policy, however long, is a chain of short conditions.
 *
 * If Cedar fails anyway (cedar-runtime.ts), the failing call is refused, the wasm instance is
 * replaced by a fresh one and each engine preparses its last good policy set into it again.
 */

/** The largest policy text accepted, in UTF-8 bytes. The shipped set is about 18 KiB. */
export const POLICY_TEXT_MAX_BYTES = 64 * 1024;
/** The deepest expression accepted, counted as described above. */
export const POLICY_MAX_DEPTH = 32;

/** The problems with `text`'s size and nesting, one line each naming where and the limit; [] if none. */
export function checkPolicyBounds(text: string): string[] {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > POLICY_TEXT_MAX_BYTES) {
    return [`the policy text is ${bytes} bytes, over the limit of ${POLICY_TEXT_MAX_BYTES} bytes (64 KiB) from line ${lineAtByte(text, POLICY_TEXT_MAX_BYTES)} on: split the set or shorten it`];
  }
  const deepest = deepestExpression(text);
  if (deepest.depth > POLICY_MAX_DEPTH) {
    return [`line ${deepest.line}: an expression nests ${deepest.depth} levels deep, over the limit of ${POLICY_MAX_DEPTH} (each bracket, if, operator in a chain and attribute access counts one): write it flatter`];
  }
  return [];
}

/** The estimated depth of the deepest expression in `text`, and the line where it is reached. */
export function deepestExpression(text: string): { depth: number; line: number } {
  const root: Frame = { closer: '', segment: [], best: NONE };
  const frames: Frame[] = [root];
  for (const token of tokens(text)) {
    const frame = frames[frames.length - 1]!;
    if (token.kind === 'open') {
      frames.push({ closer: CLOSERS.get(token.text)!, segment: [], best: { depth: 0, line: token.line } });
      // `x[…]`, `f(…)` and `x.m(…)` reach into what comes before them: one more level.
      if (frame.segment.at(-1)?.kind === 'operand') frame.segment.push({ kind: 'op', level: MEMBER, counts: true, line: token.line });
    } else if (token.kind === 'close') {
      // A stray closer is left for Cedar to report; it ends no frame.
      if (frames.length === 1 || frame.closer !== token.text) continue;
      frames.pop();
      const inner = deeper(frame.best, segmentDepth(frame.segment));
      frames[frames.length - 1]!.segment.push({ kind: 'operand', depth: inner.depth + 1, line: inner.line });
    } else if (token.kind === 'separator') {
      frame.best = deeper(frame.best, segmentDepth(frame.segment));
      frame.segment = [];
    } else if (token.kind === 'op') {
      const prefix = frame.segment.length === 0 || frame.segment.at(-1)!.kind === 'op';
      const level = token.text === '-' && prefix ? UNARY : LEVELS.get(token.text)!;
      // `then` and `else` only separate the parts of an `if`, which has counted already.
      frame.segment.push({ kind: 'op', level, counts: token.text !== 'then' && token.text !== 'else', line: token.line });
    } else {
      frame.segment.push({ kind: 'operand', depth: 0, line: token.line });
    }
  }
  // Unclosed brackets still count: Cedar may recurse into them before it finds the text broken.
  let open = NONE;
  for (let i = frames.length - 1; i >= 0; i--) {
    const frame = frames[i]!;
    const reached = deeper(deeper(frame.best, segmentDepth(frame.segment)), open);
    open = i === 0 ? reached : { depth: reached.depth + 1, line: reached.line };
  }
  return open;
}

interface Reach {
  depth: number;
  line: number;
}

type Item = { kind: 'operand'; depth: number; line: number } | { kind: 'op'; level: number; counts: boolean; line: number };

interface Frame {
  closer: string;
  /** The expression being read since the last separator. */
  segment: Item[];
  /** The deepest expression of the frame's earlier segments. */
  best: Reach;
}

const NONE: Reach = { depth: 0, line: 1 };

/**
 * Cedar's grammar, loosest binding first: `if … then … else`, `||`, `&&`, relations (== != < <= >
 * >= in has like is), `+ -`, `*`, unary `! -`, member access. A chain of operators of one level
 * nests one deeper per operator.
 */
const IF = 0;
const UNARY = 6;
const MEMBER = 7;
const LEVELS: ReadonlyMap<string, number> = new Map([
  ['if', IF], ['then', IF], ['else', IF],
  ['||', 1],
  ['&&', 2],
  ...['==', '!=', '<', '<=', '>', '>=', 'in', 'has', 'like', 'is'].map((op) => [op, 3] as const),
  ['+', 4], ['-', 4],
  ['*', 5],
  ['!', UNARY],
  ['.', MEMBER],
]);
const LEAF = MEMBER + 1;
/** Words and marks that start a part of a policy (an annotation, the effect, a condition), never inside an expression. */
const CLAUSES: ReadonlySet<string> = new Set(['permit', 'forbid', 'when', 'unless']);
const CLOSERS: ReadonlyMap<string, string> = new Map([['(', ')'], ['[', ']'], ['{', '}']]);

/** The depth of one flat expression: per level, its operators there plus the deepest piece between them. */
function segmentDepth(items: readonly Item[], level = IF): Reach {
  let best: Reach = { depth: 0, line: items[0]?.line ?? 1 };
  if (level === LEAF) {
    for (const item of items) if (item.kind === 'operand') best = deeper(best, item);
    return best;
  }
  let ops = 0;
  let start = 0;
  for (let i = 0; i <= items.length; i++) {
    const item = items[i];
    if (item !== undefined && !(item.kind === 'op' && item.level === level)) continue;
    best = deeper(best, segmentDepth(items.slice(start, i), level + 1));
    if (item?.kind === 'op' && item.counts) ops++;
    start = i + 1;
  }
  return { depth: best.depth + ops, line: best.line };
}

function deeper(a: Reach, b: Reach): Reach {
  return b.depth > a.depth ? b : a;
}

type Token = { kind: 'open' | 'close' | 'separator' | 'op' | 'operand'; text: string; line: number };

/**
 * Cedar's tokens, as far as nesting goes. Separators end an expression: `,` `;` `:` (in a record),
 * `@` and the clause words. Anything unknown reads as an operand: Cedar will refuse it.
 */
function* tokens(text: string): Generator<Token> {
  let line = 1;
  let at = 0;
  while (at < text.length) {
    const c = text[at]!;
    if (c === '\n') {
      line++;
      at++;
    } else if (/\s/.test(c)) {
      at++;
    } else if (text.startsWith('//', at)) {
      while (at < text.length && text[at] !== '\n') at++;
    } else if (c === '"') {
      const startLine = line;
      for (at++; at < text.length && text[at] !== '"'; at++) {
        if (text[at] === '\\') at++;
        if (text[at] === '\n') line++;
      }
      at++;
      yield { kind: 'operand', text: '""', line: startLine };
    } else if (/[A-Za-z_]/.test(c)) {
      const start = at;
      while (at < text.length && /\w/.test(text[at]!)) at++;
      const word = text.slice(start, at);
      yield { kind: CLAUSES.has(word) ? 'separator' : LEVELS.has(word) ? 'op' : 'operand', text: word, line };
    } else if (c === '(' || c === '[' || c === '{') {
      yield { kind: 'open', text: c, line };
      at++;
    } else if (c === ')' || c === ']' || c === '}') {
      yield { kind: 'close', text: c, line };
      at++;
    } else if (c === ',' || c === ';' || c === '@' || (c === ':' && text[at + 1] !== ':')) {
      yield { kind: 'separator', text: c, line };
      at++;
    } else if (text.startsWith('::', at)) {
      at += 2; // a path separator inside a name: no nesting
    } else {
      const two = text.slice(at, at + 2);
      const op = LEVELS.has(two) ? two : LEVELS.has(c) ? c : null;
      at += op?.length ?? 1;
      yield op ? { kind: 'op', text: op, line } : { kind: 'operand', text: c, line };
    }
  }
}

/** The 1-based line holding byte `offset` of `text`'s UTF-8 form. */
function lineAtByte(text: string, offset: number): number {
  const head = Buffer.from(text, 'utf8').subarray(0, offset).toString('utf8');
  return head.split('\n').length;
}
