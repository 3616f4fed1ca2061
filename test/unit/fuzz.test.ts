/**
 * Seeded fuzzing of the reader and the editor over generated and mutated task files: broken YAML, deep
 * nesting, huge values, wrong types for every known key, control characters and lone surrogates, alias
 * bombs, BOMs, mixed line ends, git conflict markers, tabs, duplicate keys and unclosed blocks.
 *
 * - parseItem never throws, always answers (an item or a problem), and every range it gives lies in the text;
 *   it gives at most 100 problems and one counting the rest, and the quick bound on a frontmatter's nodes
 *   is never below the YAML lexer's count (or a file over the node limit could slip past it).
 * - An edit (those the commands make, and arbitrary ones) is refused with an EditError, or its result reads
 *   back with the same id, the new values, every other value as it was, and the body byte for byte; a file
 *   the reader finds clean is never refused as unreadable, and a command's edit leaves it clean.
 * - Nothing hangs: the cases are bounded and mocha's timeout fails a test that (nearly) does.
 *
 * FUZZ_SEED picks the run, FUZZ_CASES its size (that many mutated files, half as many generated). A failure
 * names its seed and case; FUZZ_CASE=n runs that one case alone.
 */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import matter from 'gray-matter';
import { stringify } from 'yaml';
import { EditError, editFrontmatter, FrontmatterChange } from '../../src/core/edit';
import {
  idKey,
  Item,
  ITEM_TYPES,
  ItemType,
  LEGACY_STATUSES,
  PR_STATUSES,
  PRIORITIES,
  Range,
  State,
  STATES,
  STATUSES,
  SYNC_STATUSES,
} from '../../src/core/model';
import { findFrontmatter, MAX_FILE_BYTES, ParseContext, parseItem, ParseResult } from '../../src/core/parse';
import { lexedNodes, MAX_PROBLEMS, nodeBound } from '../../src/core/parseLimits';
import { TransitionError, transitionChanges } from '../../src/core/workflow';
import { contextFor, CORPUS, markdownFiles, Random, REPO, seededRandom } from './helpers';

const SEED = Number(process.env.FUZZ_SEED ?? 20261122) >>> 0;
const CASES = Math.max(1, Number(process.env.FUZZ_CASES ?? 800) || 1);
/** Generated files cost more (most of them are clean, so every edit goes through): half as many. */
const GENERATED = Math.ceil(CASES / 2);
const ONLY = process.env.FUZZ_CASE === undefined ? undefined : Number(process.env.FUZZ_CASE);
/** Generous: a slow machine runs a default suite in a few seconds. Only a case that (nearly) hangs exceeds it. */
const TIMEOUT = 30_000 * Math.max(1, CASES / 800);
const NOW = new Date('2026-11-22T03:08:57.490Z');

// ---------------------------------------------------------------------------------------------------
// Checks

