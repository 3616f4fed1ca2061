/**
 * Markdown ↔ Atlassian Document Format (ADF), for what task bodies hold: headings, paragraphs, hard
 * breaks, bold/italic/strike/inline code, links, bullet, ordered and task lists (nested), code blocks with
 * a language, blockquotes, rules and tables.
 *
 * The two directions are built together so that markdown → ADF → markdown is a fixed point: the markdown
 * that comes back is what we write again next time. Line breaks inside a paragraph are kept as hard
 * breaks (task bodies are written line by line, and Jira shows them that way). ADF content with no
 * markdown form (mentions, emoji, dates, status lozenges, cards, panels, expands, media, …) comes out as
 * readable text; pushing such a body back writes that text. Formatting markdown has no form for
 * (underline, colours, sub/superscript, alignment) is left out and its text kept. Neither direction
 * throws, whatever it is given.
 */

export interface AdfMark {
  type: string;
  attrs?: Record<string, unknown>;
}

export interface AdfNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  marks?: AdfMark[];
  text?: string;
}

export interface AdfDoc {
  version: 1;
  type: 'doc';
  content: AdfNode[];
}

/** Deeper block nesting than this is flattened to text: real bodies never come close, hostile ones must not blow the stack. */
const MAX_DEPTH = 24;
/** Longest link destination we look for; longer ones stay text (keeps scanning linear on hostile input). */
const MAX_URL = 4096;

// ───────────────────────────── markdown → ADF ─────────────────────────────

export function markdownToAdf(markdown: string): AdfDoc {
  const text = String(markdown ?? '')
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n');
  const ids = { next: 1 };
  return { version: 1, type: 'doc', content: parseBlocks(text.split('\n'), 0, ids) };
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;
const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const QUOTE = /^ {0,3}>/;
const BULLET = /^( *)([-*+])(?:[ \t]+|$)/;
const ORDERED = /^( *)(\d{1,9})([.)])(?:[ \t]+|$)/;
const TABLE_DELIMITER = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;
const TASK = /^\[([ xX])\](?:[ \t]+|$)/;

interface ListMarker {
  indent: number;
  ordered: boolean;
  bullet: string;
  start: number;
  /** Where the item's text begins. */
  contentAt: number;
}

function listMarker(line: string): ListMarker | undefined {
  const b = BULLET.exec(line);
  if (b) {
    if (RULE.test(line)) return undefined;
    return { indent: b[1].length, ordered: false, bullet: b[2], start: 1, contentAt: b[0].length };
  }
  const o = ORDERED.exec(line);
  if (o) return { indent: o[1].length, ordered: true, bullet: o[3], start: Number(o[2]), contentAt: o[0].length };
  return undefined;
}

function isTableStart(lines: string[], i: number): boolean {
  return i + 1 < lines.length && lines[i].includes('|') && TABLE_DELIMITER.test(lines[i + 1]) && lines[i + 1].includes('-') &&
    splitRow(lines[i]).length === splitRow(lines[i + 1]).length;
}

/** Whether a line starts a block other than a paragraph (so it ends the paragraph before it). */
function startsBlock(lines: string[], i: number): boolean {
  const line = lines[i];
  if (FENCE.test(line) || QUOTE.test(line) || RULE.test(line) || isTableStart(lines, i)) return true;
  const h = HEADING.exec(line);
  if (h) return true;
  const m = listMarker(line);
  return m !== undefined && m.indent < 4 && line.slice(m.contentAt).trim() !== '';
}

function expandTabs(line: string): string {
  const lead = /^[ \t]*/.exec(line)![0];
  if (!lead.includes('\t')) return line;
  let col = 0;
  for (const ch of lead) col = ch === '\t' ? col + 4 - (col % 4) : col + 1;
  return ' '.repeat(col) + line.slice(lead.length);
}

const indentOf = (line: string) => /^ */.exec(line)![0].length;
const blank = (line: string) => line.trim() === '';

