/**
 * Migration of older-format items (`id: EPIC-001`, `type:`, `status: in-progress`, `epic:` …) to the
 * CLI's format. Pure: file texts in, file texts out; the caller writes them.
 *
 * A migrated file is the old YAML document with its keys renamed, mapped and put in the CLI's order
 * (so comments and the style of kept values survive), every other key kept after them, and the body,
 * line ends and BOM exactly as they were.
 */
import * as path from 'path';
import { relativePath } from './paths';
import { isDeepStrictEqual } from 'util';
import { isScalar, Node, Pair, Scalar, YAMLMap } from 'yaml';
import { FolderType, LEGACY_PREFIXES, typeFolder } from './config';
import { allocateId, frontmatterYaml } from './create';
import { editFrontmatter, EditError, FrontmatterChange } from './edit';
import { fileNameFor, idFromFileName, prefixOf } from './ids';
import { IndexEntry, Project, TaskIndex } from './index';
import { assigneeKey, compareItems, isBlocked, Item, LEGACY_STATUSES, State, statusForState, toState } from './model';
import { findFrontmatter, FrontmatterBlock, parseItem } from './parse';
import { isIsoDate, LEAKED_KEYS } from './schema';
import { eolOf } from './text';
import { parseYamlDocument } from './yamlDocument';

export interface MigrationStep {
  from: string;
  to: string;
  oldId: string;
  newId: string;
  text: string;
}

export interface MigrationPlan {
  steps: MigrationStep[];
  /** edits to other (CLI-format) files that reference migrated ids */
  references: { file: string; text: string }[];
  idMap: Map<string, string>;
  problems: string[];
  /** The new counters.json text (past every new id), built on `options.countersText` with its other keys kept. */
  countersText?: string;
}

export interface MigrationOptions {
  /** The current counters.json text: new ids start at its NEXT values, and its other keys are kept. */
  countersText?: string;
  /** When no date is found in a file. */
  now?: Date;
  /** Who migrates: the `transitioned_by` of the states it records (the user's name in the editor). */
  by?: string;
}

type LegacyType = Exclude<FolderType, 'pr'>;

/** The CLI's keys per type, in the order it writes them (FORMAT.md). */
const CLI_KEYS: Record<LegacyType, readonly string[]> = {
  epic: ['epic_id', 'title', 'description', 'status', 'state', 'state_metadata', 'priority', 'assignee', 'created_date', 'updated_date',
    'estimated_tokens', 'actual_tokens', 'ai_context', 'sync_status', 'related_issues', 'tags', 'milestone', 'dependencies', 'completion_percentage'],
  issue: ['issue_id', 'epic_id', 'title', 'description', 'status', 'state', 'state_metadata', 'priority', 'assignee', 'created_date',
    'updated_date', 'estimated_tokens', 'actual_tokens', 'ai_context', 'sync_status', 'related_tasks', 'related_issues', 'tags', 'milestone',
    'dependencies', 'completion_percentage', 'blocked_by', 'blocks', 'related_prs'],
  task: ['task_id', 'issue_id', 'epic_id', 'title', 'description', 'status', 'state', 'state_metadata', 'priority', 'assignee', 'created_date',
    'updated_date', 'estimated_tokens', 'actual_tokens', 'ai_context', 'sync_status', 'subtasks', 'tags', 'dependencies', 'time_estimate',
    'time_spent', 'blocked_by', 'blocks'],
};

/** What the CLI writes for a key the old file has no value for; keys not listed here are only written when known. */
const DEFAULTS: Record<string, unknown> = {
  description: '',
  priority: 'medium',
  assignee: 'unassigned',
  estimated_tokens: 0,
  ai_context: [],
  sync_status: 'local',
  related_issues: [],
  related_tasks: [],
  related_prs: [],
  subtasks: [],
  blocked_by: [],
  blocks: [],
};
/** Lists of ids: rewritten through the id map wherever they appear. */
const ID_LISTS = ['related_issues', 'related_tasks', 'related_prs', 'subtasks', 'dependencies', 'blocked_by', 'blocks'];
const NOT_KEPT = new Set<string>(['id', 'type', ...LEAKED_KEYS]);

const rel = (project: Project, file: string) => relativePath(project.root, file);

/** An old file's date as an ISO timestamp; a time without a zone is read as UTC, so the result does not depend on the machine. */
function isoDate(v: unknown): string | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v.toISOString();
  if (typeof v !== 'string' || !isIsoDate(v)) return undefined;
  let s = v.replace(' ', 'T');
  if (!s.includes('T')) s += 'T00:00:00';
  s = s.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  if (!/(Z|[+-]\d{2}:\d{2})$/.test(s)) s += 'Z';
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/** What `state_metadata.blocked_reason` says of work an older file marked `blocked`: that format had no place for the reason. */
export const MIGRATED_BLOCKED_REASON = 'blocked before migration (the older format gave no reason)';