/** Line lengths as an editor counts them: `\r\n`, `\r` and `\n` end a line; a leading BOM is not shown. */
function lineLengths(text: string): number[] {
  return (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split(/\r\n|\r|\n/).map((l) => l.length);
}

function assertRange(range: Range, lines: number[], what: string) {
  for (const p of [range.start, range.end]) {
    assert.ok(
      Number.isInteger(p.line) && p.line >= 0 && p.line < lines.length && Number.isInteger(p.character) && p.character >= 0 && p.character <= lines[p.line],
      `${what}: position ${JSON.stringify(p)} is outside the text (${lines.length} lines, that one ${lines[p.line]} long)`,
    );
  }
  const { start, end } = range;
  assert.ok(start.line < end.line || (start.line === end.line && start.character <= end.character), `${what}: range ends before it starts`);
}

const SEVERITIES = ['error', 'warning', 'info', 'hint'];
/** Problems that say the file could not be read as frontmatter at all. */
const UNREADABLE = ['yaml-syntax', 'unquoted-at', 'no-frontmatter', 'unclosed-frontmatter', 'not-a-mapping', 'file-too-large', 'frontmatter-too-large'];

/** The text being checked, shown when a case fails. */
let current = '';

function checkParse(text: string, ctx: ParseContext): ParseResult {
  current = text;
  let result: ParseResult;
  try {
    result = parseItem(text, ctx);
  } catch (e) {
    assert.fail(`parseItem threw: ${(e as Error).stack}`);
  }
  assert.ok(result.item || result.problems.length > 0, 'parseItem gave neither an item nor a problem');
  assert.ok(result.problems.length <= MAX_PROBLEMS + 1, `${result.problems.length} problems`);
  assertSplitLikeGrayMatter(text);
  const block = text.length <= MAX_FILE_BYTES && findFrontmatter(text);
  if (typeof block === 'object') {
    const yaml = text.slice(block.start, block.end);
    const lexed = lexedNodes(yaml, Infinity);
    assert.ok(lexed <= nodeBound(yaml, Infinity), `the quick bound ${nodeBound(yaml, Infinity)} is below the lexer's ${lexed} nodes`);
  }
  const lines = lineLengths(text);
  for (const p of result.problems) {
    assert.ok(typeof p.code === 'string' && p.code.length > 0, `a problem without a code: ${JSON.stringify(p)}`);
    assert.ok(SEVERITIES.includes(p.severity), `${p.code}: severity ${p.severity}`);
    assert.ok(typeof p.message === 'string' && p.message.trim() !== '', `${p.code}: no message`);
    assertRange(p.range, lines, `${p.code} "${p.message.slice(0, 200)}"`);
  }
  const item = result.item;
  if (item) {
    assert.ok(typeof item.id === 'string' && item.id !== '', 'an item without an id');
    assert.ok(item.bodyOffset >= 0 && item.bodyOffset <= text.length, `body offset ${item.bodyOffset} outside the text`);
    for (const [k, span] of item.keys.entries()) {
      assertRange(span.key, lines, `the range of key ${k}`);
      assertRange(span.value, lines, `the range of the value of ${k}`);
    }
  }
  return result;
}

/**
 * findFrontmatter splits as gray-matter does: the block it finds is gray-matter's `matter` (a file
 * whose opening line is not a bare `---` is one gray-matter may still split, and one we refuse).
 */
function assertSplitLikeGrayMatter(text: string) {
  if (text.length > MAX_FILE_BYTES) return;
  const block = findFrontmatter(text);
  if (block === 'none') return;
  const theirs = (matter(text, { engines: { yaml: () => ({}) } }) as { matter?: string }).matter ?? '';
  // With no closing line gray-matter takes everything after the opening `---` as the block.
  if (block === 'unclosed') {
    assert.equal(JSON.stringify(theirs), JSON.stringify(text.slice(text.indexOf('---') + 3)), 'unclosed, but gray-matter found a closing line');
    return;
  }
  const ours = text.slice(block.start, text[block.end] === '\r' ? block.end + 1 : block.end);
  assert.equal(JSON.stringify(ours), JSON.stringify(theirs), 'the frontmatter block differs from gray-matter\'s');
}

const hasErrors = (r: ParseResult) => r.problems.some((p) => p.severity === 'error');
/** The editor's refusals that say it could not read the file. */
const UNREADABLE_REFUSAL = /YAML errors|not a mapping|no closed frontmatter|cannot be edited/;

/** What a value reads back as from YAML. */
const normalise = (v: unknown): unknown => JSON.parse(JSON.stringify(v ?? null)) as unknown;

interface Tally {
  edited: number;
  refused: number;
}

/**
 * Edit `text` and check the result. `staysClean`: the changes are a command's and the file had no errors,
 * so the result must have none either. `state`: the state the result must read back as.
 */
function checkEdit(text: string, ctx: ParseContext, before: ParseResult, changes: FrontmatterChange[], tally: Tally, staysClean: boolean, state?: State) {
  const item = before.item!;
  let out: ReturnType<typeof editFrontmatter>;
  try {
    out = editFrontmatter(text, changes);
  } catch (e) {
    if (e instanceof EditError) {
      // A file the reader finds clean is one the editor can read.
      if (!hasErrors(before)) assert.doesNotMatch(e.message, UNREADABLE_REFUSAL, `a clean file refused for ${show(changes)}`);
      tally.refused++;
      return;
    }
    assert.fail(`editFrontmatter threw ${(e as Error).name}, not an EditError, for ${show(changes)}: ${(e as Error).stack}`);
  }
  tally.edited++;
  const where = `edit ${show(changes)} gave ${show(out.text)}`;
  const block = before.block!;
  for (const e of out.edits) {
    assert.ok(e.offset >= block.start && e.offset + e.length <= block.closeLine, `${where}: an edit outside the frontmatter ${JSON.stringify(e)}`);
  }
  const after = checkParse(out.text, ctx);
  current = text;
  const unreadable = after.problems.filter((p) => UNREADABLE.includes(p.code) || (staysClean && p.severity === 'error'));
  assert.deepEqual(unreadable.map((p) => `${p.code}: ${p.message}`), [], `${where}: the result has problems`);
  assert.ok(after.item && after.block, `${where}: no item read back`);
  assert.equal(after.item.id, item.id, `${where}: the id changed`);
  assert.equal(out.text.slice(0, block.start), text.slice(0, block.start), `${where}: the opening changed`);
  assert.ok(out.text.slice(after.block.bodyOffset) === text.slice(block.bodyOffset), `${where}: the body changed`);
  const changed = new Map(changes.map((c) => [c.key, c]));
  for (const key of new Set([...Object.keys(item.data), ...Object.keys(after.item.data)])) {
    const c = changed.get(key);
    if (!c) assert.deepStrictEqual(after.item.data[key], item.data[key], `${where}: ${key} changed`);
    else if ('remove' in c) assert.ok(!(key in after.item.data), `${where}: ${key} was not removed`);
    else assert.deepStrictEqual(after.item.data[key], normalise(c.value), `${where}: ${key} does not read back as written`);
  }
  for (const c of changes) if (!('remove' in c)) assert.ok(c.key in after.item.data, `${where}: ${c.key} was not written`);
  if (state) assert.equal(after.item.state, state, `${where}: the state reads back wrong`);
}

function show(v: unknown, max = 1500): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > max ? `${s.slice(0, max)}… (${s.length} characters)` : s;
}

// ---------------------------------------------------------------------------------------------------
// The edits the commands make (src/host/commands/state.ts and fields.ts)

const NAMES = [
  'alice', '@bob', 'Carol Smith', 'a: b', '- x', '#x', 'x #y', '---', '...', 'x\n---\nevil: 1', '"q"', "it's", ' lead', 'trail ',
  'null', 'true', '123', '0x1F', '1e3', '~', 'é', '\u2028', '\ud800', '\udc00x', '\u0000', '\u0085', '*a', '&a', '!tag', '%x', '`x`',
  '{a: 1}', '[x]', '<<<<<<< HEAD', '=======', 'a\r\nb', 'a\rb', 'a\tb', '|', '>', '?', '\ufeff', 'a,b', 'x: [1, 2]', '2026-11-22',
  'y'.repeat(3000),
];
const PARENT_IDS = ['EP-0001', 'ISS-0002', 'EPIC-001', 'ISSUE-002', 'X-1', 'a: b', '@ep', 'ISS-0001\n---', '- EP-0003'];

