/** A project's configuration: where each type of item lives and how its ids are spelled. */
import * as path from 'path';
import { isNode, parse as parseYaml, parseDocument } from 'yaml';
import { compileConfigRegex } from './configRegex';
import { ID_PATTERN } from './ids';
import { ItemType, LEGACY_STATUSES, Range } from './model';
import { configSchema, RawConfig } from './schema';
import { LineMap } from './text';

export type FolderType = Exclude<ItemType, 'comment'>;
export const FOLDER_TYPES: readonly FolderType[] = ['epic', 'issue', 'task', 'pr'];

export interface ProjectConfig {
  name: string;
  /** Folder of the task files, relative to the root. */
  tasksDir: string;
  /** Per type: folder relative to tasksDir. */
  dirs: Record<FolderType, string>;
  templatesDir: string;
  prefixes: Record<FolderType, string>;
  defaultAssignee?: string;
  /**
   * Status words older-format files may hold beyond the document's own, as `workflows.statuses` declares
   * them (the older document's config: a list of names, or of `{name: …}` maps).
   */
  customStatuses: readonly string[];
  /** The whole config.yaml as read, for later features (budgets, prices, sync settings). */
  raw: RawConfig;
}

export const CONFIG_FILE = path.join('.ai-trackdown', 'config.yaml');
export const COUNTERS_FILE = path.join('.ai-trackdown', 'counters.json');

/** Prefixes of the older architecture-document format, recognised in every project. */
export const LEGACY_PREFIXES: Record<Exclude<FolderType, 'pr'>, string> = { epic: 'EPIC', issue: 'ISSUE', task: 'TASK' };

export function defaultConfig(name: string): ProjectConfig {
  return {
    name,
    tasksDir: 'tasks',
    dirs: { epic: 'epics', issue: 'issues', task: 'tasks', pr: 'prs' },
    templatesDir: 'templates',
    prefixes: { epic: 'EP', issue: 'ISS', task: 'TSK', pr: 'PR' },
    customStatuses: [],
    raw: {},
  };
}

export interface ConfigError {
  message: string;
  /** The value in config.yaml it is about, when that is known. */
  range?: Range;
}

export interface ConfigResult {
  config: ProjectConfig;
  /** Why the file could not be fully used; the defaults fill what it lacks. */
  errors: ConfigError[];
}

/** The older config shape's pattern for task ids in commit messages (see git/refs.ts). */
export const COMMIT_TASK_REF = ['git', 'patterns', 'commit_task_ref'] as const;

/** Folder names from config must stay inside the project: no absolute paths, no `..`. */
function safeSegment(value: string | undefined, fallback: string, errors: string[], key: string): string {
  if (value === undefined) return fallback;
  const norm = path.normalize(value).replace(/[\\/]+$/, '') || '.';
  if (path.isAbsolute(value) || norm === '.' || norm === '..' || norm.startsWith(`..${path.sep}`)) {
    errors.push(`${key}: "${value}" must be a folder inside the project; using "${fallback}"`);
    return fallback;
  }
  return norm;
}

/** An id prefix must give ids that are safe file names and that ids.ts parses back (`<prefix>-0001`). */
function safePrefix(value: string | undefined, fallback: string, errors: string[], key: string): string {
  if (!value) return fallback;
  if (ID_PATTERN.test(`${value}-1`)) return value;
  errors.push(`${key}: "${value}" is not a usable id prefix (a letter, then letters, digits or _); using "${fallback}"`);
  return fallback;
}

/** More declared statuses than any workflow has is a mistake, and each one lengthens every status check and message. */
export const MAX_CUSTOM_STATUSES = 50;
/** A status name: a word (letters, digits, spaces, `-`, `_`) that starts with a letter, as a status is written in a file. */
const STATUS_NAME = /^[A-Za-z][A-Za-z0-9 _-]{0,39}$/;

/**
 * The custom status words `workflows.statuses` declares. Whatever else is there (a number, a map, names
 * that are not words, thousands of entries) is left out and said once, so that it can neither break
 * reading nor make every word valid.
 */
function declaredStatuses(workflows: unknown, errors: string[]): string[] {
  const list = workflows && typeof workflows === 'object' && !Array.isArray(workflows) ? (workflows as Record<string, unknown>).statuses : undefined;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) {
    errors.push('config.yaml workflows.statuses: expected a list of status names; ignored');
    return [];
  }
  const names = new Set<string>();
  let bad = 0;
  for (const entry of list) {
    const name = typeof entry === 'string' ? entry : entry && typeof entry === 'object' && Object.hasOwn(entry, 'name') ? (entry as { name: unknown }).name : undefined;
    if (typeof name !== 'string' || !STATUS_NAME.test(name)) bad++;
    else if (!(LEGACY_STATUSES as readonly string[]).includes(name)) names.add(name);
  }
  if (bad) {
    errors.push(`config.yaml workflows.statuses: ${bad} of ${list.length} entries are not status names (a word starting with a letter, up to 40 characters); ignored`);
  }
  if (names.size > MAX_CUSTOM_STATUSES) {
    errors.push(`config.yaml workflows.statuses: ${names.size} statuses declared; only the first ${MAX_CUSTOM_STATUSES} are used`);
  }
  return [...names].slice(0, MAX_CUSTOM_STATUSES);
}

