/**
 * One task file → an item and its problems, each with an exact range.
 * findFrontmatter splits as gray-matter does; the fast reader or yaml's Document API parses the block with positions.
 */
import * as path from 'path';
import { Document, isMap, isScalar, isSeq, Node, Scalar } from 'yaml';
import type { ZodError } from 'zod';
import { LEGACY_PREFIXES, ProjectConfig } from './config';
import { parseFrontmatterFast } from './fastYaml';
import { idFromFileName, prefixOf } from './ids';
import { KeySpans } from './keySpans';
import { assigneeKey, idKey, Item, ItemFormat, ItemType, itemState, LEGACY_TYPES, Problem, ProblemCode, Severity } from './model';
import { capProblems, frontmatterOverLimit } from './parseLimits';
import { LEAKED_KEYS, schemaFor } from './schema';
import { quickAccepts } from './schemaCheck';
import { hashText, LineMap } from './text';
import { parseYamlDocument } from './yamlDocument';

/** Files above this size are not parsed: no real task file comes near it. */
export const MAX_FILE_BYTES = 1024 * 1024;
export const MAX_ALIAS_COUNT = 100;

export interface ParseContext {
  file: string;
  root: string;
  /** The type the file's folder implies. */
  type: ItemType;
  config: ProjectConfig;
  /** hashText(text), when the caller already has it. */
  hash?: string;
}

/** Where the frontmatter sits in the text. */
export interface FrontmatterBlock {
  /** Offset of the first character after the opening `---`. */
  start: number;
  /** Offset of the line break (`\n` or `\r\n`) before the closing `---`. */
  end: number;
  /** Offset where the closing `---` line starts. */
  closeLine: number;
  bodyOffset: number;
}

export interface ParseResult {
  item?: Item;
  problems: Problem[];
  block?: FrontmatterBlock;
}

/**
 * Locate the frontmatter block, or say why there is none. The split is gray-matter's (the block ends
 * at the first `\n---` after the opening line; a differential test holds it to gray-matter's answer),
 * done with one search instead of gray-matter's copies of the whole text, which cost a tenth of a
 * cold index.
 */
export function findFrontmatter(text: string): FrontmatterBlock | 'none' | 'unclosed' {
  const bom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (!text.startsWith('---', bom) || text[bom + 3] === '-') return 'none';
  const eol = text.slice(bom + 3).search(/\r?\n/);
  if (eol === -1 || text.slice(bom + 3, bom + 3 + eol).trim() !== '') return 'none';
  const start = bom + 3;
  const end = text.indexOf('\n---', start);
  if (end === -1) return 'unclosed';
  const closeEol = text.indexOf('\n', end + 4);
  const bodyOffset = closeEol === -1 ? text.length : closeEol + 1;
  return { start, end: text[end - 1] === '\r' ? end - 1 : end, closeLine: end + 1, bodyOffset };
}

function problem(code: ProblemCode, severity: Severity, message: string, range: Problem['range'], data?: Problem['data']): Problem {
  return data ? { code, severity, message, range, data } : { code, severity, message, range };
}

export function parseItem(text: string, ctx: ParseContext): ParseResult {
  const lines = new LineMap(text);
  // The first line, for problems of the whole file.
  const top = () => lines.range(0, text.indexOf('\n') === -1 ? text.length : text.indexOf('\n'));
  if (text.length > MAX_FILE_BYTES) {
    return { problems: [problem('file-too-large', 'warning', `File is larger than ${MAX_FILE_BYTES / 1024} KiB and was not parsed.`, top())] };
  }
  const block = findFrontmatter(text);
  if (block === 'none') {
    return { problems: [problem('no-frontmatter', 'error', 'No YAML frontmatter: a task file starts with a line `---`.', top())] };
  }
  if (block === 'unclosed') {
    return { problems: [problem('unclosed-frontmatter', 'error', 'The frontmatter is not closed: add a line `---` after it.', top())] };
  }
  // The opening `---`, for problems of the whole block.
  const opening = () => lines.range(block.start - 3, block.start);
  const over = frontmatterOverLimit(text.slice(block.start, block.end));
  if (over) return { problems: [problem('frontmatter-too-large', 'warning', `The frontmatter was not read: ${over}.`, opening())], block };
  try {
    const result = parseBlock(text, ctx, lines, block, opening);
    return { ...result, problems: capProblems(result.problems, opening) };
  } catch (e) {
    // The YAML library can throw on pathological input (e.g. nesting deeper than the stack).
    return { problems: [problem('yaml-syntax', 'error', `Frontmatter could not be read: ${(e as Error).message}`, top())], block };
  }
}