function parseBlocks(rawLines: string[], depth: number, ids: { next: number }): AdfNode[] {
  const lines = rawLines.map(expandTabs);
  if (depth > MAX_DEPTH) {
    const text = lines.filter((l) => !blank(l)).map((l) => l.trim()).join('\n');
    return text ? [paragraph(text)] : [];
  }
  const out: AdfNode[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (blank(line)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const [, marker, lang] = fence;
      const body: string[] = [];
      i++;
      const close = new RegExp(`^ {0,3}${marker[0] === '`' ? '`' : '~'}{${marker.length},}\\s*$`);
      while (i < lines.length && !close.test(lines[i])) body.push(lines[i++]);
      i++; // the closing fence (or the end)
      const code: AdfNode = { type: 'codeBlock', attrs: lang ? { language: unescapeText(lang) } : {} };
      const text = body.join('\n');
      if (text) code.content = [{ type: 'text', text }];
      out.push(code);
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      const content = parseInline(heading[2] ?? '');
      out.push(content.length ? { type: 'heading', attrs: { level: heading[1].length }, content } : { type: 'heading', attrs: { level: heading[1].length } });
      i++;
      continue;
    }
    if (RULE.test(line)) {
      out.push({ type: 'rule' });
      i++;
      continue;
    }
    if (QUOTE.test(line)) {
      const inner: string[] = [];
      while (i < lines.length && !blank(lines[i])) {
        if (!QUOTE.test(lines[i])) break; // no lazy continuation, as in lists
        inner.push(lines[i].replace(/^ {0,3}> ?/, ''));
        i++;
      }
      out.push({ type: 'blockquote', content: orParagraph(parseBlocks(inner, depth + 1, ids)) });
      continue;
    }
    if (isTableStart(lines, i)) {
      const rows: string[] = [lines[i]];
      i += 2;
      while (i < lines.length && !blank(lines[i]) && lines[i].includes('|')) rows.push(lines[i++]);
      out.push(table(rows));
      continue;
    }
    const marker = listMarker(line);
    if (marker && marker.indent < 4) {
      const [list, next] = parseList(lines, i, marker, depth, ids);
      out.push(list);
      i = next;
      continue;
    }
    const para: string[] = [line];
    i++;
    while (i < lines.length && !blank(lines[i]) && !startsBlock(lines, i)) para.push(lines[i++]);
    // Trailing spaces (a markdown hard break) go; every line break is kept as a hard break.
    out.push(paragraph(para.map((l) => l.trim()).join('\n')));
  }
  return out;
}

function paragraph(text: string): AdfNode {
  const content = parseInline(text);
  return content.length ? { type: 'paragraph', content } : { type: 'paragraph' };
}

function orParagraph(blocks: AdfNode[]): AdfNode[] {
  return blocks.length ? blocks : [{ type: 'paragraph' }];
}

/** A list starting at line i: its items, each item's lines re-parsed as blocks (which nests lists). */
function parseList(lines: string[], i: number, first: ListMarker, depth: number, ids: { next: number }): [AdfNode, number] {
  const items: string[][] = [];
  while (i < lines.length) {
    const m = listMarker(lines[i]);
    if (!m || m.ordered !== first.ordered || m.bullet !== first.bullet || m.indent > first.indent + 3 || m.indent < first.indent) break;
    const contentAt = blank(lines[i].slice(m.contentAt)) ? m.indent + 2 : m.contentAt;
    const item: string[] = [lines[i].slice(m.contentAt)];
    i++;
    while (i < lines.length) {
      const line = lines[i];
      if (blank(line)) {
        // A blank line continues the item only when an indented line follows it.
        let j = i;
        while (j < lines.length && blank(lines[j])) j++;
        if (j < lines.length && indentOf(lines[j]) > m.indent) {
          for (; i < j; i++) item.push('');
          continue;
        }
        break;
      }
      // Only indented lines continue an item: markdown's lazy continuation would pull a following
      // unindented line (an `<!-- AI_CONTEXT_END -->` marker, say) into the list.
      if (indentOf(line) > m.indent) item.push(line.slice(Math.min(indentOf(line), contentAt)));
      else break;
      i++;
    }
    items.push(item);
    // Blank lines between items of one list.
    let j = i;
    while (j < lines.length && blank(lines[j])) j++;
    const again = j < lines.length ? listMarker(lines[j]) : undefined;
    if (j > i && again && again.ordered === first.ordered && again.bullet === first.bullet && again.indent === first.indent) i = j;
  }
  if (!first.ordered) {
    const tasks = taskList(items, depth, ids);
    if (tasks) return [tasks, i];
  }
  const content = items.map((item) => listItem(parseBlocks(item, depth + 1, ids)));
  const list: AdfNode = first.ordered
    ? { type: 'orderedList', attrs: { order: first.start }, content }
    : { type: 'bulletList', content };
  return [list, i];
}

/** ADF list items start with a paragraph; other first blocks get an empty one before them. */
function listItem(blocks: AdfNode[]): AdfNode {
  const okFirst = blocks[0] && (blocks[0].type === 'paragraph' || blocks[0].type === 'codeBlock');
  return { type: 'listItem', content: okFirst ? blocks : [{ type: 'paragraph' }, ...blocks] };
}

/** A bullet list whose items all start with `[ ]` or `[x]` and hold nothing but nested task lists: ADF's taskList. */
function taskList(items: string[][], depth: number, ids: { next: number }): AdfNode | undefined {
  const content: AdfNode[] = [];
  for (const item of items) {
    const m = TASK.exec(item[0].trimStart());
    if (!m) return undefined;
    const rest = [item[0].trimStart().slice(m[0].length), ...item.slice(1)];
    const firstBreak = rest.findIndex((l, k) => k > 0 && (blank(l) || startsBlock(rest, k)));
    const textLines = firstBreak < 0 ? rest : rest.slice(0, firstBreak);
    const nested = firstBreak < 0 ? [] : parseBlocks(rest.slice(firstBreak), depth + 1, ids);
    if (nested.some((n) => n.type !== 'taskList')) return undefined;
    const inline = parseInline(textLines.map((l) => l.trim()).join('\n'));
    const task: AdfNode = { type: 'taskItem', attrs: { localId: `task-${ids.next++}`, state: m[1] === ' ' ? 'TODO' : 'DONE' } };
    if (inline.length) task.content = inline;
    content.push(task, ...nested);
  }
  return { type: 'taskList', attrs: { localId: `list-${ids.next++}` }, content };
}

