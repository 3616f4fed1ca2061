/** Which frontmatter value the cursor is in: the key it belongs to and the word a completion replaces. */
import { findFrontmatter } from './parse';

export interface FrontmatterContext {
  /** The key path of the value, outermost first: ['status'], ['state_metadata', 'previous_state']. */
  path: string[];
  /** Inside a list: a block item (`- x`) or a flow list (`[a, x]`). */
  inList: boolean;
  /** Offsets of the word under the cursor (quotes excluded): what a completion replaces. */
  start: number;
  end: number;
  /** The cursor is right after `key:`: what is inserted needs a space before it. */
  space: boolean;
}

const KEY_LINE = /^( *)([A-Za-z_][\w.-]*) *:(?: +|$)(.*)$/;
const ITEM_LINE = /^( *)- +(.*)$/;
const WORD_BEFORE = /[^\s,[\]{}"'#]*$/;
const WORD_AFTER = /^[^\s,[\]{}"'#]*/;

interface Line {
  start: number;
  text: string;
}

function lineAt(text: string, offset: number): Line {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const nl = text.indexOf('\n', offset);
  const end = nl === -1 ? text.length : nl;
  return { start, text: text.slice(start, end).replace(/\r$/, '') };
}

/** The keys of the mappings that enclose a line indented by `indent`, read upwards from `from`. */
function enclosingKeys(text: string, limit: number, from: number, indent: number): string[] {
  const keys: string[] = [];
  for (let start = from; start > limit && indent > 0; ) {
    const line = lineAt(text, start - 1);
    start = line.start;
    const m = KEY_LINE.exec(line.text);
    if (m && m[1].length < indent) {
      keys.unshift(m[2]);
      indent = m[1].length;
    }
  }
  return keys;
}

/** The key that owns a block list item: the nearest line above that is `key:` with nothing after it. */
function listOwner(text: string, limit: number, from: number, indent: number): string[] | undefined {
  for (let start = from; start > limit; ) {
    const line = lineAt(text, start - 1);
    start = line.start;
    const item = ITEM_LINE.exec(line.text);
    if (item && item[1].length === indent) continue;
    const m = KEY_LINE.exec(line.text);
    if (m && m[1].length <= indent && m[3].trim() === '') return [...enclosingKeys(text, limit, line.start, m[1].length), m[2]];
    return undefined;
  }
  return undefined;
}

/** The cursor's frontmatter context, or undefined outside a value of the frontmatter. */
export function frontmatterContextAt(text: string, offset: number): FrontmatterContext | undefined {
  const block = findFrontmatter(text);
  if (typeof block === 'string' || offset < block.start || offset > block.end) return undefined;
  const line = lineAt(text, offset);
  if (line.start < block.start) return undefined;
  const before = text.slice(line.start, offset);
  let path: string[] | undefined;
  let value: string;
  let inList: boolean;
  const key = KEY_LINE.exec(before);
  const item = ITEM_LINE.exec(before);
  if (key) {
    path = [...enclosingKeys(text, block.start, line.start, key[1].length), key[2]];
    value = key[3];
    inList = value.startsWith('[');
    if (inList && value.includes(']')) return undefined;
  } else if (item) {
    path = listOwner(text, block.start, line.start, item[1].length);
    value = item[2];
    inList = true;
  } else {
    return undefined;
  }
  if (!path || /(^|\s)#/.test(value)) return undefined;
  const typed = WORD_BEFORE.exec(value)![0];
  const rest = WORD_AFTER.exec(line.text.slice(before.length))![0];
  const start = offset - typed.length;
  return { path, inList, start, end: offset + rest.length, space: text[start - 1] === ':' };
}