/** The timestamp key every change touches, as the commands do. */
function touched(item: Item): FrontmatterChange[] {
  if (item.format === 'legacy') {
    if (!('updated' in item.data)) return [];
    const dateOnly = typeof item.data.updated === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(item.data.updated);
    return [{ key: 'updated', value: dateOnly ? NOW.toISOString().slice(0, 10) : NOW.toISOString() }];
  }
  return [{ key: 'updated_date', value: NOW.toISOString(), after: 'created_date' }];
}

type CommandEdit = { changes: FrontmatterChange[]; state?: State } | undefined;

function commandEdit(item: Item, r: Random): CommandEdit {
  const data = item.data;
  switch (r.int(6)) {
    case 0: {
      // Change State, forced or not.
      const to = r.pick(STATES);
      try {
        const changes = transitionChanges(item, { to, by: r.pick(NAMES), reason: r.chance(0.5) ? r.pick(NAMES) : undefined, force: r.chance(0.8), now: NOW });
        return { changes, state: to };
      } catch (e) {
        if (e instanceof TransitionError) return undefined;
        throw e;
      }
    }
    case 1: {
      const who = r.chance(0.85) ? r.pick(NAMES) : null;
      const change: FrontmatterChange = who ? { key: 'assignee', value: who, after: 'priority' } : { key: 'assignee', remove: true };
      return { changes: [change, ...touched(item)] };
    }
    case 2: {
      const label = r.pick(NAMES);
      if (item.labels.includes(label)) return undefined;
      const key = Array.isArray(data.tags) ? 'tags' : Array.isArray(data.labels) ? 'labels' : item.format === 'legacy' ? 'labels' : 'tags';
      const existing = Array.isArray(data[key]) ? (data[key] as unknown[]) : [];
      return { changes: [{ key, value: [...existing, label], after: 'related_issues' in data ? 'related_issues' : 'sync_status' }, ...touched(item)] };
    }
    case 3: {
      if (!item.labels.length) return undefined;
      const label = r.pick(item.labels);
      const key = Array.isArray(data.tags) && (data.tags as unknown[]).includes(label) ? 'tags' : 'labels';
      const existing = Array.isArray(data[key]) ? (data[key] as unknown[]) : [];
      return { changes: [{ key, value: existing.filter((l) => l !== label) }, ...touched(item)] };
    }
    case 4: {
      // Link to a parent (and, for a task or PR, its epic).
      const key = item.format === 'legacy' ? (item.type === 'epic' ? undefined : 'epic') : item.type === 'issue' ? 'epic_id' : item.type === 'task' || item.type === 'pr' ? 'issue_id' : undefined;
      if (!key) return undefined;
      const changes: FrontmatterChange[] =
        key === 'epic_id' && r.chance(0.3) ? [{ key, remove: true }] : [{ key, value: r.pick(PARENT_IDS), after: item.format === 'legacy' ? 'status' : `${item.type}_id` }];
      if (key === 'issue_id' && 'epic_id' in data) changes.push(r.chance(0.5) ? { key: 'epic_id', value: r.pick(PARENT_IDS), after: 'issue_id' } : { key: 'epic_id', remove: true });
      return { changes: [...changes, ...touched(item)] };
    }
    default: {
      // Keep the parent's related_* list in step.
      const key = r.pick(['related_issues', 'related_tasks', 'related_prs']);
      if (!Array.isArray(data[key])) return undefined;
      const list = data[key] as unknown[];
      return { changes: [{ key, value: list.length && r.chance(0.5) ? list.slice(1) : [...list, r.pick(PARENT_IDS)] }] };
    }
  }
}

/** Keys that decide the id, the type or the format: an arbitrary edit leaves them alone. */
const IDENTITY_KEYS = new Set(['id', 'type', 'epic_id', 'issue_id', 'task_id', 'pr_id', 'issueId']);

/** Any other change: a random value (of any type) for a key, a removal, or a new key. */
function arbitraryEdit(item: Item, r: Random): FrontmatterChange[] {
  const keys = Object.keys(item.data).filter((k) => !IDENTITY_KEYS.has(k));
  const changes: FrontmatterChange[] = [];
  for (let n = 1 + r.int(3); n > 0; n--) {
    const key = keys.length && r.chance(0.7) ? r.pick(keys) : r.pick([...ALL_KEYS, ...NAMES, 'x_new', 'a.b', '-', ''].filter((k) => !IDENTITY_KEYS.has(k)));
    if (changes.some((c) => c.key === key)) continue;
    if (r.chance(0.2)) changes.push({ key, remove: true });
    else changes.push({ key, value: anyValue(r, 3), after: r.chance(0.5) && keys.length ? r.pick(keys) : undefined });
  }
  return changes;
}

function checkEdits(text: string, ctx: ParseContext, before: ParseResult, r: Random, tally: Tally) {
  const item = before.item;
  if (!item || !before.block || before.problems.some((p) => UNREADABLE.includes(p.code))) return;
  const clean = !hasErrors(before);
  for (let n = 1 + r.int(3); n > 0; n--) {
    if (clean && r.chance(0.75)) {
      const edit = commandEdit(item, r);
      if (edit) checkEdit(text, ctx, before, edit.changes, tally, true, edit.state);
    } else {
      checkEdit(text, ctx, before, arbitraryEdit(item, r), tally, false);
    }
  }
}

// ---------------------------------------------------------------------------------------------------
// Generated frontmatter

