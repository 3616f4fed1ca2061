/**
 * A fast reader for the plain YAML the aitrackdown CLI writes: top-level `key: value` lines whose values
 * are one-line scalars, flow lists of scalars, literal block scalars (`|`, `|-`, `|+`: the CLI's leaked
 * `content:`), or one level of block list/map. Anything else (anchors, tags, folded or multi-line flow
 * scalars, nesting, odd indentation, errors) returns undefined and the caller uses the
 * full YAML library, so the answer is always the library's answer. A differential test holds it to that.
 * One error is read here too, because real files are full of it: a plain value starting with `@`
 * (`assignee: @alice`), which the library reports at the `@` and reads as the plain scalar anyway.
 */

import type { SpanOffsets } from './keySpans';

export type Span = [start: number, end: number];
export interface FastResult {
  data: Record<string, unknown>;
  /** Offsets of each top-level key and its value node: [keyStart, keyEnd, valueStart, valueEnd], plus `base`. */
  keys: Record<string, SpanOffsets>;
  /** Offsets of each `@` that starts a plain scalar: the library's BAD_SCALAR_START errors, and its only ones. */
  reserved: number[];
}

const KEY_CHARS = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
/** A plain key the core schema reads as a string (`null:` or `true:` are not). */
const isKey = (k: string) => KEY_CHARS.test(k) && typeof resolvePlain(k) === 'string';
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
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff\u2028\u2029\x85]/;

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

const FAIL = Symbol('fail');
type Scalar = { value: unknown; end: number } | typeof FAIL;

/** Where the current line starts in the source, and where to note each `@` that starts a plain scalar (one per parse). */
interface At {
  base: number;
  reserved: number[];
}

/**
 * Read one scalar starting at `i` of `line` (which ends before its line break). `flow` is true inside
 * `[ ]`, where `,` and `]` end a plain scalar. Returns the value and the index after it.
 */
function readScalar(line: string, i: number, flow: boolean, at: At): Scalar {
  const c = line[i];
  if (c === '"') {
    let j = i + 1;
    while (j < line.length && line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
    if (j >= line.length) return FAIL;
    const raw = line.slice(i, j + 1);
    if (JSON_SAFE_ESCAPES.test(raw)) return FAIL;
    try {
      return { value: JSON.parse(raw), end: j + 1 };
    } catch {
      return FAIL;
    }
  }
  if (c === "'") {
    let j = i + 1;
    for (;;) {
      j = line.indexOf("'", j);
      if (j === -1) return FAIL;
      if (line[j + 1] === "'") j += 2;
      else break;
    }
    const raw = line.slice(i + 1, j);
    return { value: raw.includes("''") ? raw.replace(/''/g, "'") : raw, end: j + 1 };
  }
  if (c === '@') at.reserved.push(at.base + i);
  else if (c === undefined || NOT_PLAIN_START.test(c)) return FAIL;
  let j = i;
  for (; j < line.length; j++) {
    const ch = line[j];
    if (ch === '#' && (line[j - 1] === ' ' || line[j - 1] === '\t')) break;
    if (ch === ':' && (j + 1 === line.length || line[j + 1] === ' ' || line[j + 1] === '\t' || (flow && ',[]{}'.includes(line[j + 1])))) return FAIL;
    if (flow && (ch === ',' || ch === ']' || ch === '[' || ch === '{' || ch === '}')) break;
  }
  let end = j;
  while (end > i && (line[end - 1] === ' ' || line[end - 1] === '\t')) end--;
  return { value: resolvePlain(line.slice(i, end)), end };
}

/** After a value: only blanks, or blanks and a comment. */
function restIsEmpty(line: string, i: number): boolean {
  let j = i;
  while (j < line.length && (line[j] === ' ' || line[j] === '\t')) j++;
  return j === line.length || (line[j] === '#' && j > i);
}

function readFlowSeq(line: string, i: number, at: At): { value: unknown[]; end: number } | typeof FAIL {
  const out: unknown[] = [];
  let j = i + 1;
  const skip = () => {
    while (line[j] === ' ' || line[j] === '\t') j++;
  };
  skip();
  if (line[j] === ']') return { value: out, end: j + 1 };
  for (;;) {
    skip();
    const s = readScalar(line, j, true, at);
    if (s === FAIL) return FAIL;
    out.push(s.value);
    j = s.end;
    skip();
    if (line[j] === ']') return { value: out, end: j + 1 };
    if (line[j] !== ',') return FAIL;
    j++;
    skip();
    if (line[j] === ']') return FAIL; // a trailing comma: leave it to the library
  }
}

interface Line {
  text: string;
  start: number;
}

function splitLines(src: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start <= src.length) {
    let nl = src.indexOf('\n', start);
    if (nl === -1) nl = src.length;
    const end = nl > start && src[nl - 1] === '\r' ? nl - 1 : nl;
    lines.push({ text: src.slice(start, end), start });
    start = nl + 1;
  }
  return lines;
}