/** Cells of a table row, split at pipes that are not escaped. */
function splitRow(line: string): string[] {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const cells: string[] = [];
  let cur = '';
  for (let k = 0; k < s.length; k++) {
    if (s[k] === '\\' && s[k + 1] === '|') {
      cur += '\\|';
      k++;
    } else if (s[k] === '|') {
      cells.push(cur);
      cur = '';
    } else cur += s[k];
  }
  cells.push(cur);
  return cells.map((c) => c.trim());
}

function table(rows: string[]): AdfNode {
  const width = splitRow(rows[0]).length;
  const row = (line: string, cellType: string): AdfNode => {
    const cells = splitRow(line).slice(0, width);
    while (cells.length < width) cells.push('');
    return {
      type: 'tableRow',
      content: cells.map((c) => ({ type: cellType, attrs: {}, content: [paragraph(c.replace(/\\\|/g, '|').replace(/<br\s*\/?>/gi, '\n'))] })),
    };
  };
  return {
    type: 'table',
    attrs: { isNumberColumnEnabled: false, layout: 'default' },
    content: [row(rows[0], 'tableHeader'), ...rows.slice(1).map((r) => row(r, 'tableCell'))],
  };
}

// Inline parsing: code spans, autolinks, links and a delimiter stack for emphasis (after CommonMark's
// algorithm, simplified: `*`/`_` for em and strong, `~~` for strike).

const PUNCT = /[!-/:-@[-`{-~]/;
const isPunct = (c: string | undefined) => c !== undefined && PUNCT.test(c);
const isSpace = (c: string | undefined) => c === undefined || /\s/.test(c);
const AUTOLINK = /^<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>/;

type MarkKey = 'strong' | 'em' | 'strike';

interface Piece {
  text: string;
  /** A line break, not text. */
  br?: boolean;
  code?: boolean;
  link?: { href: string; title?: string };
  marks: Set<MarkKey>;
  /** A delimiter run still able to become emphasis. */
  delim?: { char: string; open: boolean; close: boolean; length: number };
}

export function parseInline(text: string): AdfNode[] {
  return piecesToNodes(inlinePieces(text, undefined));
}

function inlinePieces(s: string, link: Piece['link']): Piece[] {
  const pieces: Piece[] = [];
  const add = (text: string, extra: Partial<Piece> = {}) => pieces.push({ text, marks: new Set(), link, ...extra });
  let buf = '';
  const flush = () => {
    if (buf) add(buf);
    buf = '';
  };
  // Where each backtick run of a given length next occurs, so code spans are found in one pass.
  const ticks = backtickRuns(s);
  const brackets = link ? new Map<number, number>() : matchBrackets(s);
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length && isPunct(s[i + 1])) {
      buf += s[i + 1];
      i += 2;
      continue;
    }
    if (c === '\\' && s[i + 1] === '\n') {
      i++;
      continue;
    }
    if (c === '\n') {
      flush();
      add('\n', { br: true, link: undefined });
      i++;
      continue;
    }
    if (c === '`') {
      const run = ticks.at(i)!;
      const close = ticks.closing(i, run);
      if (close >= 0) {
        flush();
        let code = s.slice(i + run, close).replace(/\n/g, ' ');
        if (code.length > 1 && code.startsWith(' ') && code.endsWith(' ') && code.trim()) code = code.slice(1, -1);
        if (code) add(code, { code: true });
        i = close + run;
      } else {
        buf += s.slice(i, i + run);
        i += run;
      }
      continue;
    }
    if (c === '<') {
      const m = AUTOLINK.exec(s.slice(i, i + MAX_URL));
      if (m && !link) {
        flush();
        pieces.push({ text: m[1], marks: new Set(), link: { href: m[1] } });
        i += m[0].length;
        continue;
      }
    }
    if (c === '[' && brackets.has(i)) {
      const end = brackets.get(i)!;
      const dest = linkDestination(s, end + 1);
      if (dest) {
        flush();
        // Emphasis inside link text was settled there; what is left of its delimiters is plain text.
        const inner = inlinePieces(s.slice(i + 1, end), dest.link).map((p) => ({ ...p, delim: undefined }));
        if (!inner.length) pieces.push({ text: dest.link.href, marks: new Set(), link: dest.link });
        else pieces.push(...inner);
        i = dest.end;
        continue;
      }
    }
    if (c === '*' || c === '_' || c === '~') {
      let j = i;
      while (s[j] === c) j++;
      const run = j - i;
      const before = s[i - 1];
      const after = s[j];
      const left = !isSpace(after) && (!isPunct(after) || isSpace(before) || isPunct(before));
      const right = !isSpace(before) && (!isPunct(before) || isSpace(after) || isPunct(after));
      let open = left;
      let close = right;
      if (c === '_') {
        open = left && (!right || isPunct(before));
        close = right && (!left || isPunct(after));
      }
      if (c === '~' && run !== 2) open = close = false;
      flush();
      add(s.slice(i, j), { delim: { char: c, open, close, length: run } });
      i = j;
      continue;
    }
    buf += c;
    i++;
  }
  flush();
  resolveEmphasis(pieces);
  return pieces;
}