const CLI_KEYS: Record<ItemType, string[]> = {
  epic: ['epic_id', 'title', 'description', 'status', 'priority', 'assignee', 'created_date', 'updated_date', 'estimated_tokens', 'actual_tokens', 'ai_context', 'sync_status', 'related_issues', 'tags', 'milestone', 'dependencies', 'completion_percentage'],
  issue: ['issue_id', 'epic_id', 'title', 'description', 'status', 'state', 'state_metadata', 'priority', 'assignee', 'created_date', 'updated_date', 'estimated_tokens', 'actual_tokens', 'ai_context', 'sync_status', 'related_tasks', 'related_issues', 'tags', 'milestone', 'dependencies', 'completion_percentage', 'blocked_by', 'blocks', 'related_prs'],
  task: ['task_id', 'issue_id', 'epic_id', 'title', 'description', 'status', 'priority', 'assignee', 'created_date', 'updated_date', 'estimated_tokens', 'actual_tokens', 'ai_context', 'sync_status', 'subtasks', 'tags', 'dependencies', 'time_estimate', 'time_spent', 'blocked_by', 'blocks'],
  pr: ['pr_id', 'issue_id', 'epic_id', 'title', 'description', 'status', 'pr_status', 'priority', 'assignee', 'created_date', 'updated_date', 'estimated_tokens', 'actual_tokens', 'ai_context', 'sync_status', 'branch_name', 'source_branch', 'target_branch', 'repository_url', 'reviewers', 'approvals', 'tags', 'dependencies', 'blocked_by', 'blocks', 'related_prs', 'template_used'],
  comment: ['id', 'issueId', 'author', 'createdAt', 'updatedAt'],
};
const LEGACY_KEYS = ['id', 'type', 'title', 'status', 'state', 'priority', 'epic', 'issue', 'assignee', 'created', 'updated', 'labels', 'estimate', 'token_budget', 'token_usage', 'sync'];
const ALL_KEYS = [...new Set([...Object.values(CLI_KEYS).flat(), ...LEGACY_KEYS, 'state', 'state_metadata', 'content', 'file_path'])];
const PREFIX: Record<ItemType, string> = { epic: 'EP', issue: 'ISS', task: 'TSK', pr: 'PR', comment: 'COMMENT' };
const LEGACY_PREFIX: Record<string, string> = { epic: 'EPIC', issue: 'ISSUE', task: 'TASK' };

const WORDS = ['cart', 'page', 'wallet', 'é', 'naïve', '✓', '𝄞', 'a: b', '#x', '@bob', '"q"', "it's", '- x', '[x]', '{y}', 'null', 'true', '0x1F', '---', '\\', '%', '!'];
const words = (r: Random) => Array.from({ length: 1 + r.int(5) }, () => r.pick(WORDS)).join(' ');
const isoDate = (r: Random) => new Date(Date.UTC(2020 + r.int(10), r.int(12), 1 + r.int(28), r.int(24), r.int(60), r.int(60), r.int(1000))).toISOString();
const idOf = (r: Random, type: ItemType) => `${PREFIX[type]}-${String(1 + r.int(30)).padStart(4, '0')}`;
const ids = (r: Random, type: ItemType) => Array.from({ length: r.int(4) }, () => idOf(r, type));

/** A value the key's schema accepts. */
function validValue(key: string, type: ItemType, legacy: boolean, r: Random): unknown {
  switch (key) {
    case 'epic_id': case 'epic': return legacy ? `EPIC-00${1 + r.int(9)}` : idOf(r, 'epic');
    case 'issue_id': case 'issue': case 'issueId': return legacy ? `ISSUE-00${1 + r.int(9)}` : idOf(r, 'issue');
    case 'task_id': return idOf(r, 'task');
    case 'pr_id': return idOf(r, 'pr');
    case 'id': return legacy ? `${LEGACY_PREFIX[type] ?? 'TASK'}-00${1 + r.int(9)}` : `COMMENT-000${1 + r.int(9)}`;
    case 'type': return type === 'pr' || type === 'comment' ? 'task' : type;
    case 'title': return words(r);
    case 'status': return legacy ? r.pick(LEGACY_STATUSES) : r.pick(STATUSES);
    case 'state': return r.pick(STATES);
    case 'priority': return r.pick(PRIORITIES);
    case 'pr_status': return r.pick(PR_STATUSES);
    case 'sync_status': return r.pick(SYNC_STATUSES);
    case 'created_date': case 'updated_date': case 'createdAt': case 'updatedAt': return isoDate(r);
    case 'created': case 'updated': return r.chance(0.5) ? isoDate(r).slice(0, 10) : isoDate(r);
    case 'estimated_tokens': case 'actual_tokens': return r.chance(0.8) ? r.int(100000) : String(r.int(1000));
    case 'token_budget': case 'completion_percentage': return r.int(101);
    case 'time_estimate': case 'time_spent': case 'estimate': return r.chance(0.5) ? `${r.int(10)}h` : r.int(40);
    case 'ai_context': case 'tags': case 'labels': case 'reviewers': case 'approvals': return Array.from({ length: r.int(4) }, () => r.pick(WORDS));
    case 'related_issues': case 'blocked_by': case 'blocks': case 'dependencies': return ids(r, 'issue');
    case 'related_tasks': case 'subtasks': return ids(r, 'task');
    case 'related_prs': return ids(r, 'pr');
    case 'state_metadata': return { transitioned_at: isoDate(r), transitioned_by: r.pick(NAMES), previous_state: r.pick(STATES), automation_eligible: r.chance(0.5) };
    case 'token_usage': return { total: r.int(5000), by_agent: { claude: r.int(900) }, by_team: { web: r.int(100) } };
    case 'sync': return { github: r.int(500), jira: 'AUTH-234', linear: null };
    default: return words(r);
  }
}

const ODD_VALUES: unknown[] = [null, '', ' ', 0, -1, 1.5, 1e21, -0, true, false, [], {}, [1, [2, [3]]], { a: { b: [1, null] } }, 'not-a-date', '2026-02-30', '2026-11-22T25:00:00Z', 'completed ', 'PLANNING', '\u0000', '\ud800', 'x'.repeat(5000)];