/** How an old item's state is written in the CLI format. */
interface StateWords {
  status: string;
  /** Written when the status cannot say it (in review, won't do), when the file named one, or for blocked work. */
  state?: State;
  /** The CLI's record of how the item came to `state` (its validator asks for one beside every state). */
  metadata?: Record<string, unknown>;
}

/**
 * The item's unified state (as read, so config-declared words count) in the CLI's words. Blocked work
 * stays open (active) and says so in `state_metadata.blocked_reason`: the CLI's own key for it, read back
 * by isBlocked(), and dropped by the next transition, which replaces the metadata, as it should be once
 * the work moves on. A tag would outlive the block, and a `status: blocked` the CLI cannot read.
 */
function stateWords(item: Item, when: string, by: string): StateWords {
  const unified = item.state ?? 'planning';
  const status = statusForState(unified);
  const blocked = isBlocked(item);
  if (!blocked && item.data.state === undefined && toState(status) === unified) return { status };
  const metadata: Record<string, unknown> = {
    transitioned_at: when,
    transitioned_by: by,
    automation_eligible: false,
    transition_reason: 'migrated from the older format',
  };
  if (blocked) metadata.blocked_reason = MIGRATED_BLOCKED_REASON;
  return { status, state: unified, metadata };
}

/** Would this file be an older-format item if it could be read? (Its frontmatter says so, or its name has an old prefix.) */
function isLegacy(entry: IndexEntry): boolean {
  if (entry.item) return entry.item.format === 'legacy';
  const prefix = prefixOf(idFromFileName(entry.file) ?? '');
  return !!prefix && (Object.values(LEGACY_PREFIXES) as string[]).includes(prefix);
}

interface Candidate {
  item: Item & { type: LegacyType };
  text: string;
}

export function planMigration(project: Project, files: { file: string; text: string }[], options: MigrationOptions = {}): MigrationPlan {
  const index = new TaskIndex();
  index.setProject(project);
  const texts = new Map<string, string>();
  index.batch(() => {
    for (const f of files) if (index.set(f.file, f.text)) texts.set(f.file, f.text);
  });
  const entries = [...index.allEntries()];
  const problems: string[] = [];
  let candidates: Candidate[] = [];

  for (const entry of entries.filter(isLegacy)) {
    const where = rel(project, entry.file);
    const errors = entry.problems.filter((p) => p.severity === 'error');
    const item = entry.item;
    if (errors.length || !item) {
      const why = errors.length ? errors : entry.problems;
      problems.push(`${where}: not migrated; fix it first: ${why.map((p) => `line ${p.range.start.line + 1}: ${p.message}`).join('; ')}`);
      continue;
    }
    const same = index.byId(project.root, item.id);
    if (same.length > 1) {
      const others = same.filter((i) => i.file !== item.file).map((i) => rel(project, i.file));
      problems.push(`${where}: not migrated; its id ${item.id} is also used by ${others.join(', ')}: give one of them another id first.`);
      continue;
    }
    if (item.rawState !== undefined && !item.state) {
      // Only a word config.yaml declares gets here (any other is an error): its meaning is the project's, so it is not guessed.
      problems.push(
        `${where}: not migrated; its status "${item.rawState}" (declared in config.yaml's workflows.statuses) names no state of the CLI's workflow: change it to one that does (${LEGACY_STATUSES.join(', ')}) first.`,
      );
      continue;
    }
    if (item.type === 'task' && !item.issueId) {
      problems.push(`${where}: not migrated; a task in the CLI format belongs to an issue: add \`issue: <issue id>\` to ${item.id} first.`);
      continue;
    }
    candidates.push({ item: item as Candidate['item'], text: texts.get(entry.file)! });
  }
  candidates.sort((a, b) => compareItems(a.item, b.item));

  const filesTaken = files.map((f) => idFromFileName(f.file)).filter((id): id is string => !!id);
  const now = options.now ?? new Date();
  const by = options.by ?? 'migration';
  // A converted file that does not read back cleanly is left out; the ids are then handed out again without it.
  for (;;) {
    const taken = [...index.items(project.root)].map((i) => i.id).concat(filesTaken);
    const idMap = new Map<string, string>();
    let countersText = options.countersText;
    for (const c of candidates) {
      const next = allocateId(project.config, c.item.type, countersText, taken);
      idMap.set(c.item.id, next.id);
      taken.push(next.id);
      countersText = next.countersText;
    }
    const children = childLists(index, project, idMap);
    const steps: MigrationStep[] = [];
    const failed: Candidate[] = [];
    for (const c of candidates) {
      const newId = idMap.get(c.item.id)!;
      const to = path.join(typeFolder(project.root, project.config, c.item.type), fileNameFor(newId, c.item.title));
      const text = convert(c, newId, idMap, children.get(newId) ?? {}, now, by);
      const check = verify(project, c, to, text);
      if (check) {
        problems.push(`${rel(project, c.item.file)}: not migrated; ${check}`);
        failed.push(c);
      } else {
        steps.push({ from: c.item.file, to, oldId: c.item.id, newId, text });
      }
    }
    if (failed.length) {
      candidates = candidates.filter((c) => !failed.includes(c));
      continue;
    }
    const references = rewriteReferences(project, entries, texts, idMap, problems);
    return { steps, references, idMap, problems, ...(steps.length ? { countersText } : {}) };
  }
}