/** Only blanks, or blanks and a comment. */
function isBlank(t: string): boolean {
  let i = 0;
  while (t[i] === ' ' || t[i] === '\t') i++;
  return i === t.length || t[i] === '#';
}

/** `base`: what to add to the key offsets (where `src` starts in the whole file). */
export function parseFrontmatterFast(src: string, base = 0): FastResult | undefined {
  // Tabs, control characters and a lone CR (a line break to YAML) are left to the library; no scalar
  // below needs to check for them again.
  if (src.includes('\t') || CONTROL.test(src) || /\r(?!\n)/.test(src)) return undefined;
  const lines = splitLines(src);
  const data: Record<string, unknown> = {};
  const keys: FastResult['keys'] = {};
  const at: At = { base: 0, reserved: [] };
  let n = 0;
  while (n < lines.length) {
    const { text, start } = lines[n];
    if (isBlank(text)) {
      n++;
      continue;
    }
    if (text[0] === ' ' || text.startsWith('---') || text.startsWith('...')) return undefined;
    const colon = text.indexOf(':');
    if (colon <= 0) return undefined;
    const key = text.slice(0, colon);
    if (!isKey(key) || Object.prototype.hasOwnProperty.call(data, key)) return undefined;
    let i = colon + 1;
    if (i < text.length && text[i] !== ' ') return undefined;
    while (text[i] === ' ') i++;
    const k0 = base + start;
    const k1 = k0 + key.length;
    at.base = start;
    if (i < text.length && text[i] !== '#') {
      // A value on the same line.
      let value: unknown;
      let end: number;
      if (text[i] === '[') {
        const seq = readFlowSeq(text, i, at);
        if (seq === FAIL) return undefined;
        ({ value, end } = seq);
      } else if (text[i] === '|') {
        const lit = readLiteral(lines, n, text.slice(i + 1));
        if (lit === FAIL) return undefined;
        data[key] = lit.value;
        keys[key] = [k0, k1, k0 + i, base + (lit.endLine < lines.length ? lines[lit.endLine].start : src.length)];
        n = lit.next;
        continue;
      } else if (text[i] === '{') {
        if (!/^\{\s*\}/.test(text.slice(i))) return undefined;
        value = {};
        end = text.indexOf('}', i) + 1;
      } else {
        const s = readScalar(text, i, false, at);
        if (s === FAIL) return undefined;
        ({ value, end } = s);
      }
      if (!restIsEmpty(text, end)) return undefined;
      data[key] = value;
      keys[key] = [k0, k1, k0 + i, k0 + end];
      n++;
      continue;
    }
    // Nothing on the line: a block list or map below it, or null.
    n++;
    const block = readBlock(lines, n, at);
    if (block === FAIL) return undefined;
    if (block === undefined) {
      data[key] = null;
      keys[key] = [k0, k1, k0 + i, k0 + i];
      continue;
    }
    data[key] = block.value;
    keys[key] = [k0, k1, base + block.span[0], base + block.span[1]];
    n = block.next;
  }
  return { data, keys, reserved: at.reserved };
}

/**
 * A literal block scalar whose header (after `|`) is `header`, on line `n`, its content on the lines
 * below: indented by the first non-blank one, ended by a line indented less. Returns the value and the
 * line after it.
 */