/** A value of any type, nested up to `depth`. */
function anyValue(r: Random, depth: number): unknown {
  const k = r.int(depth > 0 ? 9 : 6);
  switch (k) {
    case 0: return r.pick(ODD_VALUES);
    case 1: return r.pick(NAMES);
    case 2: return r.int(1000) - 500;
    case 3: return r.chance(0.5);
    case 4: return null;
    case 5: return r.pick(STATES);
    case 6: case 7: return Array.from({ length: r.int(4) }, () => anyValue(r, depth - 1));
    default: return Object.fromEntries(Array.from({ length: r.int(4) }, () => [r.pick(ALL_KEYS), anyValue(r, depth - 1)]));
  }
}

const BODY_LINES = ['# Title', '', 'Some text.', '---', '...', '- [ ] item', 'key: value', '<<<<<<< HEAD', '=======', '>>>>>>> main', '```yaml', '<!-- AI_CONTEXT_START -->', '\t\tindented', '\ufeff', '\u0000', 'é ✓ 𝄞', '\ud800', '\r'];

function body(r: Random, eol: string): string {
  const lines = Array.from({ length: r.int(8) }, () => r.pick(BODY_LINES));
  return lines.join(eol) + (r.chance(0.7) ? eol : '');
}

/** A whole task file: frontmatter from a generated object, in one of the styles YAML allows, and a body. */
function generate(r: Random): { text: string; ctx: ParseContext } {
  const type = r.pick(ITEM_TYPES);
  const legacy = type !== 'comment' && type !== 'pr' && r.chance(0.25);
  const keys = legacy ? LEGACY_KEYS : CLI_KEYS[type];
  const messy = r.chance(0.5) ? 0 : r.pick([0.05, 0.2, 0.6]);
  const obj: Record<string, unknown> = {};
  for (const key of keys) {
    if (r.chance(0.1) && key !== keys[0]) continue;
    obj[r.chance(messy / 4) ? r.pick(ALL_KEYS) : key] = r.chance(messy) ? anyValue(r, 4) : validValue(key, type, legacy, r);
  }
  if (r.chance(0.2)) obj[r.pick(['content', 'file_path', 'x_agent_run', 'automation', 'team'])] = r.chance(0.5) ? words(r) + '\n' + words(r) : anyValue(r, 2);
  // One list object used twice comes out as an anchor and an alias.
  if (r.chance(0.1)) obj.blocks = obj.blocked_by = ids(r, 'issue').concat('EP-0001');
  const yamlText = stringify(obj, {
    collectionStyle: r.pick(['any', 'any', 'block', 'flow'] as const),
    defaultStringType: r.pick(['PLAIN', 'PLAIN', 'PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE', 'BLOCK_LITERAL', 'BLOCK_FOLDED'] as const),
    defaultKeyType: r.pick([null, null, 'PLAIN', 'QUOTE_DOUBLE'] as const),
    indent: r.pick([2, 2, 4, 1]),
    indentSeq: r.chance(0.5),
    lineWidth: r.pick([0, 80, 20]),
    version: r.pick(['1.1', '1.2'] as const),
  });
  const eol = r.pick(['\n', '\n', '\r\n']);
  const fm = eol === '\n' ? yamlText : yamlText.replace(/\n/g, eol);
  const id = obj[legacy ? 'id' : idKey(type, 'cli')];
  const name = `${typeof id === 'string' && r.chance(0.8) ? id : idOf(r, type)}-${r.pick(['x', 'a-b', 'é'])}.md`;
  const file = `${r.chance(0.1) ? '\ufeff' : ''}---${eol}${fm}---${r.chance(0.9) ? eol : ''}${body(r, eol)}`;
  return { text: file, ctx: contextFor(name, type) };
}

// ---------------------------------------------------------------------------------------------------
// Mutations

const CONTROL = ['\u0000', '\u0001', '\u0007', '\b', '\u000b', '\f', '\u001b', '\u007f', '\u0085', '\u00a0', '\u2028', '\u2029', '\ufeff', '\ufffd', '\uffff', '\ud800', '\udfff', '\ud83d', '\r'];
const PIECES = [
  ' ', '  ', '\t', '#', ' #', ':', ': ', '- ', '"', "'", '\\', '\\n', '\\x41', '\\u12', '[', ']', ',', '{', '}', '@', '&a ', '*a', '!!str ', '!!binary ',
  '!!timestamp ', '!!set ', '!!omap ', '!local ', '<<: *a', '|', '|-', '|+', '|2', '>', '>-', '%YAML 1.1', '`', '?', '? ', '\n', '\r\n', '\r', '\n  ', '\n- ',
  'null', '~', 'true', 'yes', 'on', '0x1F', '0o17', '017', '1e3', '.5', '-.inf', '.NaN', '1_000', '2026-11-22', '2026-02-30', '12:30:00', '---', '...',
  '--- ', '----', '\n---\n', '\n...\n', '""', "''", "'it''s'", 'é', '𝄞', '\n<<<<<<< HEAD\n', '\n=======\n', '\n>>>>>>> main\n', 'status: ', 'title: ',
  'tags: [', 'state_metadata:\n  ', 'description: |\n', '&x [*x]',
];
const WRONG = [
  "''", '~', '0', '-1', '1.5', '.nan', 'true', '[]', '{}', '[1, [2]]', '{a: 1}', '"2026-02-30"', '!!binary aGk=', '!!timestamp 2026-01-01', '!!set {a, b}',
  '!!omap [a: 1]', '&a x', '*nope', '|\n  block', '>-\n  folded', '@bob', '"unterminated', '[unterminated', '{unterminated', '? complex', '!!int x', '!custom x',
  '0x', '2026-11-22', '12:30:00', '- a\n- b', '\n  a: 1\n  b: [2]', '"\\x00\\ud800"', "'\u0000'", '\t1', '[a, b]: c',
];

