/**
 * Minimal frontmatter edits. An edit becomes a few text replacements inside the frontmatter: every
 * other byte of the file (comments, key order, quoting, flow lists, BOM, line ends, the body) stays.
 * The result is parsed again and checked before anyone may write it.
 */
import { isDeepStrictEqual } from 'util';
import { isCollection, isMap, isScalar, Node, Pair, parseDocument, Scalar, stringify, YAMLMap } from 'yaml';
import { findFrontmatter, FrontmatterBlock, MAX_ALIAS_COUNT, MAX_FILE_BYTES } from './parse';
import { frontmatterOverLimit } from './parseLimits';
import { eolOf } from './text';
import { parseYamlDocument } from './yamlDocument';

export type FrontmatterChange =
  /** Set a key; when the key is new it goes after `after` (if that key exists) or at the end. */
  | { key: string; value: unknown; after?: string }
  | { key: string; remove: true };

export interface TextEdit {
  offset: number;
  length: number;
  newText: string;
}

export class EditError extends Error {}

const YAML_OPTS = { version: '1.1', lineWidth: 0, flowCollectionPadding: false } as const;
/** Read as parse.ts reads: what it finds clean (`title: "x"#note`, a key over 1024 characters) can be edited. */
const READ_OPTS = { strict: false } as const;

/** Plan the replacements for a set of changes, or throw EditError saying why the file cannot be edited safely. */
export function planEdits(text: string, changes: readonly FrontmatterChange[]): TextEdit[] {
  const block = findFrontmatter(text);
  if (block === 'none' || block === 'unclosed') throw new EditError('The file has no closed frontmatter block to edit.');
  const yamlText = text.slice(block.start, block.end);
  // Too large to be read is too large to edit: the check below would take seconds, on the editor's thread.
  const over = frontmatterOverLimit(yamlText);
  if (over) throw new EditError(`The frontmatter cannot be edited: ${over}.`);
  const doc = parseYamlDocument(yamlText, READ_OPTS);
  if (doc.errors.length) throw new EditError(`The frontmatter has YAML errors; fix them first (${doc.errors[0].message.split('\n')[0]}).`);
  if (doc.contents !== null && !isMap(doc.contents)) throw new EditError('The frontmatter is not a mapping of keys to values.');
  const map = (doc.contents as YAMLMap | null)?.items ?? [];
  const eol = eolOf(text);
  const seen = new Set<string>();
  const edits: TextEdit[] = [];
  for (const change of changes) {
    if (seen.has(change.key)) throw new EditError(`Key ${change.key} changed twice in one edit.`);
    seen.add(change.key);
    const pair = findPair(map, change.key);
    if ('remove' in change) {
      if (pair) edits.push(removePair(text, block, pair));
    } else if (pair) {
      edits.push(replaceValue(text, block, pair, change.value));
    } else {
      edits.push(insertPair(text, block, map, change, eol));
    }
  }
  return edits.map((e) => ({ ...e, newText: e.newText.replace(/\r?\n/g, eol) }));
}

/** Apply edits (non-overlapping, any order) to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  // Back to front; of two insertions at one offset the one listed first ends up first.
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => b.e.offset - a.e.offset || b.i - a.i).map((x) => x.e);
  let out = text;
  let limit = Infinity;
  for (const e of sorted) {
    if (e.offset + e.length > limit) throw new EditError('Overlapping edits.');
    out = out.slice(0, e.offset) + e.newText + out.slice(e.offset + e.length);
    limit = e.offset;
  }
  return out;
}

/**
 * Plan, apply and verify: the result must parse cleanly, carry exactly the requested values and
 * leave every other key's value as it was. Returns the edits and the new text.
 */