/** For each new id: the ids of its children after migration (the CLI keeps these lists on the parent). */
function childLists(index: TaskIndex, project: Project, idMap: Map<string, string>): Map<string, Record<string, string[]>> {
  const lists = new Map<string, Record<string, string[]>>();
  const add = (parent: string | undefined, key: string, child: string) => {
    const id = parent && idMap.get(parent);
    if (!id) return;
    const l = lists.get(id) ?? {};
    (l[key] ??= []).push(child);
    lists.set(id, l);
  };
  const items = [...index.items(project.root)].sort(compareItems);
  for (const i of items) {
    // An older-format item that stays is no item to the CLI: it is not listed on a CLI parent.
    if (i.format === 'legacy' && !idMap.has(i.id)) continue;
    const id = idMap.get(i.id) ?? i.id;
    if (i.type === 'issue') add(i.epicId, 'related_issues', id);
    else if (i.type === 'task') add(i.issueId, 'related_tasks', id);
    else if (i.type === 'pr') add(i.issueId, 'related_prs', id);
  }
  return lists;
}

const mapIds = (v: unknown, idMap: Map<string, string>) => (Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? idMap.get(x) ?? x : x)) : v);

function convert(c: Candidate, newId: string, idMap: Map<string, string>, children: Record<string, string[]>, now: Date, by: string): string {
  const { item, text } = c;
  const block = findFrontmatter(text) as FrontmatterBlock;
  const doc = parseYamlDocument(text.slice(block.start, block.end));
  const map = doc.contents as YAMLMap<Scalar, Node | null>;
  const pairs = new Map(map.items.filter((p) => isScalar(p.key)).map((p) => [String(p.key.value), p]));
  const data = item.data;
  const used = new Set<string>();
  const out: Pair[] = [];

  /** Write `key` from the old pair `from` when it exists (keeping its comments and quoting), else a new pair. */
  const put = (key: string, value: unknown, from = key) => {
    // A file may already carry the new key instead of the old one (`created_date` rather than `created`).
    const src = pairs.has(from) ? from : used.has(key) ? from : key;
    const old = pairs.get(src);
    used.add(from).add(src);
    if (!old) {
      out.push(doc.createPair(key, value));
      return;
    }
    old.key.value = key;
    if (isScalar(old.value) && (value === null || typeof value !== 'object')) old.value.value = value;
    else if (!isDeepStrictEqual(data[src], value)) old.value = doc.createNode(value) as Node;
    out.push(old);
  };
  /** Move the old pair `from` as it is, renamed to `key`; false when there is none. */
  const move = (key: string, from = key) => {
    const old = pairs.get(from);
    if (!old || used.has(from)) return false;
    used.add(from);
    old.key.value = key;
    out.push(old);
    return true;
  };

  const created = isoDate(data.created) ?? isoDate(data.updated) ?? now.toISOString();
  const updated = isoDate(data.updated) ?? created;
  // The state was last recorded when the file was.
  const { status, state, metadata } = stateWords(item, updated, by);
  const done = status === 'completed';
  const tokenTotal = (data.token_usage as { total?: unknown } | null | undefined)?.total;
  for (const key of CLI_KEYS[item.type]) {
    switch (key) {
      case `${item.type}_id`:
        put(key, newId, 'id');
        break;
      case 'epic_id':
        if (data.epic != null) put(key, idMap.get(item.epicId!) ?? data.epic, 'epic');
        break;
      case 'issue_id':
        put(key, idMap.get(item.issueId!) ?? data.issue, 'issue');
        break;
      case 'status':
        put(key, status);
        break;
      case 'state':
        if (state) put(key, state);
        break;
      case 'state_metadata': {
        // A record the file already holds is kept; only the block it does not say yet is added.
        const old = data.state_metadata;
        const kept = old && typeof old === 'object' && !Array.isArray(old) ? (old as Record<string, unknown>) : undefined;
        if (kept) put(key, metadata?.blocked_reason && !kept.blocked_reason ? { ...kept, blocked_reason: metadata.blocked_reason } : kept);
        else if (metadata) put(key, metadata);
        else move(key);
        break;
      }
      case 'assignee': {
        // The older epics' `owner` is the assignee; `assignee` wins when both name someone, and an `owner`
        // naming someone else stays as it is, so that no name is lost.
        const from = assigneeKey(item.format, data);
        if (typeof data[from] === 'string' && (data[from] as string).trim()) {
          move(key, from);
          used.add(key);
          if (data.owner === data.assignee) used.add('owner');
        } else put(key, DEFAULTS.assignee);
        break;
      }
      case 'created_date':
        put(key, created, 'created');
        break;
      case 'updated_date':
        put(key, updated, 'updated');
        break;
      case 'actual_tokens':
        if (!move(key)) put(key, typeof tokenTotal === 'number' ? tokenTotal : 0);
        break;
      case 'tags':
        if (!move(key)) move(key, 'labels');
        break;
      case 'completion_percentage':
        if (!move(key)) put(key, done ? 100 : 0);
        break;
      case 'related_issues':
      case 'related_tasks':
      case 'related_prs': {
        const mine = (mapIds(data[key], idMap) as unknown[] | undefined) ?? [];
        const all = [...mine, ...(children[key] ?? []).filter((id) => !mine.includes(id))];
        put(key, all);
        break;
      }
      default:
        if (ID_LISTS.includes(key) && Array.isArray(data[key])) put(key, mapIds(data[key], idMap));
        else if (!move(key) && (key in DEFAULTS || (key === 'dependencies' && item.type === 'epic'))) put(key, DEFAULTS[key] ?? []);
    }
  }
  const consumed = item.type === 'task' ? ['epic', 'issue'] : item.type === 'issue' ? ['epic'] : [];
  for (const [k, p] of pairs) if (!used.has(k) && !NOT_KEPT.has(k) && !consumed.includes(k)) out.push(p);
  map.items = out as typeof map.items;
  const eol = eolOf(text);
  const bom = text.charCodeAt(0) === 0xfeff ? '\ufeff' : '';
  return `${bom}---${eol}${frontmatterYaml(doc).replace(/\n/g, eol)}${text.slice(block.closeLine)}`;
}

