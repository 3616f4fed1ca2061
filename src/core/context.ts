/**
 * A token-budgeted AI context for one item: the item, its parents, children and linked items up to
 * `depth` links away, as one deterministic markdown document that fits `tokenBudget` tokens.
 *
 * Text from task files goes into fenced blocks longer than any backtick run it holds, and every value
 * from frontmatter is flattened to one escaped line, so no file can fake the document's own structure.
 * To fit, it drops history first, then the farthest relations, then the bodies of the nearest ones;
 * the task's own header and AI_CONTEXT blocks are never cut, its body only when nothing else is left.
 */
import { relativePath } from './paths';
import type { TaskIndex } from './index';
import { compareItems, Item, ItemType, stateText } from './model';
import { findFrontmatter } from './parse';

export interface ContextOptions {
  /** How many links away related items are gathered (0: the item alone). */
  depth: number;
  tokenBudget: number;
  /** A file's current text (an editor's unsaved text, else the disk's); undefined when it cannot be read. */
  readText: (file: string) => string | undefined;
  /** Tokens in a text as the model's tokenizer counts it, special-token spellings read as plain text. */
  countTokens: (text: string) => number;
}

/** How an item is related to the one it was reached from; the order is how closely (parents first). */
export const RELATIONS = ['self', 'parent', 'epic', 'dependency', 'blocked_by', 'child', 'blocks', 'related', 'comment'] as const;
export type Relation = (typeof RELATIONS)[number];

export interface IncludedItem {
  id: string;
  type: ItemType;
  file: string;
  /** Links away from the task (0 for the task itself). */
  depth: number;
  relation: Relation;
  /** The id of the item it was reached from. */
  via?: string;
  /** Why it is there, for people: "the task", "child of ISS-0001". */
  why: string;
}

export type DroppedPart = 'history' | 'comment' | 'item' | 'body' | 'ai-context' | 'body-end';

export interface Dropped {
  id: string;
  file: string;
  part: DroppedPart;
  /** For people: "history of ISS-0001", "TSK-0004", "body of TSK-0002". */
  label: string;
}

export interface AiContext {
  /** The markdown document. */
  text: string;
  /** countTokens(text), exactly. */
  tokens: number;
  budget: number;
  /** Items with a section in the text, in order. */
  included: IncludedItem[];
  /** What was cut to fit, in the order it was cut. */
  dropped: Dropped[];
  /** True only when the task's own header and AI_CONTEXT blocks alone exceed the budget. */
  overBudget: boolean;
}

// ---- body parts

export interface BodyParts {
  /** The inner text of each AI_CONTEXT block, in order. */
  ai: string[];
  /** The body without its AI_CONTEXT blocks and history sections. */
  main: string;
  /** History, changelog, log and updates sections, headings included. */
  history: string;
}

const AI_BLOCK = /<!--\s*AI_CONTEXT_START\s*-->([\s\S]*?)(?:<!--\s*AI_CONTEXT_END\s*-->|$)/g;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
/** Headings whose section is history: kept last, dropped first. */
const HISTORY_HEADING =
  /^(?:(?:change|work|progress|activity|update|status)[ -]?log|changelog|history|revision history|log|logs|activity|updates|status updates|progress updates|comments)\s*(?:\(.*\))?\s*:?$/i;

/** Blank lines off both ends; indentation and inner text stay. */
const trimLines = (s: string) => s.replace(/^(?:[ \t]*\r?\n)+/, '').replace(/(?:\r?\n[ \t]*)+$/, '').replace(/^[ \t]+$/, '');