export function editFrontmatter(text: string, changes: readonly FrontmatterChange[]): { edits: TextEdit[]; text: string } {
  try {
    const edits = planEdits(text, changes);
    const result = applyEdits(text, edits);
    verify(text, result, changes);
    return { edits, text: result };
  } catch (e) {
    // Nesting about as deep as the stack allows (in the text, or in a value to write): the YAML library or the
    // comparison of old and new values may run out of stack, even where a reading a moment before did not.
    if (e instanceof RangeError) throw new EditError(`The frontmatter is nested too deeply to be edited safely (${e.message}); nothing was written.`);
    throw e;
  }
}

function readData(text: string): Record<string, unknown> {
  const block = findFrontmatter(text) as FrontmatterBlock;
  const doc = parseYamlDocument(text.slice(block.start, block.end), READ_OPTS);
  if (doc.errors.length) throw new EditError('The edit would break the YAML; nothing was written.');
  // The last key removed before a document end marker (`...`) leaves a null scalar, which parse.ts reports.
  if (doc.contents !== null && !isMap(doc.contents)) throw new EditError('The edit would leave the frontmatter without a mapping of keys to values; nothing was written.');
  try {
    return (doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as Record<string, unknown> | null) ?? {};
  } catch {
    // An alias left without its anchor, or an alias bomb: not readable, so not writable.
    throw new EditError('The edit would break the YAML; nothing was written.');
  }
}

function verify(before: string, after: string, changes: readonly FrontmatterChange[]) {
  // Files over the limit are not read (project.ts counts bytes, parseItem UTF-16 units: bytes are never fewer).
  if (Buffer.byteLength(after, 'utf8') > MAX_FILE_BYTES) {
    throw new EditError(`The edit would make the file larger than ${MAX_FILE_BYTES / 1024} KiB, too large to be read; nothing was written.`);
  }
  const block = findFrontmatter(after) as FrontmatterBlock;
  const over = frontmatterOverLimit(after.slice(block.start, block.end));
  if (over) throw new EditError(`The edit would make the frontmatter too large to be read (${over}); nothing was written.`);
  const old = readData(before);
  const now = readData(after);
  const touched = new Map(changes.map((c) => [c.key, c]));
  // The changed keys too: a key written so that it reads back as another (YAML drops a byte order mark, so a
  // key that is one reads as the empty key) is in neither map.
  for (const key of new Set([...Object.keys(old), ...Object.keys(now), ...touched.keys()])) {
    const c = touched.get(key);
    const expected = !c ? old[key] : 'remove' in c ? undefined : normalise(c.value);
    if (!isDeepStrictEqual(now[key], expected)) throw new EditError(`The edit of ${key} did not come out as intended; nothing was written.`);
  }
  const bodyOf = (t: string) => t.slice((findFrontmatter(t) as FrontmatterBlock).bodyOffset);
  if (bodyOf(before) !== bodyOf(after)) throw new EditError('The edit would change the body; nothing was written.');
}

/** What a value reads back as from YAML (undefined members dropped, dates as ISO strings). */
function normalise(v: unknown): unknown {
  return JSON.parse(JSON.stringify(v ?? null)) as unknown;
}

function findPair(items: readonly Pair[], key: string): Pair<Node, Node | null> | undefined {
  return items.find((p) => isScalar(p.key) && String((p.key as Scalar).value) === key) as Pair<Node, Node | null> | undefined;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}
function nextLineStart(text: string, offset: number, limit: number): number {
  const i = text.indexOf('\n', offset);
  return i === -1 || i >= limit ? limit : i + 1;
}

function removePair(text: string, block: FrontmatterBlock, pair: Pair<Node, Node | null>): TextEdit {
  const start = lineStart(text, block.start + pair.key.range![0]);
  let valueEnd = block.start + (pair.value?.range?.[1] ?? pair.key.range![1]);
  // A block scalar's or block collection's range runs on over its last line end: step back inside it,
  // or the next key's line would be removed with it.
  while (valueEnd > start && /\s/.test(text[valueEnd - 1])) valueEnd--;
  // Never swallow the closing `---` line.
  const end = Math.min(nextLineStart(text, valueEnd, block.closeLine), block.closeLine);
  return { offset: start, length: end - start, newText: '' };
}

