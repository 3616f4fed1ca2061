/**
 * A fast reader for the plain YAML the aitrackdown CLI writes: top-level `key: value` lines whose values
 * are one-line scalars, flow lists of scalars, literal block scalars (`|`, `|-`, `|+`: the CLI's leaked
 * `content:`), or one level of block list/map. Anything else (anchors, tags, folded or multi-line flow
 * scalars, nesting, odd indentation, errors) returns undefined and the caller uses the
 * full YAML library, so the answer is always the library's answer. A differential test holds it to that.
 * One error is read here too, because real files are full of it: a plain value starting with `@`
 * (`assignee: @alice`), which the library reports at the `@` and reads as the plain scalar anyway.
 * It runs on every file of a cold index, so it walks the text by offsets: no line copies, no result
 * objects per value.
 */

export interface FastResult {
  data: Record<string, unknown>;
  /**
   * The top-level keys in the order the text has them: the first `keyCount` entries. The reader's own
   * buffer, reused by its next parse: copy what you keep.
   */
  names: readonly string[];
  /** Four offsets a key, plus `base`: where key k starts and ends, then where its value node starts and ends. Reused too. */
  spans: readonly number[];
  keyCount: number;
  /** Offsets of each `@` that starts a plain scalar: the library's BAD_SCALAR_START errors, and its only ones. */
  reserved: number[];
}

const KEY_CHARS = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
/**
 * A plain key the core schema reads as a string (`null:` or `true:` are not). `__proto__` is left to the
 * library, which keeps it as a key: stored here it would set the data's prototype.
 */