/** The offset range where the frontmatter (roughly) is, so that most mutations land in it. */
function frontmatterEnd(t: string): number {
  const close = t.indexOf('\n---', 3);
  return close === -1 ? t.length : Math.min(t.length, close + 6);
}

function lineBounds(t: string, at: number): [number, number] {
  const start = t.lastIndexOf('\n', at - 1) + 1;
  const nl = t.indexOf('\n', at);
  return [start, nl === -1 ? t.length : nl + 1];
}

/**
 * Collections nested in one another, flow or block: shallow, or (one time in ten) either deep but well within
 * what the YAML library reads or far deeper than any stack. Around a thousand levels, whether the library runs
 * out of stack (which it reports as an error) depends on how much of it the caller has already used, so that
 * zone is left out: the reader and the editor would see the same text differently.
 */
function nested(r: Random): string {
  const deep = r.chance(0.1);
  const depth = 1 + r.int(60);
  switch (r.int(4)) {
    case 0: {
      const d = deep ? 3000 + r.int(2000) : depth;
      return '['.repeat(d) + ']'.repeat(d);
    }
    case 1: {
      const d = deep ? 3000 + r.int(2000) : depth;
      return '{a: '.repeat(d) + '1' + '}'.repeat(d);
    }
    case 2:
      return '\n' + Array.from({ length: deep ? 200 + r.int(100) : depth }, (_, i) => `${' '.repeat(i + 1)}k${i}:`).join('\n') + ' x';
    default:
      return '- '.repeat(deep ? 3000 + r.int(2000) : depth) + 'x';
  }
}

function aliasBomb(levels: number, width: number): string {
  const lines = ['a0: &a0 [lol]'];
  for (let i = 1; i <= levels; i++) lines.push(`a${i}: &a${i} [${Array.from({ length: width }, () => `*a${i - 1}`).join(', ')}]`);
  return lines.join('\n');
}

const MUTATORS: ((t: string, r: Random) => string)[] = [
  // insert, replace or delete a piece of text
  (t, r) => {
    const at = r.int(frontmatterEnd(t) + 1);
    return t.slice(0, at) + r.pick(PIECES) + t.slice(at);
  },
  (t, r) => {
    const at = r.int(frontmatterEnd(t) + 1);
    return t.slice(0, at) + r.pick(PIECES) + t.slice(at + 1 + r.int(4));
  },
  (t, r) => {
    const at = r.int(frontmatterEnd(t) + 1);
    return t.slice(0, at) + t.slice(at + 1 + r.int(12));
  },
  // duplicate (a duplicate key), delete, swap or indent a line
  (t, r) => {
    const [a, b] = lineBounds(t, r.int(frontmatterEnd(t) + 1));
    return t.slice(0, b) + (t[b - 1] === '\n' ? '' : '\n') + t.slice(a, b) + t.slice(b);
  },
  (t, r) => {
    const [a, b] = lineBounds(t, r.int(frontmatterEnd(t) + 1));
    return t.slice(0, a) + t.slice(b);
  },
  (t, r) => {
    const [a, b] = lineBounds(t, r.int(frontmatterEnd(t) + 1));
    const [, c] = lineBounds(t, b);
    return b >= t.length ? t : t.slice(0, a) + t.slice(b, c) + (t[c - 1] === '\n' ? '' : '\n') + t.slice(a, b) + t.slice(c);
  },
  (t, r) => {
    const [a] = lineBounds(t, r.int(frontmatterEnd(t) + 1));
    return t.slice(0, a) + r.pick([' ', '  ', '\t', ' \t', '    ']) + t.slice(a);
  },
  // tabs for spaces
  (t, r) => {
    const [a, b] = lineBounds(t, r.int(frontmatterEnd(t) + 1));
    return t.slice(0, a) + t.slice(a, b).replace(/ {1,2}/g, '\t') + t.slice(b);
  },
  // line ends: all one kind, or a mix
  (t, r) => {
    const eol = r.pick(['\n', '\r\n', '\r']);
    return r.chance(0.5) ? t.replace(/\r\n|\r|\n/g, eol) : t.replace(/\r\n|\r|\n/g, () => r.pick(['\n', '\r\n', '\r']));
  },
  // BOMs
  (t, r) => (r.chance(0.5) ? '\ufeff' + t : t.slice(0, r.int(t.length)) + '\ufeff' + t.slice(r.int(t.length))),
  // a git conflict
  (t, r) => {
    const [a] = lineBounds(t, r.int(frontmatterEnd(t) + 1));
    const conflict = r.pick([
      '<<<<<<< HEAD\nstatus: active\n=======\nstatus: completed\n>>>>>>> feature\n',
      '<<<<<<< HEAD\n=======\n>>>>>>> x\n',
      '<<<<<<< ours\ntitle: a\n||||||| base\ntitle: b\n=======\ntitle: c\n>>>>>>> theirs\n',
      '<<<<<<< HEAD\n---\n=======\n>>>>>>> main\n',
    ]);
    return t.slice(0, a) + conflict + t.slice(a);
  },
  // binary bytes, NUL, lone surrogates
  (t, r) => {
    let out = t;
    for (let n = 1 + r.int(4); n > 0; n--) {
      const at = r.int(frontmatterEnd(out) + 1);
      out = out.slice(0, at) + r.pick(CONTROL) + out.slice(at);
    }
    return out;
  },
  // a wrong-typed value for a known key
  (t, r) => {
    const key = r.pick(ALL_KEYS);
    const m = new RegExp(`^${key}:[^\\r\\n]*`, 'm').exec(t);
    const line = `${key}: ${r.pick(WRONG)}`;
    if (m) return t.slice(0, m.index) + line + t.slice(m.index + m[0].length);
    const [a] = lineBounds(t, r.int(frontmatterEnd(t) + 1));
    return t.slice(0, a) + line + '\n' + t.slice(a);
  },
  // deep nesting
  (t, r) => {
    const [a] = lineBounds(t, r.int(frontmatterEnd(t) + 1));
    return t.slice(0, a) + `${r.pick(['tags', 'x', 'state_metadata'])}: ${nested(r)}\n` + t.slice(a);
  },
  // anchors, aliases, a small bomb
  (t, r) => {
    const [a] = lineBounds(t, r.int(frontmatterEnd(t) + 1));
    const add = r.pick(['x: &a [1, 2]\ny: *a\n', 'tags: *missing\n', 'x: &a\ny: *a\n', `${aliasBomb(1 + r.int(6), 2 + r.int(8))}\ntags: *a1\n`, '<<: {status: active}\n', '&a title: x\n']);
    return t.slice(0, a) + add + t.slice(a);
  },
  // truncate, unclose, or close early
  (t, r) => t.slice(0, r.int(t.length + 1)),
  (t) => t.replace(/\n---(\r?\n|$)/, '\n'),
  (t, r) => {
    const [a] = lineBounds(t, r.int(frontmatterEnd(t) + 1));
    return t.slice(0, a) + r.pick(['---\n', '...\n', '--- #x\n', '---\r\n']) + t.slice(a);
  },
];