const YAML_OPTIONS = { prettyErrors: false, strict: false, logLevel: 'error' } as const;
const TOKEN_KEYS = ['estimated_tokens', 'actual_tokens'] as const;

function parseBlock(text: string, ctx: ParseContext, lines: LineMap, block: FrontmatterBlock, opening: () => Problem['range']): ParseResult {
  const problems: Problem[] = [];
  const yamlText = text.slice(block.start, block.end);
  const at = (a: number, b: number) => lines.range(block.start + a, block.start + Math.max(a, b));
  // The plain YAML real files hold is read by the fast reader; anything else (and every error) by the library.
  // logLevel: the library would print its warnings (e.g. a collection used as a key) to the host's console on every parse.
  let doc: Document.Parsed | undefined;
  const fullDoc = () => (doc ??= parseYamlDocument(yamlText, YAML_OPTIONS));
  const fast = parseFrontmatterFast(yamlText, block.start);
  let data: Record<string, unknown> = {};
  // The keys in text order, and four offsets into the whole text a key (key start and end, value start
  // and end); ranges are made only for the keys a problem points at.
  let names: readonly string[] = [];
  let spans: readonly number[] = [];
  let keyCount = 0;
  let readable = true;
  if (fast) {
    ({ data, names, spans, keyCount } = fast);
    // The library's only errors here, reported as it would report them; like any YAML error they stop the schema check.
    for (const a of fast.reserved) problems.push(unquotedAt(yamlText, a, at));
    readable = fast.reserved.length === 0;
  } else {
    const s = block.start;
    const libNames: string[] = [];
    const libSpans: number[] = [];
    readable = readWithLibrary(fullDoc(), yamlText, at, opening, problems, (k, ks, vs) => {
      // A repeated key (an error already) keeps its first place and its last value.
      const offsets = [s + ks[0], s + Math.max(ks[0], ks[1]), s + vs[0], s + Math.max(vs[0], vs[1])];
      const j = libNames.indexOf(k);
      if (j !== -1) libSpans.splice(j * 4, 4, ...offsets);
      else {
        libNames.push(k);
        libSpans.push(...offsets);
      }
    }, (d) => (data = d));
    [names, spans, keyCount] = [libNames, libSpans, libNames.length];
  }

  const format = detectFormat(data, ctx.type);
  const type: ItemType = format === 'legacy' && (LEGACY_TYPES as readonly string[]).includes(data.type as string)
    ? (data.type as ItemType)
    : ctx.type;
  const spanRange = (k: string, first: 0 | 2) => {
    const i = names.indexOf(k);
    const j = i * 4 + first;
    return i < 0 || i >= keyCount ? opening() : lines.range(spans[j], spans[j + 1]);
  };
  const keyRange = (k: string) => spanRange(k, 0);
  const valueRange = (k: string) => spanRange(k, 2);

  // Data that could not be read (errors, an alias bomb) would only add false "missing key" errors.
  // Most files pass the quick test; zod checks (and explains) the rest.
  const schema = schemaFor(type, format, ctx.config.customStatuses);
  if (readable && !quickAccepts(schema, data)) {
    const result = schema.safeParse(data);
    if (!result.success) reportSchema(result.error.issues, fullDoc(), data, problems, keyRange, at);
  }
  for (const k of LEAKED_KEYS) {
    if (k in data) {
      problems.push(problem('leaked-key', 'hint', `\`${k}\` is a copy the aitrackdown CLI leaks into frontmatter; it is ignored.`, keyRange(k), { key: k }));
    }
  }
  for (const k of TOKEN_KEYS) {
    if (typeof data[k] === 'string' && /^\d+$/.test(data[k] as string)) {
      problems.push(problem('string-number', 'hint', `\`${k}\` is a number written as text; it is read as ${data[k]}.`, valueRange(k), { key: k }));
    }
  }
  if (format === 'legacy') {
    problems.push(problem('legacy-format', 'hint', 'Older ai-trackdown format: run "Migrate Older-Format Files" to convert it for the aitrackdown CLI.', keyRange('id')));
  }

  const item = buildItem(text, ctx, data, KeySpans.fromSpans(names, spans, text, keyCount), type, format, block);
  checkId(item, ctx, problems, valueRange);
  return { item, problems, block };
}