function readLiteral(lines: Line[], n: number, header: string): { value: string; next: number; endLine: number } | typeof FAIL {
  const chomp = header[0] === '-' || header[0] === '+' ? header[0] : '';
  if (!isBlank(header.slice(chomp.length)) || (header.length > chomp.length && header[chomp.length] !== ' ')) return FAIL;
  const parts: string[] = [];
  let indent = -1;
  let k = n + 1;
  for (; k < lines.length; k++) {
    const t = lines[k].text;
    let sp = 0;
    while (t[sp] === ' ') sp++;
    if (sp === t.length) {
      // A blank line: empty content, unless it holds more spaces than the content's indentation.
      if (indent !== -1 ? sp > indent : sp > 0) return FAIL;
      parts.push('');
      continue;
    }
    if (indent === -1) {
      if (sp === 0) break;
      indent = sp;
    }
    if (sp < indent) break;
    parts.push(t.slice(indent));
  }
  let last = parts.length;
  while (last > 0 && parts[last - 1] === '') last--;
  // Trailing blank lines at the very end, or kept without any content: the library decides.
  if ((k === lines.length && last < parts.length) || (chomp === '+' && last === 0 && parts.length)) return FAIL;
  const body = parts.slice(0, last).join('\n');
  const value = chomp === '-' ? body : (last ? body + '\n' : '') + (chomp === '+' ? '\n'.repeat(parts.length - last) : '');
  // Like the library, the node ends after its last content line, or after the kept or only blank lines.
  const endLine = chomp === '+' || last === 0 ? k : n + 1 + last;
  return { value, next: k, endLine };
}

function readBlock(lines: Line[], n: number, at: At): { value: unknown; span: Span; next: number } | typeof FAIL | undefined {
  let first = n;
  while (first < lines.length && isBlank(lines[first].text)) first++;
  if (first >= lines.length) return undefined;
  const head = lines[first].text;
  const indent = head.length - head.trimStart().length;
  const isSeq = head.slice(indent, indent + 2) === '- ' || head.slice(indent) === '-';
  if (indent === 0 && !isSeq) return undefined;
  const items: unknown[] = [];
  const map: Record<string, unknown> = {};
  let last = first;
  let k = first;
  for (; k < lines.length; k++) {
    const t = lines[k].text;
    if (isBlank(t)) {
      if (t.trim()) return FAIL; // comments inside a block: leave it to the library
      continue;
    }
    const ind = t.length - t.trimStart().length;
    if (ind < indent || (indent === 0 && !t.startsWith('- ') && t !== '-')) break;
    if (ind > indent) return FAIL;
    let i = indent;
    at.base = lines[k].start;
    if (isSeq) {
      if (t.slice(i, i + 2) !== '- ') return FAIL;
      i += 2;
      while (t[i] === ' ') i++;
      const s = t[i] === '[' ? readFlowSeq(t, i, at) : readScalar(t, i, false, at);
      if (s === FAIL || !restIsEmpty(t, s.end)) return FAIL;
      items.push(s.value);
    } else {
      const colon = t.indexOf(':', i);
      if (colon <= i) return FAIL;
      const key = t.slice(i, colon);
      if (!isKey(key) || Object.prototype.hasOwnProperty.call(map, key)) return FAIL;
      i = colon + 1;
      if (i >= t.length || t[i] !== ' ') return FAIL;
      while (t[i] === ' ') i++;
      if (i >= t.length || t[i] === '#') return FAIL;
      const s = t[i] === '[' ? readFlowSeq(t, i, at) : readScalar(t, i, false, at);
      if (s === FAIL || !restIsEmpty(t, s.end)) return FAIL;
      map[key] = s.value;
    }
    last = k;
  }
  const endLine = lines[last];
  // Like the library, the node runs to the end of its last line, line break included.
  const endOffset = last + 1 < lines.length ? lines[last + 1].start : endLine.start + endLine.text.length;
  return { value: isSeq ? items : map, span: [lines[first].start + indent, endOffset], next: k };
}