/** Split a body into its AI_CONTEXT blocks, its history sections and the rest. */
export function splitBody(body: string): BodyParts {
  const ai: string[] = [];
  const rest = body.replace(/\r\n/g, '\n').replace(AI_BLOCK, (_m, inner: string) => {
    const t = trimLines(inner);
    if (t) ai.push(t);
    return '\n';
  });
  const main: string[] = [];
  const history: string[] = [];
  let fence: { char: string; len: number } | undefined;
  /** The level of the history heading whose section we are in, 0 when outside. */
  let inHistory = 0;
  for (const line of rest.split('\n')) {
    const f = FENCE.exec(line);
    if (fence) {
      if (f && f[1][0] === fence.char && f[1].length >= fence.len && line.trim() === f[1]) fence = undefined;
    } else if (f) {
      fence = { char: f[1][0], len: f[1].length };
    } else {
      const h = HEADING.exec(line);
      if (h) {
        const level = h[1].length;
        if (inHistory && level <= inHistory) inHistory = 0;
        if (!inHistory && HISTORY_HEADING.test((h[2] ?? '').replace(/[ \t]+#+$/, '').trim())) inHistory = level;
      }
    }
    (inHistory ? history : main).push(line);
  }
  return { ai, main: trimLines(main.join('\n').replace(/\n{3,}/g, '\n\n')), history: trimLines(history.join('\n')) };
}

/** The body of a task file's text (all of it when there is no frontmatter, none when it is unclosed). */
export function bodyOf(text: string): string {
  const block = findFrontmatter(text);
  if (block === 'unclosed') return '';
  if (block === 'none') return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  return text.slice(block.bodyOffset);
}

// ---- quoting

/** A fenced block that nothing inside can close: its fence is longer than any backtick run in the text. */
export function fenced(text: string, info = 'markdown'): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${text}\n${fence}`;
}

/** A frontmatter value as one line of plain text: whitespace flattened, markdown syntax escaped. */
export function inline(v: unknown, max = 1000): string {
  let s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : v instanceof Date ? v.toISOString() : '';
  // eslint-disable-next-line no-control-regex
  s = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\s]+/g, ' ').trim();
  if (s.length > max) s = `${s.slice(0, max - 1)}…`;
  return s.replace(/[\\`*_[\]<>#|~!{}]/g, '\\$&');
}

const ids = (v: unknown): string[] =>
  (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []).filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim());
const num = new Intl.NumberFormat('en-US');
const n = (x: number) => num.format(x);

// ---- gathering

interface Node {
  item: Item;
  /** The file's text as read now (undefined when it could not be read). */
  text?: string;
  depth: number;
  relation: Relation;
  via?: Item;
  why: string;
  parts: BodyParts;
}

const RANK = Object.fromEntries(RELATIONS.map((r, i) => [r, i])) as Record<Relation, number>;

const WHY: Record<Exclude<Relation, 'self'>, string> = {
  parent: 'parent of',
  epic: 'epic of',
  dependency: 'dependency of',
  blocked_by: 'blocks',
  child: 'child of',
  blocks: 'blocked by',
  related: 'related to',
  comment: 'comment on',
};

/** Blocking links written on the other side: an item whose `blocked_by` names X is blocked by X, so X blocks it (and the reverse for `blocks`). */
interface ReverseLinks {
  blocks: Map<string, Item[]>;
  blockedBy: Map<string, Item[]>;
}

function reverseLinks(index: TaskIndex, root: string): ReverseLinks {
  const out: ReverseLinks = { blocks: new Map(), blockedBy: new Map() };
  const add = (map: Map<string, Item[]>, id: string, item: Item) => {
    const list = map.get(id);
    if (list) list.push(item);
    else map.set(id, [item]);
  };
  for (const item of index.items()) {
    if (item.root !== root) continue;
    for (const id of ids(item.data.blocked_by)) add(out.blocks, id, item);
    for (const id of ids(item.data.blocks)) add(out.blockedBy, id, item);
  }
  return out;
}

/** The items one link away, by relation (either side may write a blocking link); ids resolve within the item's project. */
function links(index: TaskIndex, item: Item, reverse: ReverseLinks): [Relation, Item[]][] {
  const byIds = (list: string[]) => list.flatMap((id) => index.byId(item.root, id).sort(compareItems));
  const withReverse = (own: Item[], other: Item[] | undefined) =>
    other ? [...own, ...other.filter((o) => !own.some((i) => i.file === o.file)).sort(compareItems)] : own;
  const kids = index.children(item).sort(compareItems);
  const d = item.data;
  return [
    ['parent', item.parentId ? byIds([item.parentId]) : []],
    ['epic', item.epicId && item.epicId !== item.parentId ? byIds([item.epicId]) : []],
    ['dependency', byIds(ids(d.dependencies))],
    ['blocked_by', withReverse(byIds(ids(d.blocked_by)), reverse.blockedBy.get(item.id))],
    ['child', kids.filter((k) => k.type !== 'comment')],
    ['blocks', withReverse(byIds(ids(d.blocks)), reverse.blocks.get(item.id))],
    ['related', byIds([...ids(d.related_issues), ...ids(d.related_tasks), ...ids(d.related_prs), ...ids(d.related)])],
    ['comment', kids.filter((k) => k.type === 'comment')],
  ];
}

/** Breadth first from the item: each level sorted by how closely related, then by what it came from, then by id. */
function gather(index: TaskIndex, target: Item, depth: number, readText: ContextOptions['readText']): Node[] {
  const node = (indexed: Item, d: number, relation: Relation, via: Item | undefined): Node => {
    let text: string | undefined;
    try {
      text = readText(indexed.file);
    } catch {
      text = undefined;
    }
    // The text as it is now (perhaps unsaved) decides the metadata too, not only the body.
    const item = (text !== undefined && index.parse(indexed.file, text)?.item) || indexed;
    const why = relation === 'self' ? 'the task' : `${WHY[relation]} ${via!.id}`;
    return { item, text, depth: d, relation, via, why, parts: splitBody(text === undefined ? '' : bodyOf(text)) };
  };
  const first = node(target, 0, 'self', undefined);
  const reverse = reverseLinks(index, target.root);
  const all = [first];
  const seen = new Set([target.file, first.item.file]);
  let frontier = [first];
  for (let d = 1; d <= depth && frontier.length; d++) {
    const found = new Map<string, { item: Item; relation: Relation; via: Item; from: number }>();
    frontier.forEach((from, i) => {
      for (const [relation, items] of links(index, from.item, reverse)) {
        for (const it of items) {
          if (seen.has(it.file)) continue;
          const had = found.get(it.file);
          if (!had || RANK[relation] < RANK[had.relation] || (RANK[relation] === RANK[had.relation] && i < had.from)) {
            found.set(it.file, { item: it, relation, via: from.item, from: i });
          }
        }
      }
    });
    const level = [...found.values()]
      .sort((a, b) => RANK[a.relation] - RANK[b.relation] || a.from - b.from || compareItems(a.item, b.item))
      .map((f) => node(f.item, d, f.relation, f.via));
    for (const l of level) seen.add(l.item.file);
    all.push(...level);
    frontier = level;
  }
  return all;
}

// ---- rendering

const TYPE_NAMES: Record<ItemType, string> = { epic: 'epic', issue: 'issue', task: 'task', pr: 'PR', comment: 'comment' };

const relPath = (item: Item): string => relativePath(item.root, item.file);

/** The heading and the frontmatter essentials of a node. */
function renderHead(node: Node): string {
  const { item } = node;
  const d = item.data;
  const id = inline(item.id, 200);
  const lines: string[] = [];
  const away = node.depth === 0 ? '' : ` · ${node.depth} link${node.depth === 1 ? '' : 's'} away`;
  if (item.type === 'comment') {
    lines.push(`## ${id} · comment on ${inline(item.issueId ?? item.parentId ?? '?', 200)}`);
    lines.push(`- why: ${inline(node.why)}${away}`);
    const who = [d.author && `author: ${inline(d.author, 200)}`, item.created && `created ${inline(item.created, 100)}`].filter(Boolean);
    if (who.length) lines.push(`- ${who.join(' · ')}`);
    lines.push(`- file: ${inline(relPath(item), 500)}`);
    return lines.join('\n');
  }
  lines.push(`## ${id} · ${TYPE_NAMES[item.type]} · ${inline(item.title, 300)}`);
  lines.push(`- why: ${inline(node.why)}${away}`);
  lines.push(`- file: ${inline(relPath(item), 500)}`);
  const state = stateText(item) ?? (item.rawState ? `${item.rawState} (unknown state)` : undefined);
  const status = [
    state && `state: ${inline(state, 100)}`,
    item.priority && `priority: ${inline(item.priority, 100)}`,
    item.assignee && `assignee: ${inline(item.assignee, 200)}`,
  ].filter(Boolean);
  if (status.length) lines.push(`- ${status.join(' · ')}`);
  if (item.labels.length) lines.push(`- labels: ${item.labels.map((l) => inline(l, 100)).join(', ')}`);
  const list = (k: string) => ids(d[k]).map((x) => inline(x, 100)).join(', ');
  const linkParts = [
    item.epicId && `epic ${inline(item.epicId, 100)}`,
    item.issueId && `issue ${inline(item.issueId, 100)}`,
    ...(
      [
        ['dependencies', 'depends on'],
        ['blocked_by', 'blocked by'],
        ['blocks', 'blocks'],
        ['related_issues', 'related issues'],
        ['related_tasks', 'related tasks'],
        ['related_prs', 'related PRs'],
        ['subtasks', 'subtasks'],
      ] as const
    ).map(([k, label]) => (list(k) ? `${label} ${list(k)}` : '')),
  ].filter(Boolean);
  if (linkParts.length) lines.push(`- links: ${linkParts.join(' · ')}`);
  if (d.description !== undefined && inline(d.description)) lines.push(`- description: ${inline(d.description, 2000)}`);
  const tokens =
    item.actualTokens || item.estimatedTokens
      ? `tokens: ${n(item.actualTokens ?? 0)} used${item.estimatedTokens !== undefined ? ` of ${n(item.estimatedTokens)} estimated` : ''}`
      : '';
  const scalar = (k: string, label = k) => (d[k] !== undefined && d[k] !== null && inline(d[k]) ? `${label}: ${inline(d[k], 200)}` : '');
  const details = [
    scalar('pr_status', 'PR status'),
    scalar('branch_name', 'branch'),
    scalar('source_branch', 'source branch'),
    scalar('target_branch', 'target branch'),
    ids(d.reviewers).length ? `reviewers: ${list('reviewers')}` : '',
    scalar('milestone'),
    scalar('completion_percentage', 'completion %'),
    tokens,
    scalar('time_estimate', 'time estimate'),
    scalar('time_spent', 'time spent'),
    ids(d.ai_context).length ? `ai_context: ${list('ai_context')}` : '',
    item.created ? `created ${inline(item.created, 100)}` : '',
    item.updated ? `updated ${inline(item.updated, 100)}` : '',
  ].filter(Boolean);
  if (details.length) lines.push(`- ${details.join(' · ')}`);
  if (node.text === undefined) lines.push('- (the file could not be read)');
  return lines.join('\n');
}

const section = (title: string, text: string) => `### ${title}\n\n${fenced(text)}`;

/** What is still shown of each node. */
interface Shown {
  item: boolean;
  history: boolean;
  body: boolean;
  ai: boolean;
  /** Characters of the body kept (the target's body, when cut). */
  bodyChars?: number;
}

interface Pieces {
  head: string;
  ai: string;
  body: string;
  history: string;
}

function piecesOf(node: Node): Pieces {
  const { parts } = node;
  const id = inline(node.item.id, 200);
  const isComment = node.item.type === 'comment' && node.depth > 0;
  return {
    head: renderHead(node),
    ai: parts.ai.length ? section(`AI context of ${id}`, parts.ai.join('\n\n')) : '',
    body: parts.main ? (isComment ? fenced(parts.main) : section(`Body of ${id}`, parts.main)) : '',
    history: parts.history ? section(`History of ${id}`, parts.history) : '',
  };
}

/** Keep at most `chars` characters of a body, at a line end when that keeps most of it. */
function cutBody(main: string, chars: number): string {
  let end = Math.max(0, Math.min(chars, main.length));
  const code = main.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  const nl = main.lastIndexOf('\n', end);
  if (nl > 0 && nl >= end * 0.8) end = nl;
  return main.slice(0, end).replace(/\s+$/, '');
}

/** The labels of what was cut, the first `max` of them and how many more, as plain text. */
export function droppedList(dropped: readonly Dropped[], max: number): string {
  const shown = dropped.slice(0, max).map((d) => d.label);
  if (dropped.length > max) shown.push(`and ${dropped.length - max} more`);
  return shown.join(', ');
}

// ---- the whole

export function buildContext(index: TaskIndex, target: Item, options: ContextOptions): AiContext {
  const budget = Math.max(1, Math.floor(options.tokenBudget));
  const depth = Math.max(0, Math.floor(options.depth));
  const memo = new Map<string, number>();
  const count = (s: string) => {
    let c = memo.get(s);
    if (c === undefined) memo.set(s, (c = options.countTokens(s)));
    return c;
  };

  const nodes = gather(index, target, depth, options.readText);
  const pieces = nodes.map(piecesOf);
  const shown: Shown[] = nodes.map(() => ({ item: true, history: true, body: true, ai: true }));
  const dropped: Dropped[] = [];
  const self = nodes[0];
  const selfId = inline(self.item.id, 200);

  const header = (tokens: number) => {
    const items = shown.filter((s) => s.item).length;
    const lines = [
      `# AI context for ${selfId}: ${inline(self.item.title, 300)} (${n(tokens)} tokens)`,
      '',
      `Token budget ${n(budget)} · ${items} item${items === 1 ? '' : 's'}, up to ${depth} link${depth === 1 ? '' : 's'} away` +
        (dropped.length ? ` · left out to fit: ${inline(droppedList(dropped, 12), 10000)}` : ''),
      'Each fenced block quotes a task file as written.',
    ];
    return lines.join('\n');
  };
  const cutMarker = (kept: number, of: number) =>
    `_(The body of ${selfId} is cut here to fit the token budget: ${n(kept)} of ${n(of)} characters shown.)_`;

  const nodeText = (i: number): string => {
    const s = shown[i];
    const p = pieces[i];
    const out = [p.head];
    if (s.ai && p.ai) out.push(p.ai);
    if (s.body && p.body) {
      if (s.bodyChars === undefined) out.push(p.body);
      else {
        const main = nodes[i].parts.main;
        const kept = cutBody(main, s.bodyChars);
        if (kept) out.push(section(`Body of ${selfId}`, kept));
        out.push(cutMarker(kept.length, main.length));
      }
    }
    if (s.history && p.history) out.push(p.history);
    return out.join('\n\n');
  };
  const render = (tokens: number) => [header(tokens), ...nodes.map((_, i) => (shown[i].item ? nodeText(i) : ''))].filter(Boolean).join('\n\n') + '\n';

  /** A cheap upper-ish estimate: pieces counted one by one (memoized), the header with the budget as its number. */
  const estimate = () => {
    let total = count(header(budget));
    shown.forEach((s, i) => {
      if (!s.item) return;
      const p = pieces[i];
      total += count(p.head) + 2;
      if (s.ai && p.ai) total += count(p.ai) + 1;
      if (s.body && p.body) total += s.bodyChars === undefined ? count(p.body) + 1 : count(nodeText(i)) - count(p.head);
      if (s.history && p.history) total += count(p.history) + 1;
    });
    return total;
  };
  /** The text with its own token count in the header: repeat until the number it states is the number it has. */
  const finish = () => {
    let guess = estimate();
    let text = render(guess);
    let tokens = options.countTokens(text);
    for (let i = 0; i < 8 && tokens !== guess; i++) {
      guess = tokens;
      text = render(guess);
      tokens = options.countTokens(text);
    }
    return { text, tokens };
  };
  const result = (done: { text: string; tokens: number }): AiContext => ({
    ...done,
    budget,
    included: nodes
      .map((nd, i) => ({ nd, i }))
      .filter(({ i }) => shown[i].item)
      .map(({ nd }) => ({ id: nd.item.id, type: nd.item.type, file: nd.item.file, depth: nd.depth, relation: nd.relation, via: nd.via?.id, why: nd.why })),
    dropped: [...dropped],
    overBudget: done.tokens > budget,
  });
  /** Does it fit now? Only counts the whole text when the estimate says it might. */
  const fits = () => {
    if (estimate() > budget * 1.05 + 16) return undefined;
    const done = finish();
    return done.tokens <= budget ? done : undefined;
  };

  // The steps, in order; each one cuts a little more.
  const steps: (() => void)[] = [];
  const drop = (i: number, part: DroppedPart, label: string, apply: (s: Shown) => void) =>
    steps.push(() => {
      apply(shown[i]);
      dropped.push({ id: nodes[i].item.id, file: nodes[i].item.file, part, label });
    });
  const reverse = nodes.map((_, i) => nodes.length - 1 - i);
  // 1. History: comments and history sections, farthest first, the task's own last.
  for (const i of reverse) {
    const nd = nodes[i];
    if (nd.item.type === 'comment' && i > 0) drop(i, 'comment', nd.item.id, (s) => (s.item = false));
    else if (pieces[i].history) drop(i, 'history', `history of ${nd.item.id}`, (s) => (s.history = false));
  }
  // 2. Relations two or more links away, farthest and least related first.
  for (const i of reverse) {
    const nd = nodes[i];
    if (i > 0 && nd.depth >= 2 && nd.item.type !== 'comment') drop(i, 'item', nd.item.id, (s) => (s.item = false));
  }
  // 3. The bodies, then the AI context blocks, of the direct relations.
  const near = reverse.filter((i) => i > 0 && nodes[i].depth === 1 && nodes[i].item.type !== 'comment');
  for (const i of near) if (pieces[i].body) drop(i, 'body', `body of ${nodes[i].item.id}`, (s) => (s.body = false));
  for (const i of near) if (pieces[i].ai) drop(i, 'ai-context', `AI context of ${nodes[i].item.id}`, (s) => (s.ai = false));

  let done = fits();
  for (const step of steps) {
    if (done) break;
    step();
    done = fits();
  }
  if (done) return result(done);

  // 4. The task's body, cut as little as fits; the direct relations' headers go only when even no body does not fit.
  const main = self.parts.main;
  const remaining = [...near];
  for (;;) {
    if (main) {
      const cut = fitBody();
      if (cut) return result(cut);
    } else {
      const now = fits();
      if (now) return result(now);
    }
    const next = remaining.shift();
    if (next === undefined) break;
    shown[next].item = false;
    dropped.push({ id: nodes[next].item.id, file: nodes[next].item.file, part: 'item', label: nodes[next].item.id });
  }
  // Only the task's header and AI context are left, and they do not fit: say so rather than cut them.
  if (main) {
    shown[0].body = false;
    dropped.push({ id: self.item.id, file: self.item.file, part: 'body', label: `body of ${self.item.id}` });
  }
  return result(finish());

  /** The longest start of the task's body that fits (undefined when not even none of it does). */
  function fitBody(): { text: string; tokens: number } | undefined {
    const whole = finish();
    if (whole.tokens <= budget) return whole;
    dropped.push({ id: self.item.id, file: self.item.file, part: 'body-end', label: `part of the body of ${self.item.id}` });
    shown[0].bodyChars = 0;
    if (finish().tokens > budget) {
      dropped.pop();
      shown[0].bodyChars = undefined;
      return undefined;
    }
    // More characters never take fewer tokens (bar a line-end snap), so the largest that fits is found by halving.
    let lo = 0;
    let hi = main.length - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      shown[0].bodyChars = mid;
      if (finish().tokens <= budget) lo = mid;
      else hi = mid - 1;
    }
    shown[0].bodyChars = lo;
    const done = finish();
    if (done.tokens <= budget) return done;
    shown[0].bodyChars = 0;
    return finish();
  }
}