/** The library's reading: its errors as problems, the key ranges and the data. Returns whether the data is usable. */
function readWithLibrary(
  doc: Document.Parsed,
  yamlText: string,
  at: (a: number, b: number) => Problem['range'],
  opening: () => Problem['range'],
  problems: Problem[],
  setKey: (key: string, keySpan: [number, number], valueSpan: [number, number]) => void,
  setData: (d: Record<string, unknown>) => void,
): boolean {
  for (const err of doc.errors) {
    const [a, b] = err.pos;
    const msg = err.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    if (err.code === 'BAD_SCALAR_START' && yamlText[a] === '@') {
      problems.push(unquotedAt(yamlText, a, at));
    } else {
      problems.push(problem('yaml-syntax', 'error', `YAML: ${msg}`, at(a, Math.max(b, a + 1))));
    }
  }
  const contents = doc.contents;
  if (contents !== null && !isMap(contents)) {
    problems.push(problem('not-a-mapping', 'error', 'The frontmatter must be a mapping of keys to values.', opening()));
    return false;
  }
  if (isMap(contents)) {
    for (const pair of contents.items) {
      const k = pair.key as Node | null;
      if (!isScalar(k) || !k.range) continue;
      const v = pair.value as Node | null;
      const vr = v?.range ?? [k.range[1], k.range[1]];
      setKey(String(k.value), [k.range[0], k.range[1]], [vr[0], vr[1]]);
    }
  }
  try {
    const js = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) as unknown;
    if (js && typeof js === 'object' && !Array.isArray(js)) setData(js as Record<string, unknown>);
  } catch (e) {
    problems.push(problem('yaml-syntax', 'error', `YAML: ${(e as Error).message.split('\n')[0]}`, opening()));
    return false;
  }
  return doc.errors.length === 0;
}

/** The error for a plain value starting with `@` at offset `a` of the YAML text. */
function unquotedAt(yamlText: string, a: number, at: (a: number, b: number) => Problem['range']): Problem {
  // Inside a flow list or map (`[@bob, @carol]`) the value ends at the next `,`, `]` or `}`.
  const inFlow = /[[{][^\]}]*$/.test(yamlText.slice(yamlText.lastIndexOf('\n', a) + 1, a));
  const lineEnd = yamlText.slice(a).search(inFlow ? /\r?\n|$|[,\]}]/ : /\r?\n|$/);
  const raw = yamlText.slice(a, a + lineEnd).replace(/\s+#.*$/, '').trimEnd();
  return problem('unquoted-at', 'error', `A value starting with @ must be quoted: "${raw}"`, at(a, a + raw.length), { value: raw });
}

function detectFormat(data: Record<string, unknown>, folderType: ItemType): ItemFormat {
  if (folderType === 'comment' || idKey(folderType, 'cli') in data) return 'cli';
  return 'id' in data ? 'legacy' : 'cli';
}