/** Delete the value at a path; inside a list, the whole list (a list with a hole is still invalid). */
function dropValue(data: unknown, at: readonly PropertyKey[]): void {
  let node = data;
  let owner: Record<PropertyKey, unknown> | undefined;
  let ownerKey: PropertyKey | undefined;
  for (const k of at) {
    if (!node || typeof node !== 'object') break;
    if (!Array.isArray(node)) [owner, ownerKey] = [node as Record<PropertyKey, unknown>, k];
    node = (node as Record<PropertyKey, unknown>)[k];
  }
  if (owner && ownerKey !== undefined) delete owner[ownerKey];
}

export function parseConfig(text: string, rootName: string): ConfigResult {
  const errors: string[] = [];
  const config = readConfig(text, rootName, errors);
  return { config, errors: [...errors.map((message) => ({ message })), ...regexErrors(config.raw, text)] };
}

function readConfig(text: string, rootName: string, errors: string[]): ProjectConfig {
  const config = defaultConfig(rootName);
  let data: unknown;
  try {
    data = parseYaml(text, { maxAliasCount: 100 }) ?? {};
  } catch (e) {
    errors.push(`config.yaml is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
    return config;
  }
  let parsed = configSchema.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      errors.push(`config.yaml ${issue.path.join('.')}: ${issue.message}`);
      dropValue(data, issue.path);
    }
    // Only the bad values go: one wrong key must not throw away the project's folders and prefixes.
    parsed = configSchema.safeParse(data);
    if (!parsed.success) return config;
  }
  const raw = parsed.data;
  config.raw = raw;
  config.name = raw.name ?? raw.project?.name ?? rootName;
  config.tasksDir = safeSegment(raw.tasks_directory, config.tasksDir, errors, 'tasks_directory');
  const s = raw.structure ?? {};
  config.dirs = {
    epic: safeSegment(s.epics_dir, config.dirs.epic, errors, 'structure.epics_dir'),
    issue: safeSegment(s.issues_dir, config.dirs.issue, errors, 'structure.issues_dir'),
    task: safeSegment(s.tasks_dir, config.dirs.task, errors, 'structure.tasks_dir'),
    pr: safeSegment(s.prs_dir, config.dirs.pr, errors, 'structure.prs_dir'),
  };
  config.templatesDir = safeSegment(s.templates_dir, config.templatesDir, errors, 'structure.templates_dir');
  const n = raw.naming_conventions ?? {};
  config.prefixes = {
    epic: safePrefix(n.epic_prefix, config.prefixes.epic, errors, 'naming_conventions.epic_prefix'),
    issue: safePrefix(n.issue_prefix, config.prefixes.issue, errors, 'naming_conventions.issue_prefix'),
    task: safePrefix(n.task_prefix, config.prefixes.task, errors, 'naming_conventions.task_prefix'),
    pr: safePrefix(n.pr_prefix, config.prefixes.pr, errors, 'naming_conventions.pr_prefix'),
  };
  config.defaultAssignee = raw.default_assignee ?? undefined;
  config.customStatuses = declaredStatuses(raw.workflows, errors);
  return config;
}

/**
 * The regular expressions config.yaml supplies, checked as it loads (the commands that run them say the
 * same when they fall back): each error at the value in the text, where the editor shows it.
 */
function regexErrors(raw: RawConfig, text: string): ConfigError[] {
  let source: unknown = raw;
  for (const k of COMMIT_TASK_REF) source = source && typeof source === 'object' ? (source as Record<string, unknown>)[k] : undefined;
  if (source === undefined || source === null || source === '') return [];
  const { error } = compileConfigRegex(source, COMMIT_TASK_REF.join('.'));
  return error ? [{ message: `${error}; using the default`, range: valueRange(text, COMMIT_TASK_REF) }] : [];
}

/** Where the value at `keyPath` is written in a YAML text (read again with positions: only on an error). */
function valueRange(text: string, keyPath: readonly string[]): Range | undefined {
  const node = parseDocument(text).getIn(keyPath, true);
  if (!isNode(node) || !node.range) return undefined;
  let [start, end] = node.range;
  // A block scalar's range runs on over its last line end.
  while (end > start && /\s/.test(text[end - 1])) end--;
  return new LineMap(text).range(start, end);
}

/** The config.yaml `aitrackdown init` would write. */
export function initialConfigYaml(name: string, assignee?: string): string {
  return [
    `name: ${JSON.stringify(name)}`,
    `description: ${JSON.stringify(`AI-Trackdown software project: ${name}`)}`,
    'version: 1.0.0',
    'tasks_directory: tasks',
    'structure:',
    '  epics_dir: epics',
    '  issues_dir: issues',
    '  tasks_dir: tasks',
    '  templates_dir: templates',
    '  prs_dir: prs',
    'naming_conventions:',
    '  epic_prefix: EP',
    '  issue_prefix: ISS',
    '  task_prefix: TSK',
    '  pr_prefix: PR',
    '  file_extension: .md',
    ...(assignee ? [`default_assignee: ${JSON.stringify(assignee)}`] : []),
    'ai_context_templates:',
    '  - context/requirements',
    '  - context/constraints',
    'automation:',
    '  auto_update_timestamps: true',
    '  auto_calculate_tokens: false',
    '  auto_sync_status: true',
    '',
  ].join('\n');
}

/** Absolute folder of one item type in a project. */
export function typeFolder(root: string, config: ProjectConfig, type: FolderType): string {
  return path.join(root, config.tasksDir, config.dirs[type]);
}