/** Why a converted text cannot be written (it must read back clean, keep the body and every kept value), or undefined. */
function verify(project: Project, c: Candidate, to: string, text: string): string | undefined {
  const { item, problems } = parseItem(text, { file: to, root: project.root, type: c.item.type, config: project.config });
  const bad = problems.filter((p) => p.severity === 'error' || p.severity === 'warning');
  if (!item || bad.length) return `the converted file would not be clean (${bad.map((p) => p.message).join('; ')}).`;
  if (text.slice(item.bodyOffset) !== c.text.slice(c.item.bodyOffset)) return 'the body would change.';
  for (const [k, v] of Object.entries(c.item.data)) {
    if (k in item.data && CLI_KEYS[c.item.type].includes(k) === false && !isDeepStrictEqual(item.data[k], v)) return `the value of ${k} would change.`;
  }
  return undefined;
}

/** Links to migrated ids in files that stay where they are, changed by minimal frontmatter edits. */
function rewriteReferences(
  project: Project,
  entries: IndexEntry[],
  texts: Map<string, string>,
  idMap: Map<string, string>,
  problems: string[],
): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  if (!idMap.size) return out;
  const migrated = new Set([...idMap.keys()]);
  for (const entry of entries) {
    const item = entry.item;
    if (!item || (item.format === 'legacy' && migrated.has(item.id))) continue;
    if (item.type === 'comment') {
      const folder = path.basename(path.dirname(entry.file));
      if (idMap.has(folder)) {
        problems.push(`${rel(project, entry.file)}: comments of ${folder} live in a folder named after it; move them to comments/${idMap.get(folder)}/ by hand.`);
      }
      continue;
    }
    const links = item.format === 'legacy' ? ['epic', 'issue'] : ['epic_id', 'issue_id'];
    const changes: FrontmatterChange[] = [];
    for (const k of links) {
      const v = item.data[k];
      if (typeof v === 'string' && idMap.has(v)) changes.push({ key: k, value: idMap.get(v) });
    }
    for (const k of ID_LISTS) {
      const v = item.data[k];
      if (Array.isArray(v) && v.some((x) => idMap.has(x))) changes.push({ key: k, value: mapIds(v, idMap) });
    }
    if (!changes.length) continue;
    try {
      out.push({ file: entry.file, text: editFrontmatter(texts.get(entry.file)!, changes).text });
    } catch (e) {
      if (!(e instanceof EditError)) throw e;
      problems.push(`${rel(project, entry.file)}: its links to ${changes.map((ch) => `\`${ch.key}\``).join(', ')} were not updated: ${e.message}`);
    }
  }
  return out;
}