function scalarText(value: unknown, like?: Scalar): string {
  if (typeof value === 'string') {
    if (!value.includes('\n')) {
      if (like?.type === 'QUOTE_DOUBLE') return JSON.stringify(value);
      if (like?.type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
    }
    const plain = stringify(value, YAML_OPTS).trimEnd();
    return plain.includes('\n') ? JSON.stringify(value) : plain;
  }
  if (value === null || value === undefined) return 'null';
  return stringify(value, YAML_OPTS).trimEnd();
}

/** A collection value as YAML text that follows `key:`; flow when the old value was flow or empty. */
function collectionText(value: object, column: number, flow: boolean): string {
  if (flow || (Array.isArray(value) && value.length === 0) || Object.keys(value).length === 0) {
    const doc = parseDocument('x: null');
    const node = doc.createNode(value, { flow: true });
    doc.set('x', node);
    return ' ' + stringify(doc.get('x', true), YAML_OPTS).trimEnd();
  }
  const pad = ' '.repeat(column);
  const body = stringify(value, YAML_OPTS).trimEnd();
  return '\n' + body.split('\n').map((l) => `${pad}  ${l}`).join('\n');
}

function isPlainCollection(v: unknown): v is object {
  return typeof v === 'object' && v !== null && !(v instanceof Date);
}

function replaceValue(text: string, block: FrontmatterBlock, pair: Pair<Node, Node | null>, value: unknown): TextEdit {
  const keyStart = block.start + pair.key.range![0];
  const keyEnd = block.start + pair.key.range![1];
  const column = keyStart - lineStart(text, keyStart);
  const old = pair.value;
  let oldEnd = old?.range ? block.start + old.range[1] : keyEnd;
  // A block collection's range runs on over its last line end; keep that line end.
  while (oldEnd > keyEnd && /\s/.test(text[oldEnd - 1])) oldEnd--;
  if (isPlainCollection(value)) {
    const flow = isCollection(old) && (old as { flow?: boolean }).flow === true;
    return { offset: keyEnd, length: oldEnd - keyEnd, newText: ':' + collectionText(value, column, flow) };
  }
  // An empty value (`key:`) has an empty range right after the colon: it goes through the rewrite below.
  if (isScalar(old) && old.range && old.range[1] > old.range[0] && old.type !== 'BLOCK_LITERAL' && old.type !== 'BLOCK_FOLDED' && !old.anchor) {
    const start = block.start + old.range[0];
    return { offset: start, length: oldEnd - start, newText: scalarText(value, old) };
  }
  // Empty value, alias, block scalar or collection: rewrite everything after the key.
  return { offset: keyEnd, length: oldEnd - keyEnd, newText: ': ' + scalarText(value) };
}

function insertPair(
  text: string,
  block: FrontmatterBlock,
  items: readonly Pair[],
  change: { key: string; value: unknown; after?: string },
  eol: string,
): TextEdit {
  const keyText = scalarText(change.key);
  const valueText = isPlainCollection(change.value) ? collectionText(change.value, 0, false) : ' ' + scalarText(change.value);
  const line = `${keyText}:${valueText}${eol}`;
  const anchor = change.after ? findPair(items, change.after) : undefined;
  if (anchor) {
    const keyEnd = block.start + anchor.key.range![1];
    let end = block.start + (anchor.value?.range?.[1] ?? anchor.key.range![1]);
    // A block collection's range runs on over its last line end: go back, or the key lands a line too late.
    while (end > keyEnd && /\s/.test(text[end - 1])) end--;
    const at = nextLineStart(text, end, block.closeLine);
    // A frontmatter whose last line has no line end before `---` cannot happen: `\n---` closes it.
    return { offset: at, length: 0, newText: line };
  }
  return { offset: block.closeLine, length: 0, newText: line };
}