const isKey = (k: string) => KEY_CHARS.test(k) && k !== '__proto__' && typeof resolvePlain(k) === 'string';
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const INT = /^[-+]?[0-9]+$/;
const OCT = /^0o[0-7]+$/;
const HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;
const FLOAT_EXP = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
/** Characters that may not start a plain scalar (or that start something this reader leaves alone). */
const NOT_PLAIN_START = /^[-?:,[\]{}#&*!|>'"%@`]/;
/** Only JSON's escapes are read here; YAML's others (\x, \U, \0, \e, line folding…) go the long way. */
const JSON_SAFE_ESCAPES = /\\(?:[^"\\/bfnrtu]|u(?![0-9a-fA-F]{4}))/;
/** Tabs, control characters and a lone CR (a line break to YAML): one pass finds any of them. */
// eslint-disable-next-line no-control-regex
const LEFT_TO_LIBRARY = /[\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\u2028\u2029\x85]|\r(?!\n)/;

/** The first characters of the plain scalars the core schema reads as something other than a string. */
const NON_STRING_START = new Set('-+.0123456789~nNtTfF');

/** The core schema's reading of a plain scalar. */
function resolvePlain(s: string): unknown {
  if (s !== '' && !NON_STRING_START.has(s[0])) return s;
  if (NULL.test(s)) return null;
  if (BOOL.test(s)) return s[0] === 't' || s[0] === 'T';
  if (OCT.test(s)) return parseInt(s.slice(2), 8);
  if (INT.test(s)) return parseInt(s, 10);
  if (HEX.test(s)) return parseInt(s.slice(2), 16);
  if (FLOAT_SPECIAL.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? -Infinity : Infinity;
  if (FLOAT_EXP.test(s) || FLOAT.test(s)) return parseFloat(s);
  return s;
}

/**
 * The strings read last, by a hash of their length and three of their characters. Thousands of files
 * repeat the same keys and the same short values (`state: active`, `priority: high`): a hit costs a
 * comparison instead of a new string, and the index keeps one copy instead of one a file.
 */
class StringCache {
  private readonly slots: (string | undefined)[];
  constructor(private readonly mask: number) {
    this.slots = new Array<string | undefined>(mask + 1).fill(undefined);
  }
  private slot(src: string, s: number, e: number): number {
    const n = e - s;
    return (Math.imul(n, 0x9e3779b1) ^ Math.imul(src.charCodeAt(s), 31) ^ Math.imul(src.charCodeAt(s + (n >> 1)), 131) ^ src.charCodeAt(e - 1)) & this.mask;
  }
  /** The cached string equal to src[s..e), if any. */
  get(src: string, s: number, e: number): string | undefined {
    const c = this.slots[this.slot(src, s, e)];
    return c !== undefined && c.length === e - s && src.startsWith(c, s) ? c : undefined;
  }
  set(src: string, s: number, e: number, value: string): void {
    this.slots[this.slot(src, s, e)] = value;
  }
}

/**
 * Keys that passed isKey, cached only once stored as a property: that makes the engine keep the key as
 * its own interned copy, so a cached key never holds on to the file text it was cut from.
 */
const keys = new StringCache(255);
/** Short plain strings only: a string under 13 characters is a copy, not a view into its file's text. */
const values = new StringCache(1023);
const SHORT = 13;

/** The key src[s..e) if it is a plain key (see isKey), else undefined. */
function keyAt(src: string, s: number, e: number): string | undefined {
  const known = keys.get(src, s, e);
  if (known !== undefined) return known;
  const key = src.slice(s, e);
  return isKey(key) ? key : undefined;
}

const HASH = 35;
const COLON = 58;
const isBlankCode = (c: number) => c === 32 || c === 9;
/** `,` `[` `]` `{` `}`: they end a plain scalar inside a flow list. */
const isFlowCode = (c: number) => c === 44 || c === 91 || c === 93 || c === 123 || c === 125;

const FAIL = Symbol('fail');
type Fail = typeof FAIL;

/** What a parse carries along: each `@` that starts a plain scalar, and where the last value read ends. */
interface At {
  reserved: number[];
  end: number;
}

/** Where the line starting at `s` ends (before its `\r\n` or `\n`), given `nl`, the offset of its `\n` or the text's end. */
const lineEnd = (src: string, s: number, nl: number) => (nl > s && src.charCodeAt(nl - 1) === 13 ? nl - 1 : nl);
/** The offset of the `\n` ending the line that starts at `s`, or the text's end. */
function newline(src: string, s: number): number {
  const nl = src.indexOf('\n', s);
  return nl === -1 ? src.length : nl;
}

/**
 * Read one scalar starting at `i`, on a line that ends at `end`. `flow` is true inside `[ ]`, where `,`
 * and `]` end a plain scalar. Returns the value (FAIL when this reader leaves it to the library) and
 * sets `at.end` to the offset after it.
 */
function readScalar(src: string, i: number, end: number, flow: boolean, at: At): unknown {
  const c = i < end ? src[i] : undefined;
  if (c === '"') {
    let j = i + 1;
    while (j < end && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
    if (j >= end) return FAIL;
    const raw = src.slice(i, j + 1);
    if (JSON_SAFE_ESCAPES.test(raw)) return FAIL;
    try {
      at.end = j + 1;
      return JSON.parse(raw);
    } catch {
      return FAIL;
    }
  }
  if (c === "'") {
    let j = i + 1;
    for (;;) {
      j = src.indexOf("'", j);
      if (j === -1 || j >= end) return FAIL;
      if (src[j + 1] === "'") j += 2;
      else break;
    }
    const raw = src.slice(i + 1, j);
    at.end = j + 1;
    return raw.includes("''") ? raw.replace(/''/g, "'") : raw;
  }
  if (c === '@') at.reserved.push(i);
  else if (c === undefined || NOT_PLAIN_START.test(c)) return FAIL;
  // By character code: this loop sees every character of every plain value.
  let j = i;
  for (; j < end; j++) {
    const ch = src.charCodeAt(j);
    if (ch === HASH && isBlankCode(src.charCodeAt(j - 1))) break;
    if (ch === COLON && (j + 1 === end || isBlankCode(src.charCodeAt(j + 1)) || (flow && isFlowCode(src.charCodeAt(j + 1))))) return FAIL;
    if (flow && isFlowCode(ch)) break;
  }
  let e = j;
  while (e > i && isBlankCode(src.charCodeAt(e - 1))) e--;
  at.end = e;
  if (e === i || e - i >= SHORT || NON_STRING_START.has(src[i])) return resolvePlain(src.slice(i, e));
  // A short plain string (its first character rules out every other reading).
  const known = values.get(src, i, e);
  if (known !== undefined) return known;
  const value = src.slice(i, e);
  values.set(src, i, e, value);
  return value;
}

/** After a value, up to the line's end: only blanks, or blanks and a comment. */
function restIsEmpty(src: string, i: number, end: number): boolean {
  let j = i;
  while (j < end && (src[j] === ' ' || src[j] === '\t')) j++;
  return j === end || (src[j] === '#' && j > i);
}

/** A flow list of scalars starting at the `[` at `i`; sets `at.end` after its `]`. The characters at `end` and after are line breaks, which match none tested here. */
function readFlowSeq(src: string, i: number, end: number, at: At): unknown[] | Fail {
  const out: unknown[] = [];
  let j = skipBlanks(src, i + 1);
  if (src[j] === ']') {
    at.end = j + 1;
    return out;
  }
  for (;;) {
    const value = readScalar(src, skipBlanks(src, j), end, true, at);
    if (value === FAIL) return FAIL;
    out.push(value);
    j = skipBlanks(src, at.end);
    if (src[j] === ']') {
      at.end = j + 1;
      return out;
    }
    if (src[j] !== ',' || j >= end) return FAIL;
    j = skipBlanks(src, j + 1);
    if (src[j] === ']') return FAIL; // a trailing comma: leave it to the library
  }
}

function skipBlanks(src: string, j: number): number {
  while (src[j] === ' ' || src[j] === '\t') j++;
  return j;
}

/** The line from `s` to `end` holds only blanks, or blanks and a comment. */
function isBlank(src: string, s: number, end: number): boolean {
  let i = s;
  while (i < end && (src[i] === ' ' || src[i] === '\t')) i++;
  return i === end || src[i] === '#';
}

const SPACE = /\s/;
/** Leading white space of the line from `s` to `end`, as String.prototype.trimStart counts it (tabs never get here). */
function indentOf(src: string, s: number, end: number): number {
  let j = s;
  for (; j < end; j++) {
    const c = src.charCodeAt(j);
    if (c !== 32 && !(c > 0x7f && SPACE.test(src[j]))) break;
  }
  return j - s;
}

/**
 * The keys and offsets of the parse under way. Every file of an index would otherwise make (and mostly
 * drop) two arrays grown key by key; the reader never runs inside itself.
 */
const scratchNames: string[] = [];
const scratchSpans: number[] = [];
let keyCount = 0;
/** Note a top-level key, stored in the data already, with its offsets. */
function addKey(src: string, ks: number, name: string, k0: number, k1: number, v0: number, v1: number): void {
  keys.set(src, ks, ks + name.length, name);
  const j = keyCount * 4;
  scratchNames[keyCount++] = name;
  scratchSpans[j] = k0;
  scratchSpans[j + 1] = k1;
  scratchSpans[j + 2] = v0;
  scratchSpans[j + 3] = v1;
}

/** `base`: what to add to the key offsets (where `src` starts in the whole file). */
export function parseFrontmatterFast(src: string, base = 0): FastResult | undefined {
  keyCount = 0;
  const data = read(src, base);
  if (!data) return undefined;
  return { data: data.data, names: scratchNames, spans: scratchSpans, keyCount, reserved: data.reserved };
}

function read(src: string, base: number): { data: Record<string, unknown>; reserved: number[] } | undefined {
  // Tabs, control characters and a lone CR (a line break to YAML) are left to the library; no scalar
  // below needs to check for them again.
  if (LEFT_TO_LIBRARY.test(src)) return undefined;
  const data: Record<string, unknown> = {};
  const at: At = { reserved: [], end: 0 };
  for (let s = 0; s <= src.length; ) {
    const nl = newline(src, s);
    const end = lineEnd(src, s, nl);
    if (isBlank(src, s, end)) {
      s = nl + 1;
      continue;
    }
    if (src[s] === ' ' || src.startsWith('---', s) || src.startsWith('...', s)) return undefined;
    const colon = src.indexOf(':', s);
    if (colon <= s || colon >= end) return undefined;
    const key = keyAt(src, s, colon);
    if (key === undefined || Object.prototype.hasOwnProperty.call(data, key)) return undefined;
    let i = colon + 1;
    if (i < end && src[i] !== ' ') return undefined;
    while (i < end && src[i] === ' ') i++;
    const k0 = base + s;
    const k1 = k0 + key.length;
    if (i < end && src[i] !== '#') {
      // A value on the same line.
      let value: unknown;
      if (src[i] === '[') {
        value = readFlowSeq(src, i, end, at);
      } else if (src[i] === '|') {
        const lit = readLiteral(src, i + 1, end, nl + 1);
        if (lit === FAIL) return undefined;
        data[key] = lit.value;
        addKey(src, s, key, k0, k1, base + i, base + lit.end);
        s = lit.next;
        continue;
      } else if (src[i] === '{') {
        let j = i + 1;
        while (j < end && SPACE.test(src[j])) j++;
        value = j < end && src[j] === '}' ? {} : FAIL;
        at.end = j + 1;
      } else {
        value = readScalar(src, i, end, false, at);
      }
      if (value === FAIL || !restIsEmpty(src, at.end, end)) return undefined;
      data[key] = value;
      addKey(src, s, key, k0, k1, base + i, base + at.end);
      s = nl + 1;
      continue;
    }
    // Nothing on the line: a block list or map below it, or null.
    s = nl + 1;
    const block = readBlock(src, s, at);
    if (block === FAIL) return undefined;
    if (block === undefined) {
      data[key] = null;
      addKey(src, s, key, k0, k1, base + i, base + i);
      continue;
    }
    data[key] = block.value;
    addKey(src, s, key, k0, k1, base + block.start, base + block.end);
    s = block.next;
  }
  return { data, reserved: at.reserved };
}

/**
 * A literal block scalar whose header (after `|`) runs from `h` to `hEnd`, its content on the lines from
 * `first`: indented by the first non-blank one, ended by a line indented less. Returns the value, where
 * the node ends and where the next line starts (past the text's end when there is none).
 */
function readLiteral(src: string, h: number, hEnd: number, first: number): { value: string; end: number; next: number } | Fail {
  const chomp = src[h] === '-' || src[h] === '+' ? src[h] : '';
  const rest = h + chomp.length;
  if (!isBlank(src, rest, hEnd) || (hEnd > rest && src[rest] !== ' ')) return FAIL;
  const parts: string[] = [];
  /** Where the line of each part starts. */
  const starts: number[] = [];
  let indent = -1;
  let k = first;
  for (; k <= src.length; ) {
    const nl = newline(src, k);
    const end = lineEnd(src, k, nl);
    let sp = 0;
    while (k + sp < end && src[k + sp] === ' ') sp++;
    if (k + sp === end) {
      // A blank line: empty content, unless it holds more spaces than the content's indentation.
      if (indent !== -1 ? sp > indent : sp > 0) return FAIL;
      parts.push('');
      starts.push(k);
      k = nl + 1;
      continue;
    }
    if (indent === -1) {
      if (sp === 0) break;
      indent = sp;
    }
    if (sp < indent) break;
    parts.push(src.slice(k + indent, end));
    starts.push(k);
    k = nl + 1;
  }
  let last = parts.length;
  while (last > 0 && parts[last - 1] === '') last--;
  const atEnd = k > src.length;
  // Trailing blank lines at the very end, or kept without any content: the library decides.
  if ((atEnd && last < parts.length) || (chomp === '+' && last === 0 && parts.length)) return FAIL;
  const body = parts.slice(0, last).join('\n');
  const value = chomp === '-' ? body : (last ? body + '\n' : '') + (chomp === '+' ? '\n'.repeat(parts.length - last) : '');
  // Like the library, the node ends after its last content line, or after the kept or only blank lines.
  const endLine = chomp === '+' || last === 0 || last === parts.length ? k : starts[last];
  return { value, end: Math.min(endLine, src.length), next: k };
}

/**
 * A block list or map on the lines from `s`, or undefined when there is none (the key's value is
 * null). Returns the value, where its node starts and ends, and where the next line starts.
 */
function readBlock(src: string, s: number, at: At): { value: unknown; start: number; end: number; next: number } | Fail | undefined {
  let first = s;
  let firstEnd = 0;
  for (; first <= src.length; ) {
    const nl = newline(src, first);
    firstEnd = lineEnd(src, first, nl);
    if (!isBlank(src, first, firstEnd)) break;
    first = nl + 1;
  }
  if (first > src.length) return undefined;
  const indent = indentOf(src, first, firstEnd);
  const dash = (i: number, end: number) => (src.startsWith('- ', i) && i + 2 <= end) || i + 1 === end && src[i] === '-';
  const isSeq = dash(first + indent, firstEnd);
  if (indent === 0 && !isSeq) return undefined;
  const items: unknown[] = [];
  const map: Record<string, unknown> = {};
  let last = first;
  let k = first;
  for (; k <= src.length; ) {
    const nl = newline(src, k);
    const end = lineEnd(src, k, nl);
    if (isBlank(src, k, end)) {
      if (src.slice(k, end).includes('#')) return FAIL; // comments inside a block: leave it to the library
      k = nl + 1;
      continue;
    }
    const ind = indentOf(src, k, end);
    if (ind < indent || (indent === 0 && !dash(k, end))) break;
    if (ind > indent) return FAIL;
    let i = k + indent;
    let value: unknown;
    if (isSeq) {
      if (!src.startsWith('- ', i) || i + 2 > end) return FAIL;
      i += 2;
      while (i < end && src[i] === ' ') i++;
      value = i < end && src[i] === '[' ? readFlowSeq(src, i, end, at) : readScalar(src, i, end, false, at);
      if (value === FAIL || !restIsEmpty(src, at.end, end)) return FAIL;
      items.push(value);
    } else {
      const colon = src.indexOf(':', i);
      if (colon <= i || colon >= end) return FAIL;
      const key = keyAt(src, i, colon);
      if (key === undefined || Object.prototype.hasOwnProperty.call(map, key)) return FAIL;
      i = colon + 1;
      if (i >= end || src[i] !== ' ') return FAIL;
      while (i < end && src[i] === ' ') i++;
      if (i >= end || src[i] === '#') return FAIL;
      value = src[i] === '[' ? readFlowSeq(src, i, end, at) : readScalar(src, i, end, false, at);
      if (value === FAIL || !restIsEmpty(src, at.end, end)) return FAIL;
      map[key] = value;
      keys.set(src, i, colon, key);
    }
    last = k;
    k = nl + 1;
  }
  // Like the library, the node runs to the end of its last line, line break included.
  const after = newline(src, last) + 1;
  return { value: isSeq ? items : map, start: first + indent, end: Math.min(after, src.length), next: k };
}