function mutate(t: string, r: Random): string {
  let out = t;
  for (let n = 1 + r.int(4); n > 0; n--) out = r.pick(MUTATORS)(out, r);
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Seeds: every real-shaped file

const TYPE_OF_FOLDER: Record<string, ItemType> = { epics: 'epic', issues: 'issue', stories: 'issue', tasks: 'task', prs: 'pr' };

function seedFiles(): { text: string; ctx: ParseContext }[] {
  const files = [...markdownFiles(CORPUS), ...markdownFiles(path.join(REPO, 'test', 'fixtures', 'workspace'))];
  return files.map((f) => {
    const parts = f.split(path.sep);
    const type = parts.includes('comments') ? 'comment' : TYPE_OF_FOLDER[parts[parts.length - 2]] ?? 'task';
    return { text: fs.readFileSync(f, 'utf8'), ctx: contextFor(path.basename(f), type) };
  });
}

// ---------------------------------------------------------------------------------------------------

/** An error that says which case failed, on what text. */
function failure(which: string, e: unknown): Error {
  const err = e as Error;
  const out = new Error(`${which}: ${err.message}\n  text: ${show(current)}`);
  out.stack = `${out.message}\n${(err.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).join('\n')}`;
  return out;
}

/** Run `count` seeded cases; a failure says how to run it again. */
function forEachCase(suite: number, count: number, body: (r: Random) => void) {
  for (const n of ONLY === undefined ? Array.from({ length: count }, (_, i) => i) : [ONLY]) {
    const r = seededRandom(SEED ^ Math.imul(n + 1, 0x9e3779b1) ^ Math.imul(suite, 0x85ebca6b));
    try {
      body(r);
    } catch (e) {
      throw failure(`case ${n} (reproduce: FUZZ_SEED=${SEED} FUZZ_CASE=${n})`, e);
    }
  }
}

describe('fuzz: reading and editing frontmatter', function () {
  this.timeout(TIMEOUT);
  // Mocha captures whole stacks; the YAML library makes an error deep in its recursion for each bracket
  // of a deeply nested text, which then costs seconds. Node's default, as the extension runs with.
  let stackTraceLimit: number;
  before(() => {
    stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 10;
  });
  after(() => {
    Error.stackTraceLimit = stackTraceLimit;
  });
  const seeds = seedFiles();

  it(`special inputs: huge, deep, alias bombs, conflict markers, odd line ends (seed ${SEED})`, () => {
    const head = 'task_id: TSK-0001\nissue_id: ISS-0001\ntitle: T\nstatus: active\n';
    const fm = (yaml: string, rest = 'body\n') => `---\n${yaml}\n---\n${rest}`;
    const big = 'x'.repeat(200 * 1024);
    const cases: [string, string][] = [
      ['empty', ''],
      ['only a BOM', '\ufeff'],
      ['only ---', '---'],
      ['--- and a line end', '---\n'],
      ['empty frontmatter', '---\n---\n'],
      ['empty frontmatter, CRLF', '---\r\n---\r\n'],
      ['CR line ends only', `---\r${head.replace(/\n/g, '\r')}---\rbody\r`],
      ['CR-only opening line', '---\rtitle: x\n---\n'],
      ['BOM, CRLF, no line end after ---', `\ufeff---\r\n${head.replace(/\n/g, '\r\n')}---`],
      ['two BOMs', `\ufeff\ufeff${fm(head)}`],
      ['a BOM inside', fm(head + 'x: a\ufeffb')],
      ['----', '----\ntitle: x\n----\n'],
      ['--- with text after it', '--- x\ntitle: x\n---\n'],
      ['unclosed', `---\n${head}`],
      ['unclosed block', fm(head + 'tags: [a, b\ndescription: "open\nstate_metadata: {a: 1')],
      ['literal block at the end', fm(head + 'content: |')],
      ['literal block, nothing after', `---\n${head}content: |\n  x\n---`],
      ['conflict markers in the frontmatter', fm(head + '<<<<<<< HEAD\nassignee: alice\n=======\nassignee: bob\n>>>>>>> feature')],
      ['conflict markers around the closing ---', `---\n${head}<<<<<<< HEAD\n---\nbody a\n=======\nstate: done\n---\nbody b\n>>>>>>> main\n`],
      ['duplicate keys', fm(head + 'status: completed\ntitle: again')],
      ['tabs', fm(head.replace(/: /g, ':\t') + 'tags:\n\t- a\n\t- b')],
      ['NUL and binary bytes', fm(head + 'assignee: a\u0000b\u0001\u007f\ndescription: "\u0000"')],
      ['lone surrogates', fm(head + 'assignee: \ud800\ndescription: "\udfff"\n\ud800key: x\ntags: [\udc00]')],
      ['a 200 KB plain title', fm(`task_id: TSK-0001\nissue_id: ISS-0001\ntitle: ${big}\nstatus: active`)],
      ['a 200 KB quoted title', fm(`task_id: TSK-0001\nissue_id: ISS-0001\ntitle: "${big}"\nstatus: active`)],
      ['a 200 KB literal block', fm(`${head}content: |-\n  ${big}`)],
      ['a 200 KB body', fm(head, big)],
      ['a 2 MB file', fm(head, 'y'.repeat(2 * 1024 * 1024))],
      ['one character over the size limit', fm(head).padEnd(MAX_FILE_BYTES + 1, 'z')],
      ['exactly the size limit', fm(head).padEnd(MAX_FILE_BYTES, 'z')],
      ['a billion laughs', fm(head + aliasBomb(9, 10) + '\ntags: *a9')],
      ['a billion laughs, unused', fm(head + aliasBomb(9, 10))],
      ['an alias without anchor', fm(head + 'tags: *nope')],
      ['an anchored key', fm(head + '&k assignee: x\n*k : y')],
      ['a merge key', fm(head + 'base: &b {priority: high}\n<<: *b')],
      ['flow nesting 300 deep', fm(head + 'tags: ' + '['.repeat(300) + ']'.repeat(300))],
      ['flow nesting 30000 deep', fm(head + 'tags: ' + '['.repeat(30000) + ']'.repeat(30000))],
      ['flow maps 5000 deep', fm(head + 'x: ' + '{a: '.repeat(5000) + '1' + '}'.repeat(5000))],
      ['unclosed flow nesting 10000 deep', fm(head + 'tags: ' + '['.repeat(10000))],
      ['block maps 400 deep', fm(head + 'x:' + Array.from({ length: 400 }, (_, i) => `\n${' '.repeat(i + 1)}k${i}:`).join('') + ' x')],
      ['block lists 20000 deep on one line', fm(head + 'tags: ' + '- '.repeat(20000) + 'x')],
      ['block lists 3000 deep', fm(head + 'tags:' + Array.from({ length: 3000 }, (_, i) => `\n${' '.repeat(i)}-`).join(''))],
      ['a huge key', fm(head + 'k'.repeat(100000) + ': 1')],
      ['thousands of keys', fm(head + Array.from({ length: 2000 }, (_, i) => `k${i}: ${i}`).join('\n'))],
      ['thousands of keys, read by the library', fm(head + '\t\n' + Array.from({ length: 2000 }, (_, i) => `k${i}: ${i}`).join('\n'))],
      ['a top-level list', fm('- a\n- b')],
      ['a top-level scalar', fm('just text')],
      ['a document end marker', fm(head + '...\nmore: x')],
      ['a directive', fm('%YAML 1.2\n---\n' + head)],
      ['a second document', fm(head + '---\nstatus: done')],
      ['unquoted @ in a flow list', fm(head + 'reviewers: [@bob, @carol]\nassignee: @alice # lead')],
      ['tags and odd types', fm(head + 'tags: !!set {a, b}\nlabels: !!omap [a: 1]\nx: !!binary aGk=\ny: !custom z')],
      ['every known key of the wrong type', fm(ALL_KEYS.map((k, i) => `${k}: ${WRONG[i % WRONG.length].replace(/\n/g, ' ')}`).join('\n'))],
    ];
    const r = seededRandom(SEED);
    const tally: Tally = { edited: 0, refused: 0 };
    for (const [name, t] of cases) {
      // In its own folder and, when small, in another (where the id disagrees with the folder's).
      for (const type of t.length < 10000 ? (['task', 'issue'] as const) : (['task'] as const)) {
        try {
          const ctx = contextFor('TSK-0001-x.md', type);
          const result = checkParse(t, ctx);
          checkEdits(t, ctx, result, r, tally);
        } catch (e) {
          throw failure(`${name} (${type} folder, FUZZ_SEED=${SEED})`, e);
        }
      }
    }
    assert.ok(tally.edited > 20, `enough edits went through to mean something (${JSON.stringify(tally)})`);
  });

  it(`${CASES} seeded mutations of the real-shaped files (seed ${SEED})`, () => {
    const tally: Tally = { edited: 0, refused: 0 };
    let items = 0;
    forEachCase(1, CASES, (r) => {
      const seed = r.chance(0.7) ? r.pick(seeds) : generate(r);
      const text = mutate(seed.text, r);
      const result = checkParse(text, seed.ctx);
      if (result.item) items++;
      checkEdits(text, seed.ctx, result, r, tally);
    });
    if (ONLY === undefined) {
      assert.ok(items > CASES / 4, `enough mutations still read as an item to test the editor (${items}/${CASES})`);
      assert.ok(tally.edited > CASES / 10, `enough edits went through to mean something (${JSON.stringify(tally)})`);
    }
  });

  it(`${GENERATED} generated files: every known key with valid and wrong-typed values, in every YAML style (seed ${SEED})`, () => {
    const tally: Tally = { edited: 0, refused: 0 };
    let clean = 0;
    forEachCase(2, GENERATED, (r) => {
      const { text, ctx } = generate(r);
      const result = checkParse(text, ctx);
      if (result.item && !hasErrors(result)) clean++;
      checkEdits(text, ctx, result, r, tally);
    });
    if (ONLY === undefined) {
      assert.ok(clean > GENERATED / 5, `enough generated files are clean to test the commands' edits (${clean}/${GENERATED})`);
      assert.ok(tally.edited > GENERATED / 2, `enough edits went through to mean something (${JSON.stringify(tally)})`);
    }
  });
});