interface BacktickRuns {
  at(i: number): number | undefined;
  closing(i: number, length: number): number;
}

function backtickRuns(s: string): BacktickRuns {
  const runAt = new Map<number, number>();
  const byLength = new Map<number, number[]>();
  for (let i = 0; i < s.length; ) {
    if (s[i] !== '`' || (i > 0 && s[i - 1] === '\\' && (i < 2 || s[i - 2] !== '\\'))) {
      i++;
      continue;
    }
    let j = i;
    while (s[j] === '`') j++;
    runAt.set(i, j - i);
    if (!byLength.has(j - i)) byLength.set(j - i, []);
    byLength.get(j - i)!.push(i);
    i = j;
  }
  const cursor = new Map<number, number>();
  return {
    at: (i) => runAt.get(i) ?? 1,
    closing(i, length) {
      const list = byLength.get(length) ?? [];
      let k = cursor.get(length) ?? 0;
      while (k < list.length && list[k] <= i) k++;
      cursor.set(length, k);
      return k < list.length ? list[k] : -1;
    },
  };
}

/** Matching `]` for each `[` outside code spans and escapes, by one stack pass. */
function matchBrackets(s: string): Map<number, number> {
  const found = new Map<number, number>();
  const stack: number[] = [];
  const probe = backtickRuns(s);
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '`') {
      const run = probe.at(i)!;
      const close = probe.closing(i, run);
      i = close >= 0 ? close + run - 1 : i + run - 1;
      continue;
    }
    if (c === '[') stack.push(i);
    else if (c === ']' && stack.length) found.set(stack.pop()!, i);
  }
  return found;
}