function reportSchema(
  issues: ZodError['issues'],
  doc: Document.Parsed,
  data: Record<string, unknown>,
  problems: Problem[],
  keyRange: (k: string) => Problem['range'],
  at: (a: number, b: number) => Problem['range'],
) {
  for (const issue of issues) {
    const keyPath = issue.path.map(String);
    const key = keyPath[0];
    if (key === undefined) continue;
    const node = doc.getIn(keyPath, true) as Node | undefined;
    // Whatever zod calls it (a missing enum is `invalid_value`), an absent top-level key is missing.
    const missing = keyPath.length === 1 && data[key] === undefined;
    if (missing) {
      problems.push(problem('missing-key', 'error', `Missing required key \`${key}\`.`, keyRange(key), { key }));
      continue;
    }
    const range = node?.range ? at(node.range[0], node.range[1]) : keyRange(key);
    const shown = keyPath.join('.');
    if (issue.code === 'invalid_value') {
      const allowed = (issue as { values?: unknown[] }).values?.map(String) ?? [];
      const value = isScalar(node) ? String((node as Scalar).value) : '';
      problems.push(
        problem('invalid-value', 'error', `\`${shown}\`: "${value}" is not one of ${allowed.join(', ')}.`, range, { key: shown, allowed, value }),
      );
    } else if (issue.code === 'custom') {
      problems.push(problem('invalid-date', 'error', `\`${shown}\`: ${issue.message}.`, range, { key: shown }));
    } else {
      const what = isSeq(node) ? 'a list' : isMap(node) ? 'a mapping' : isScalar(node) ? `${JSON.stringify((node as Scalar).value)}` : 'this value';
      const expected = issue.code === 'invalid_type' ? `expected ${(issue as { expected?: string }).expected}` : issue.message;
      problems.push(problem('invalid-type', 'error', `\`${shown}\`: ${what} is not allowed here (${expected}).`, range, { key: shown }));
    }
  }
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const num = (v: unknown) =>
  typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
const strList = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const dateStr = (v: unknown) => (v instanceof Date ? v.toISOString() : str(v));

function buildItem(
  text: string,
  ctx: ParseContext,
  data: Record<string, unknown>,
  keys: KeySpans,
  type: ItemType,
  format: ItemFormat,
  block: FrontmatterBlock,
): Item {
  const id = str(data[idKey(type, format)]) ?? idFromFileName(ctx.file) ?? path.basename(ctx.file, '.md');
  const rawState = str(data.state) ?? str(data.status);
  // A config's statuses are the older format's; the CLI's status words are fixed.
  const customStatuses = format === 'legacy' ? ctx.config.customStatuses : [];
  let parentId: string | undefined;
  let epicId: string | undefined;
  let issueId: string | undefined;
  if (format === 'legacy') {
    epicId = str(data.epic);
    issueId = str(data.issue);
    parentId = type === 'task' ? issueId ?? epicId : type === 'issue' ? epicId : undefined;
  } else if (type === 'comment') {
    issueId = str(data.issueId) ?? path.basename(path.dirname(ctx.file));
    parentId = issueId;
  } else {
    epicId = type === 'epic' ? undefined : str(data.epic_id);
    issueId = type === 'task' || type === 'pr' ? str(data.issue_id) : undefined;
    parentId = issueId ?? epicId;
  }
  const tokenUsage = data.token_usage as { total?: unknown } | undefined;
  return {
    id,
    type,
    format,
    title: str(data.title) ?? (type === 'comment' ? `Comment ${id}` : id),
    state: itemState(rawState, customStatuses),
    rawState,
    priority: str(data.priority),
    assignee: str(data[assigneeKey(format, data)]),
    labels: [...strList(data.tags), ...strList(data.labels)],
    parentId,
    epicId,
    issueId,
    estimatedTokens: num(data.estimated_tokens),
    actualTokens: num(data.actual_tokens) ?? num(tokenUsage?.total),
    created: dateStr(data.created_date ?? data.created ?? data.createdAt),
    updated: dateStr(data.updated_date ?? data.updated ?? data.updatedAt),
    file: ctx.file,
    root: ctx.root,
    data,
    keys,
    bodyOffset: block.bodyOffset,
    hash: ctx.hash ?? hashText(text),
  };
}

/** The id must agree with the file name and with the prefix of the folder it lives in. */
function checkId(
  item: Item,
  ctx: ParseContext,
  problems: Problem[],
  valueRange: (k: string) => Problem['range'],
) {
  const key = idKey(item.type, item.format);
  if (!(key in item.data) || typeof item.data[key] !== 'string') return;
  // The CLI takes the type from the folder; a file whose own id key says otherwise is in the wrong folder.
  const declared = item.format === 'cli' && (['pr', 'task'] as const).find((t) => t !== item.type && `${t}_id` in item.data);
  if (declared && item.type !== 'comment') {
    problems.push(
      problem('id-mismatch', 'warning', `This file has a ${declared}_id but lies in the ${item.type} folder; the aitrackdown CLI reads it as a ${item.type}.`, valueRange(`${declared}_id`), { key: `${declared}_id` }),
    );
    return;
  }
  const fileId = idFromFileName(ctx.file);
  if (fileId && fileId !== item.id) {
    problems.push(
      problem('id-mismatch', 'warning', `The id ${item.id} does not match the file name, which says ${fileId}.`, valueRange(key), {
        key,
        expectedId: fileId,
      }),
    );
    return;
  }
  if (item.type === 'comment') return;
  const expected = item.format === 'legacy' ? LEGACY_PREFIXES[item.type as keyof typeof LEGACY_PREFIXES] : ctx.config.prefixes[item.type as 'epic'];
  const prefix = prefixOf(item.id);
  if (expected && prefix !== expected) {
    problems.push(
      problem('id-mismatch', 'warning', `${/^[aeiou]/.test(item.type) ? 'An' : 'A'} ${item.type} id starts with ${expected}- in this project, not "${item.id}".`, valueRange(key), { key }),
    );
  }
}
