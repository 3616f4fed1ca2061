/**
 * What reading one task file may cost, whoever wrote it: a cloned repository or a synced item is
 * anyone's text, and it is read in untrusted workspaces too. The YAML library's time and memory grow
 * with the nodes it makes, faster for flow collections: three flow-style frontmatters just under the
 * 1 MiB file limit took 40 s and 939 MiB, and 150,000 repeated keys made 149,999 problems.
 */
import { Lexer } from 'yaml';
import { Problem, Range, Severity } from './model';

/**
 * Real frontmatter is under 4 KiB. The one large thing it may hold is the copy of the body the CLI
 * leaks into `content:`, so the limit leaves room for a long body, and stops before the library's cost
 * is felt (a third of a second for 64 KiB of flow collections).
 */
export const MAX_FRONTMATTER_CHARS = 64 * 1024;
/**
 * Nodes (scalars, collections, aliases, anchors): real frontmatter has tens to a few hundred, and a
 * leaked body is one. At this many the library takes under 100 ms, an edit (which reads the text three
 * times) a little more.
 */
export const MAX_FRONTMATTER_NODES = 2000;
/** Problems shown per file; the rest are counted in one more. */
export const MAX_PROBLEMS = 100;

/** What each ASCII character is to the quick bound below (0: nothing). */
const NODE = 1;
const BREAK = 2;
const ENTRY = 3;
const SPACE = 4;
const KIND = new Uint8Array(128);
for (const c of '[{,:&*') KIND[c.charCodeAt(0)] = NODE;
for (const c of '\n\r') KIND[c.charCodeAt(0)] = BREAK;
for (const c of '-?') KIND[c.charCodeAt(0)] = ENTRY;
for (const c of ' \t') KIND[c.charCodeAt(0)] = SPACE;

/**
 * A quick bound on the nodes, in one pass over the characters: every node starts at a line start, after
 * a flow indicator (`[`, `{`, `,`) or `:`, at an anchor or alias (`&`, `*`) or after `-` or `?` and a
 * space or line break, and each of those starts at most two. Prose in a block scalar counts too, so a
 * long leaked body goes on to the exact count.
 */
export function nodeBound(yaml: string, stopAt: number): number {
  let n = 0;
  for (let i = 0; i < yaml.length && n < stopAt; i++) {
    const kind = KIND[yaml.charCodeAt(i)];
    if (kind === NODE || kind === BREAK) n += 2;
    else if (kind === ENTRY) {
      const next = KIND[yaml.charCodeAt(i + 1)];
      if (next === SPACE || next === BREAK) n += 2;
    }
  }
  return n;
}

/**
 * The nodes as the YAML library's lexer finds them (it reads quotes, block scalars and flow context
 * exactly), up to `stopAt`: the lexer yields a token at a time, so nothing beyond the limit is read.
 */
export function lexedNodes(yaml: string, stopAt: number): number {
  let n = 0;
  for (const token of new Lexer().lex(yaml)) {
    const c = token[0];
    // A plain or block scalar's marker, a quoted scalar, a flow collection, a block entry, an alias or an anchor.
    if (token === '\x1f' || c === '"' || c === "'" || token === '[' || token === '{' || token === '-' || token === '?' || c === '*' || c === '&') {
      if (++n >= stopAt) break;
    }
  }
  return n;
}

/**
 * Why a frontmatter is too large to be read, or undefined. Checked before anything parses it: over a
 * limit, the YAML library never parses it (its lexer stops at the limit). Most files are shown small by
 * the quick bound alone.
 */
export function frontmatterOverLimit(yaml: string): string | undefined {
  if (yaml.length > MAX_FRONTMATTER_CHARS) {
    return `it is ${Math.ceil(yaml.length / 1024)} KiB, over the ${MAX_FRONTMATTER_CHARS / 1024} KiB a task file's frontmatter may have`;
  }
  if (nodeBound(yaml, MAX_FRONTMATTER_NODES + 1) > MAX_FRONTMATTER_NODES && lexedNodes(yaml, MAX_FRONTMATTER_NODES + 1) > MAX_FRONTMATTER_NODES) {
    return `it holds more than ${MAX_FRONTMATTER_NODES.toLocaleString('en')} values, more than a task file's frontmatter may have`;
  }
  return undefined;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/** At most MAX_PROBLEMS problems, then one at `at` that counts the rest, as severe as the worst of them. */
export function capProblems(problems: Problem[], at: () => Range): Problem[] {
  if (problems.length <= MAX_PROBLEMS) return problems;
  const rest = problems.slice(MAX_PROBLEMS);
  const severity = rest.reduce<Severity>((worst, p) => (RANK[p.severity] < RANK[worst] ? p.severity : worst), 'hint');
  const more: Problem = {
    code: 'more-problems',
    severity,
    message: `…and ${rest.length.toLocaleString('en')} more problems in this file, not shown; fix the ones above first.`,
    range: at(),
  };
  return [...problems.slice(0, MAX_PROBLEMS), more];
}