/** `(url)` or `(url "title")` right after a link's `]`. */
function linkDestination(s: string, at: number): { link: { href: string; title?: string }; end: number } | undefined {
  if (s[at] !== '(') return undefined;
  const m = /^\(\s*(<[^<>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)(?:\s+("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'))?\s*\)/.exec(s.slice(at, at + MAX_URL));
  if (!m) return undefined;
  let href = m[1];
  if (href.startsWith('<')) href = href.slice(1, -1);
  href = unescapeText(href);
  if (!href) return undefined;
  const link: { href: string; title?: string } = { href };
  if (m[2]) link.title = unescapeText(m[2].slice(1, -1));
  return { link, end: at + m[0].length };
}

function unescapeText(s: string): string {
  return s.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** Pairs delimiter runs into emphasis, marking the pieces between each pair. */
function resolveEmphasis(pieces: Piece[]): void {
  const stack: number[] = [];
  // Below this stack height there is no opener for a closer of this kind (keeps hostile runs linear).
  const bottom = new Map<string, number>();
  for (let k = 0; k < pieces.length; k++) {
    const d = pieces[k].delim;
    if (!d) continue;
    if (d.close) {
      const key = `${d.char}${d.open ? 1 : 0}${d.length % 3}`;
      let matched = true;
      while (d.length > 0 && matched) {
        matched = false;
        for (let s = stack.length - 1; s >= (bottom.get(key) ?? 0); s--) {
          const o = pieces[stack[s]].delim!;
          if (o.char !== d.char || o.length === 0) continue;
          if ((o.close || d.open) && (o.length + d.length) % 3 === 0 && !(o.length % 3 === 0 && d.length % 3 === 0)) continue;
          const use = d.char === '~' ? 2 : o.length >= 2 && d.length >= 2 ? 2 : 1;
          const mark: MarkKey = d.char === '~' ? 'strike' : use === 2 ? 'strong' : 'em';
          for (let p = stack[s] + 1; p < k; p++) pieces[p].marks.add(mark);
          o.length -= use;
          d.length -= use;
          pieces[stack[s]].text = pieces[stack[s]].text.slice(use);
          pieces[k].text = pieces[k].text.slice(use);
          // Openers between the pair can no longer match anything.
          for (let r = stack.length - 1; r > s; r--) pieces[stack[r]].delim!.open = false;
          stack.length = o.length > 0 ? s + 1 : s;
          for (const [key2, b] of bottom) if (b > stack.length) bottom.set(key2, stack.length);
          matched = true;
          break;
        }
      }
      if (d.length > 0 && !matched) bottom.set(key, stack.length);
    }
    if (d.open && d.length > 0) stack.push(k);
  }
}

/** A delimiter run's remaining characters are text with the marks around them. */
function piecesToNodes(pieces: Piece[]): AdfNode[] {
  const nodes: AdfNode[] = [];
  for (const p of pieces) {
    if (p.br) {
      nodes.push({ type: 'hardBreak' });
      continue;
    }
    if (!p.text) continue;
    const marks: AdfMark[] = [];
    if (p.code) marks.push({ type: 'code' });
    else {
      if (p.marks.has('strong')) marks.push({ type: 'strong' });
      if (p.marks.has('em')) marks.push({ type: 'em' });
      if (p.marks.has('strike')) marks.push({ type: 'strike' });
    }
    if (p.link) marks.push({ type: 'link', attrs: p.link.title ? { href: p.link.href, title: p.link.title } : { href: p.link.href } });
    const prev = nodes[nodes.length - 1];
    if (prev?.type === 'text' && sameMarks(prev.marks ?? [], marks)) prev.text += p.text;
    else nodes.push(marks.length ? { type: 'text', text: p.text, marks } : { type: 'text', text: p.text });
  }
  return nodes;
}

function sameMarks(a: readonly AdfMark[], b: readonly AdfMark[]): boolean {
  return a.length === b.length && a.every((m, k) => m.type === b[k].type && JSON.stringify(m.attrs ?? {}) === JSON.stringify(b[k].attrs ?? {}));
}

// ───────────────────────────── ADF → markdown ─────────────────────────────

/** Markdown for an ADF document (or anything at all: what is not ADF comes out as the text it holds). */
export function adfToMarkdown(doc: unknown): string {
  try {
    const content = isNode(doc) ? children(doc) : Array.isArray(doc) ? doc.filter(isNode) : [];
    return blocksToMarkdown(content, 0, {}).replace(/\n{3,}/g, '\n\n').trim();
  } catch {
    // The conversion is total by construction; this is the last guard against a pathological shape.
    return plainText(doc).trim();
  }
}

function isNode(x: unknown): x is AdfNode {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && typeof (x as AdfNode).type === 'string';
}

function children(n: AdfNode): AdfNode[] {
  return Array.isArray(n.content) ? n.content.filter(isNode) : [];
}

function attr(n: AdfNode, key: string): unknown {
  return typeof n.attrs === 'object' && n.attrs !== null ? (n.attrs as Record<string, unknown>)[key] : undefined;
}

function str(x: unknown): string {
  return typeof x === 'string' ? x : typeof x === 'number' ? String(x) : '';
}

/** All text under a node, without recursion (so no depth of nesting can overflow the stack). */
function plainText(root: unknown): string {
  const out: string[] = [];
  const stack: unknown[] = [root];
  let guard = 0;
  while (stack.length && guard++ < 2_000_000) {
    const n = stack.pop();
    if (Array.isArray(n)) {
      for (let k = n.length - 1; k >= 0; k--) stack.push(n[k]);
      continue;
    }
    if (!isNode(n)) continue;
    if (n.type === 'text') out.push(str(n.text));
    else if (n.type === 'hardBreak') out.push('\n');
    else {
      const inline = inlineFallback(n);
      if (inline !== undefined) out.push(inline);
      else {
        stack.push('\n');
        if (Array.isArray(n.content)) stack.push(n.content);
      }
    }
  }
  return out.join('').replace(/\n{3,}/g, '\n\n');
}

interface Ctx {
  /** Inside a table cell: no block structure, `|` escaped. */
  cell?: boolean;
  /** The other bullet, for a list right after a list of the same kind (which markdown would join to it). */
  alternate?: boolean;
}

function blocksToMarkdown(blocks: AdfNode[], depth: number, ctx: Ctx): string {
  const parts: string[] = [];
  let prev: string | undefined;
  let alternate = false;
  let lastHeading = false;
  for (const b of blocks) {
    const kind = b.type === 'orderedList' ? 'ordered' : /^(bullet|task|decision)List$/.test(b.type) ? 'bullet' : undefined;
    alternate = kind !== undefined && kind === prev ? !alternate : false;
    const md = blockToMarkdown(b, depth, { ...ctx, alternate });
    // Content right under its heading, as the aitrackdown CLI writes bodies; a blank line everywhere else.
    if (md !== '') parts.push(parts.length ? (lastHeading && b.type !== 'heading' ? '\n' : '\n\n') + md : md);
    if (md !== '') lastHeading = b.type === 'heading' && !ctx.cell;
    prev = kind;
  }
  return parts.join('');
}

function indent(text: string, first: string, rest: string): string {
  return text
    .split('\n')
    .map((l, k) => (k === 0 ? first + l : l ? rest + l : ''))
    .join('\n');
}

function blockToMarkdown(n: AdfNode, depth: number, ctx: Ctx): string {
  if (depth > MAX_DEPTH) return escapeLines(plainText(n).trim(), ctx);
  switch (n.type) {
    case 'paragraph':
      return inlineToMarkdown(children(n), ctx);
    case 'heading': {
      const level = Math.min(6, Math.max(1, Math.trunc(Number(attr(n, 'level'))) || 1));
      // A heading is one line: its breaks become spaces.
      const inline = children(n).map((c): AdfNode => (c.type === 'hardBreak' ? { type: 'text', text: ' ' } : c));
      const text = inlineToMarkdown(inline, ctx);
      return ctx.cell ? text : `${'#'.repeat(level)} ${text}`.trimEnd();
    }
    case 'codeBlock': {
      const text = children(n).map((c) => str(c.text)).join('');
      if (ctx.cell) return inlineToMarkdown([{ type: 'text', text, marks: [{ type: 'code' }] }], ctx);
      const longest = Math.max(2, ...[...text.matchAll(/^ *(`{3,})/gm)].map((m) => m[1].length));
      const fence = '`'.repeat(longest + 1);
      const lang = str(attr(n, 'language')).replace(/[\s`]/g, '');
      return `${fence}${lang}\n${text}${text ? '\n' : ''}${fence}`;
    }
    case 'blockquote': {
      const inner = blocksToMarkdown(children(n), depth + 1, ctx);
      if (ctx.cell) return inner;
      return inner.split('\n').map((l) => (l ? `> ${l}` : '>')).join('\n');
    }
    case 'rule':
      return ctx.cell ? '' : '---';
    case 'bulletList':
    case 'orderedList': {
      const ordered = n.type === 'orderedList';
      const order = Number(attr(n, 'order') ?? 1);
      // Markdown reads at most nine digits as a list number.
      const start = Number.isInteger(order) && order >= 0 ? Math.min(order, 99_999_999) : 1;
      const items = children(n).map((item, k) => {
        const inner = { ...ctx, alternate: false };
        const body = item.type === 'listItem' ? listItemBody(item, depth, inner) : blockToMarkdown(item, depth + 1, inner);
        const marker = ordered ? `${start + k}${ctx.alternate ? ')' : '.'} ` : ctx.alternate ? '* ' : '- ';
        return ctx.cell ? body : indent(body || '', marker, ' '.repeat(marker.length));
      });
      return items.join(ctx.cell ? ' ' : '\n');
    }
    case 'taskList':
    case 'decisionList':
      return children(n)
        .map((item) => {
          if (item.type === 'taskList' || item.type === 'decisionList') return indent(blockToMarkdown(item, depth + 1, ctx), '  ', '  ');
          const done = str(attr(item, 'state')) === 'DONE' || str(attr(item, 'state')) === 'DECIDED';
          const box = item.type === 'decisionItem' ? '' : done ? '[x] ' : '[ ] ';
          const text = inlineToMarkdown(children(item), ctx);
          return ctx.cell ? `${box}${text}` : indent(`${box}${text}`, ctx.alternate ? '* ' : '- ', '  ');
        })
        .join(ctx.cell ? ' ' : '\n');
    case 'table':
      return ctx.cell ? plainText(n).replace(/\s+/g, ' ').trim() : tableToMarkdown(n, depth);
    default:
      return fallbackBlock(n, depth, ctx);
  }
}

function listItemBody(item: AdfNode, depth: number, ctx: Ctx): string {
  const blocks = children(item);
  const parts: string[] = [];
  blocks.forEach((b, k) => {
    const md = blockToMarkdown(b, depth + 1, ctx);
    if (md === '' && k > 0) return;
    const isList = b.type === 'bulletList' || b.type === 'orderedList' || b.type === 'taskList';
    // Nested lists sit right under their item; further paragraphs are separated by a blank line.
    parts.push(k === 0 ? md : isList ? `\n${md}` : `\n\n${md}`);
  });
  let body = parts.join('');
  if (body.startsWith('\n')) body = body.replace(/^\n+/, '');
  // An item that starts with what reads as a task box would turn into a task list.
  if (blocks[0]?.type === 'paragraph' && TASK.test(body)) body = `\\${body}`;
  return body;
}

function tableToMarkdown(n: AdfNode, depth: number): string {
  const rows = children(n).filter((r) => r.type === 'tableRow');
  if (!rows.length) return '';
  const cells = rows.map((r) =>
    children(r).map((c) => blocksToMarkdown(children(c), depth + 1, { cell: true }).replace(/\n+/g, '<br>').trim()),
  );
  const width = Math.max(1, ...cells.map((r) => r.length));
  const line = (r: string[]) => `| ${Array.from({ length: width }, (_, k) => r[k] ?? '').join(' | ')} |`.replace(/ {2,}\|/g, ' |');
  return [line(cells[0]), `|${' --- |'.repeat(width)}`, ...cells.slice(1).map(line)].join('\n');
}

/** Block nodes with no markdown form: their content, labelled, so nothing disappears. */
function fallbackBlock(n: AdfNode, depth: number, ctx: Ctx): string {
  const inline = inlineFallback(n);
  if (inline !== undefined) return escapeLines(inline, ctx);
  const labelled = (label: string, body: string) => {
    const head = escapeLines(label, ctx);
    return body ? `${head}\n\n${body}` : head;
  };
  const body = () => blocksToMarkdown(children(n), depth + 1, ctx);
  switch (n.type) {
    case 'panel': {
      const kind = str(attr(n, 'panelType')) || 'info';
      const inner = body();
      if (ctx.cell) return inner;
      const label = `${kind[0].toUpperCase()}${kind.slice(1)}:`;
      return (inner ? `**${label}** ${inner}` : `**${label}**`).split('\n').map((l) => (l ? `> ${l}` : '>')).join('\n');
    }
    case 'expand':
    case 'nestedExpand':
      return labelled(str(attr(n, 'title')) || 'Details', body());
    case 'mediaSingle':
    case 'mediaGroup':
      return blocksToMarkdown(children(n), depth + 1, ctx);
    case 'media':
    case 'mediaInline': {
      const name = str(attr(n, 'alt')) || str(attr(n, 'url')) || str(attr(n, 'id')) || 'file';
      return escapeLines(`[attachment: ${name}]`, ctx);
    }
    case 'blockCard':
    case 'embedCard': {
      const url = str(attr(n, 'url'));
      return url ? inlineToMarkdown([{ type: 'text', text: url, marks: [{ type: 'link', attrs: { href: url } }] }], ctx) : '';
    }
    case 'extension':
    case 'bodiedExtension':
    case 'inlineExtension':
      return labelled(`[${str(attr(n, 'extensionKey')) || 'extension'}]`, body());
    default: {
      // Unknown containers (layouts, future nodes): whatever they hold, as blocks when they hold blocks.
      const kids = children(n);
      if (!kids.length) return escapeLines(plainText(n).trim(), ctx);
      const inlineKids = kids.every((k) => k.type === 'text' || k.type === 'hardBreak' || inlineFallback(k) !== undefined);
      return inlineKids ? inlineToMarkdown(kids, ctx) : body();
    }
  }
}

/** Readable text for inline nodes with no markdown form; undefined for the ones that are not such nodes. */
function inlineFallback(n: AdfNode): string | undefined {
  switch (n.type) {
    case 'mention': {
      const text = str(attr(n, 'text')) || str(attr(n, 'id'));
      return text.startsWith('@') ? text : `@${text || 'someone'}`;
    }
    case 'emoji':
      return str(attr(n, 'text')) || str(attr(n, 'shortName')) || '';
    case 'date': {
      const ts = Number(attr(n, 'timestamp'));
      return Number.isFinite(ts) && Math.abs(ts) < 8.64e15 ? new Date(ts).toISOString().slice(0, 10) : str(attr(n, 'timestamp'));
    }
    case 'status':
      return `[${str(attr(n, 'text')) || 'status'}]`;
    case 'inlineCard':
      return str(attr(n, 'url')) || str((attr(n, 'data') as { url?: unknown } | undefined)?.url);
    case 'placeholder':
      return str(attr(n, 'text'));
    default:
      return undefined;
  }
}

// Inline serialisation.

interface Run {
  text: string;
  br?: boolean;
  code?: boolean;
  link?: { href: string; title?: string };
  marks: MarkKey[];
}

function runsOf(nodes: AdfNode[]): Run[] {
  const runs: Run[] = [];
  for (const n of nodes) {
    if (n.type === 'hardBreak') {
      runs.push({ text: '\n', br: true, marks: [] });
      continue;
    }
    let text: string;
    let marks: AdfMark[] = [];
    if (n.type === 'text') {
      text = str(n.text);
      marks = Array.isArray(n.marks) ? n.marks.filter((m): m is AdfMark => typeof m === 'object' && m !== null && typeof m.type === 'string') : [];
    } else {
      const fb = inlineFallback(n);
      text = fb ?? plainText(n);
      if (n.type === 'inlineCard' && text) marks = [{ type: 'link', attrs: { href: text } }];
    }
    if (!text) continue;
    const linkMark = marks.find((m) => m.type === 'link' && str(m.attrs?.href));
    const link = linkMark ? { href: str(linkMark.attrs!.href), ...(str(linkMark.attrs!.title) ? { title: str(linkMark.attrs!.title) } : {}) } : undefined;
    const code = marks.some((m) => m.type === 'code');
    const keys: MarkKey[] = code ? [] : (['strong', 'em', 'strike'] as const).filter((k) => marks.some((m) => m.type === k));
    // Text may carry line breaks of its own; they are breaks like hardBreak.
    text.split('\n').forEach((part, k) => {
      if (k > 0) runs.push({ text: '\n', br: true, marks: [] });
      if (part) runs.push({ text: part, code, link, marks: keys });
    });
  }
  // Emphasis cannot start or end on whitespace: whitespace at the edge of a run keeps only the marks
  // that continue past that edge.
  const out: Run[] = [];
  runs.forEach((r, k) => {
    if (r.br || r.code || !r.marks.length) {
      out.push(r);
      return;
    }
    const m = /^(\s*)([\s\S]*?)(\s*)$/.exec(r.text)!;
    const shared = (other: Run | undefined) => (other && !other.br && !other.code ? r.marks.filter((x) => other.marks.includes(x)) : []);
    if (m[1]) out.push({ ...r, text: m[1], marks: shared(runs[k - 1]) });
    if (m[2]) out.push({ ...r, text: m[2] });
    if (m[3]) out.push({ ...r, text: m[3], marks: shared(runs[k + 1]) });
  });
  const merged: Run[] = [];
  for (const r of out) {
    const prev = merged[merged.length - 1];
    if (prev && !prev.br && !r.br && !!prev.code === !!r.code && sameLink(prev.link, r.link) && prev.marks.join() === r.marks.join() && !r.code) prev.text += r.text;
    else merged.push({ ...r });
  }
  return merged;
}

function sameLink(a: Run['link'], b: Run['link']): boolean {
  return a === b || (!!a && !!b && a.href === b.href && a.title === b.title);
}

const DELIM: Record<MarkKey, string> = { strong: '**', em: '*', strike: '~~' };

function inlineToMarkdown(nodes: AdfNode[], ctx: Ctx): string {
  const runs = runsOf(nodes);
  let out = '';
  let open: MarkKey[] = [];
  let link: Run['link'];
  const closeMarks = (keep: number) => {
    while (open.length > keep) out += DELIM[open.pop()!];
  };
  // Marks open when the link began; they must outlive it (markdown cannot cross `[` or `](`).
  let linkBase = 0;
  const closeLink = () => {
    if (!link) return;
    closeMarks(linkBase);
    out += `](${destination(link.href)}${link.title ? ` "${link.title.replace(/["\\]/g, '\\$&')}"` : ''})`;
    link = undefined;
  };
  for (let k = 0; k < runs.length; k++) {
    const r = runs[k];
    if (!sameLink(link, r.link)) closeLink();
    let wanted = r.marks;
    if (r.link && !link && !r.br) {
      // Only the marks every run of this link has may stay open across its brackets.
      let j = k;
      let common = r.marks;
      for (; j < runs.length && !runs[j].br && sameLink(runs[j].link, r.link); j++) {
        const marks = runs[j].marks;
        common = common.filter((m) => marks.includes(m));
      }
      wanted = common;
    }
    // Keep the marks still wanted that are open, in their order; close the rest; open the new ones.
    let keep = 0;
    while (keep < open.length && wanted.includes(open[keep])) keep++;
    closeMarks(keep);
    if (r.br) {
      closeLink();
      out += ctx.cell ? '<br>' : '\n';
      continue;
    }
    if (r.link && !link) {
      // A link whose text is its address, plainly, is written as an autolink.
      const alone = !sameLink(runs[k + 1]?.link, r.link) && !r.code && !r.marks.length && r.text === r.link.href && !r.link.title;
      if (alone && AUTOLINK.test(`<${r.text}>`)) {
        out += `<${r.text}>`;
        continue;
      }
      for (const m of wanted) if (!open.includes(m)) {
        open.push(m);
        out += DELIM[m];
      }
      link = r.link;
      linkBase = open.length;
      out += '[';
    }
    for (const m of r.marks) if (!open.includes(m)) {
      open.push(m);
      out += DELIM[m];
    }
    if (r.code) out += codeSpan(r.text);
    else out += escapeText(r.text, !!link, !!ctx.cell, runs[k - 1], runs[k + 1]);
  }
  closeLink();
  closeMarks(0);
  return escapeLineStarts(out, ctx);
}

function destination(href: string): string {
  return /[\s()<>]/.test(href) ? `<${href.replace(/[<>]/g, encodeURIComponent)}>` : href.replace(/\\(?=[!-/:-@[-`{-~])/g, '\\\\');
}

function codeSpan(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || (text.startsWith(' ') && text.endsWith(' ') && text.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Escapes only what the inline parser would otherwise read as syntax, so plain prose stays as written. */
function escapeText(text: string, inLink: boolean, cell: boolean, prev: Run | undefined, next: Run | undefined): string {
  let out = '';
  const at = (k: number): string | undefined => (k < 0 ? (prev && !prev.br ? 'x' : undefined) : k >= text.length ? (next && !next.br ? 'x' : undefined) : text[k]);
  const alnum = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);
  for (let k = 0; k < text.length; k++) {
    const c = text[k];
    const before = at(k - 1);
    const after = at(k + 1);
    let esc = false;
    switch (c) {
      case '\\':
        esc = k + 1 >= text.length || isPunct(text[k + 1]) || text[k + 1] === '\n';
        break;
      case '`':
        esc = true;
        break;
      case '*':
        esc = !(isSpace(before) && isSpace(after) && before !== undefined && after !== undefined);
        break;
      case '_':
        esc = !(alnum(before) && alnum(after)) && !(isSpace(before) && isSpace(after) && before !== undefined && after !== undefined);
        break;
      case '~':
        esc = before === '~' || after === '~' || k === 0 || k === text.length - 1;
        break;
      case '[':
        esc = inLink;
        break;
      case ']':
        esc = inLink || after === '(' || k === text.length - 1;
        break;
      case '<':
        esc = AUTOLINK.test(text.slice(k, k + MAX_URL));
        break;
      case '|':
        esc = cell;
        break;
    }
    out += esc ? `\\${c}` : c;
  }
  return out;
}

/** A line that would read as a block (heading, list, quote, fence, rule, table) gets its first character escaped. */
function escapeLineStarts(md: string, ctx: Ctx): string {
  if (ctx.cell) return md;
  const lines = md.split('\n').map((l) => l.replace(/^[ \t]+/, ''));
  return lines
    .map((l, k) => {
      if (!l) return l;
      // The delimiter line of what would read as a table is the one escaped (its first character is punctuation).
      const tableDelimiter = k > 0 && isTableStart([lines[k - 1], l], 0);
      if (HEADING.test(l) || RULE.test(l) || QUOTE.test(l) || FENCE.test(l) || tableDelimiter || /^[-*+](?:[ \t]|$)/.test(l)) return `\\${l}`;
      const o = /^(\d{1,9})([.)])(?:[ \t]|$)/.exec(l);
      if (o) return `${o[1]}\\${l.slice(o[1].length)}`;
      return l;
    })
    .join('\n');
}

function escapeLines(text: string, ctx: Ctx): string {
  return inlineToMarkdown([{ type: 'text', text }], ctx);
}
