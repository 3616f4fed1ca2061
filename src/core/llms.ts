/**
 * llms.txt and docs/llms-full.txt of a project, in the llmstxt.org format: one H1 (the project),
 * a `>` summary, free text without headings, then H2 sections that hold only lists of
 * `- [name](url): notes` links, `## Optional` last. llms.txt is the short map (what is open, what is
 * moving, budgets, integrations, where things are); llms-full.txt holds the full text of the items.
 *
 * Output is a pure function of the index, the config and the bodies: no clock, every list sorted, so
 * a caller can write the files only when the text changes. Every piece of text taken from a task file
 * or the config is made safe first: one line, markdown punctuation that could open a link, a code
 * span or HTML escaped, so a hostile title can neither break the structure nor add a heading or a link.
 */
import * as path from 'path';
import type { FolderType, ProjectConfig } from './config';
import type { Project, TaskIndex } from './index';
import { compareItems, isClosed, Item, ItemType, State, STATE_LABELS, STATES, stateText } from './model';
import { findFrontmatter } from './parse';
import { readProjectFileSync } from './fileRule';
import { relativePath } from './paths';
import { budgetRatio, budgetThresholds, projectUsage, ProjectUsage, teamBudgets, thresholdReached, Usage } from './tokens';

/** Where the two files go, relative to the project root (POSIX separators). */
export const LLMS_TXT = 'llms.txt';
export const LLMS_FULL_TXT = 'docs/llms-full.txt';

/** Absolute paths of llms.txt and docs/llms-full.txt of a project root. */
export function llmsPaths(root: string): { index: string; full: string } {
  return { index: path.join(root, ...LLMS_TXT.split('/')), full: path.join(root, ...LLMS_FULL_TXT.split('/')) };
}

/** How many entries each part of llms.txt lists before it points at the folder instead. */
export const LIMITS = Object.freeze({ focusEpics: 10, itemsPerEpic: 5, outsideEpics: 5, budgetEpics: 10, optionalEpics: 40, closedEpics: 20 });

export interface LlmsOptions {
  /** Whether a file or folder (POSIX path relative to the root) exists; key files that do not are left out. Default: all do. */
  exists?: (rel: string) => boolean;
}

/** The body of an item, as the caller read it (undefined when it could not be read). */
export type ReadBody = (item: Item) => string | undefined;

// ---- config switches

const record = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

function llmsSettings(config: ProjectConfig): Record<string, unknown> {
  return record(record(config.raw.ai)?.llms_txt) ?? {};
}

/** config.yaml `ai.llms_txt.auto_generate: false` turns regeneration on save off for the project. */
export function autoGenerate(config: ProjectConfig): boolean {
  return llmsSettings(config).auto_generate !== false;
}

/** config.yaml `ai.llms_txt.include_closed: true` puts closed items into llms-full.txt too. */
export function includeClosed(config: ProjectConfig): boolean {
  return llmsSettings(config).include_closed === true;
}

// ---- safe markdown

/** Line breaks, tabs and other control characters become one space; runs of spaces shrink to one. */
function oneLine(s: string): string {
  // Most text is already one line with single spaces: skip the replace (this runs for every title).
  if (!/[\u0000-\u001f\u007f-\u009f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]| {2}|^ | $/.test(s)) return s;
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\s]+/g, ' ').trim();
}

/**
 * Any text for link text, a note, a heading or the summary: one line, with `\`, `[`, `]`, backticks,
 * `<` and `>` escaped (so it cannot open or close a link, a code span, an autolink or HTML), a
 * leading character that could start a block (heading, list, quote, rule) escaped, and no bare url
 * or e-mail address a GFM renderer would turn into a link of its own (an entry holds one link).
 */
export function mdText(value: unknown): string {
  let s = oneLine(String(value ?? ''));
  if (/[\\`[\]<>@]|:\/\/|www\./i.test(s)) {
    s = s
      .replace(/[\\`[\]<>]/g, '\\$&')
      // `](` even escaped trips some renderers (marked) into ending the link text there.
      .replace(/\\\]\(/g, '\\]\\(')
      .replace(/:\/\//g, ':\\/\\/')
      .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}\\.`)
      .replace(/([\w.+-])@(?=[\w-])/g, '$1\\@');
  }
  if (/^(?:[#+*=~-]|\d+[.)])/.test(s)) s = s.replace(/^[#+*=~-]/, '\\$&').replace(/^(\d+)([.)])/, '$1\\$2');
  return s.endsWith('#') ? s.replace(/#+$/, '\\$&') : s;
}

/** The lines as one text with exactly one final newline (no regex over the whole text: it can be megabytes). */
function finish(lines: string[]): string {
  let end = lines.length;
  while (end > 0 && lines[end - 1] === '') end--;
  lines.length = end;
  lines.push('');
  return lines.join('\n');
}

/** A relative POSIX path as a link destination: each segment percent-encoded, parentheses too. */
export function mdUrl(rel: string): string {
  return rel
    .split('/')
    .map((seg) => encodeURIComponent(seg).replace(/[()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');
}

/** `- [name](url)` or `- [name](url): notes`, with name and notes made safe. */
function link(name: string, rel: string, notes?: string): string {
  const n = notes ? oneLine(notes) : '';
  return `- [${mdText(name)}](${mdUrl(rel)})${n ? `: ${n}` : ''}`;
}

const num = (n: number) => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const pct = (ratio: number) => `${Math.round(ratio * 100)}%`;

const TYPE_WORDS: Record<ItemType, [string, string]> = {
  epic: ['epic', 'epics'],
  issue: ['issue', 'issues'],
  task: ['task', 'tasks'],
  pr: ['PR', 'PRs'],
  comment: ['comment', 'comments'],
};
const TYPE_HEADINGS: Record<ItemType, string> = { epic: 'Epics', issue: 'Issues', task: 'Tasks', pr: 'PRs', comment: 'Comments' };
const counted = (n: number, type: ItemType) => `${num(n)} ${TYPE_WORDS[type][n === 1 ? 0 : 1]}`;
const ITEM_TYPES_IN_ORDER: ItemType[] = ['epic', 'issue', 'task', 'pr', 'comment'];

function joinAnd(parts: string[]): string {
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

// ---- the project as both files see it

/** Further along the workflow = closer to done. */
const IN_PROGRESS: Partial<Record<State, number>> = { active: 1, ready_for_engineering: 2, ready_for_qa: 3, ready_for_deployment: 4 };
const PRIORITY_RANK: Record<string, number> = { critical: 4, high: 3, medium: 2, low: 1 };

const inProgress = (i: Item) => i.state !== undefined && IN_PROGRESS[i.state] !== undefined;
const priorityRank = (i: Item) => (i.priority && Object.hasOwn(PRIORITY_RANK, i.priority) ? PRIORITY_RANK[i.priority] : 0);
/** Most recently updated first; items without a date last. Plain string order, as ISO dates sort. */
const byUpdated = (a: Item, b: Item) => (a.updated === b.updated ? 0 : !a.updated ? 1 : !b.updated ? -1 : a.updated < b.updated ? 1 : -1);

function describeState(i: Item): string {
  const known = stateText(i);
  if (known) return known;
  return i.rawState ? `unrecognised state "${mdText(i.rawState)}"` : 'no state';
}

class ProjectView {
  private usageMemo?: ProjectUsage;
  readonly items: Item[];
  readonly epics: Item[];
  /** Per epic file: the items under it, in tree order (children sorted, each item once). */
  private readonly under = new Map<string, Item[]>();
  /** Item file → the first epic (by id) it lies under. */
  readonly epicOf = new Map<string, Item>();
  /** Items under no epic, in tree order. */
  readonly outside: Item[] = [];
  readonly problemFiles: number;
  /** Closed and total children of each epic and issue, taken with the items. */
  private readonly progressOf = new Map<string, { done: number; total: number }>();

  constructor(
    readonly index: TaskIndex,
    readonly project: Project,
  ) {
    const root = project.root;
    this.items = [...index.items(root)].sort(compareItems);
    this.epics = this.items.filter((i) => i.type === 'epic');
    for (const i of this.items) if (i.type === 'epic' || i.type === 'issue') this.progressOf.set(i.file, index.progress(i));
    let broken = 0;
    for (const e of index.allEntries()) if (e.root === root && !e.item) broken++;
    this.problemFiles = broken;
    for (const epic of this.epics) {
      const list = this.tree(epic, new Set([epic.file]));
      this.under.set(epic.file, list);
      for (const i of list) if (!this.epicOf.has(i.file)) this.epicOf.set(i.file, epic);
    }
    // Items under no epic, as trees from their topmost ancestor that is not under an epic.
    const placed = new Set<string>([...this.epics.map((e) => e.file), ...this.epicOf.keys()]);
    for (const i of this.items) {
      if (placed.has(i.file) || i.type === 'comment' || this.inProject(i.parentId, i)) continue;
      placed.add(i.file);
      this.outside.push(i);
      for (const c of this.tree(i, placed)) this.outside.push(c);
    }
    // What is left hangs in a cycle of parents or under a comment: still listed, once.
    for (const i of this.items) {
      if (placed.has(i.file) || i.type === 'comment') continue;
      placed.add(i.file);
      this.outside.push(i);
      for (const c of this.tree(i, placed)) this.outside.push(c);
    }
  }

  /** Whether an item's parent exists in the project (a broken link makes the item a root of its own). */
  private inProject(id: string | undefined, item: Item): boolean {
    return !!id && this.index.byId(item.root, id).some((p) => p.file !== item.file);
  }

  /** Everything below an item, depth first, children in display order; comments only as leaves. */
  private tree(item: Item, seen: Set<string>): Item[] {
    const out: Item[] = [];
    for (const c of [...this.index.children(item)].sort(compareItems)) {
      if (seen.has(c.file)) continue;
      seen.add(c.file);
      out.push(c);
      // A loop, not push(...): a spread of a very large subtree would overflow the stack.
      if (c.type !== 'comment') for (const d of this.tree(c, seen)) out.push(d);
    }
    return out;
  }

  progress(item: Item): { done: number; total: number } {
    return this.progressOf.get(item.file) ?? { done: 0, total: 0 };
  }

  /** Token usage of the project, computed once per view. */
  get usage(): ProjectUsage {
    return (this.usageMemo ??= projectUsage(this.index, this.project.root, this.project.config));
  }

  descendants(epic: Item): Item[] {
    return this.under.get(epic.file) ?? [];
  }

  rel(file: string): string {
    return relativePath(this.project.root, file);
  }

  typeFolder(type: FolderType): string {
    const c = this.project.config;
    return [...c.tasksDir.split(path.sep), ...c.dirs[type].split(path.sep)].join('/') + '/';
  }
}

// ---- llms.txt

interface FocusEpic {
  epic: Item;
  active: Item[];
  progress: { done: number; total: number };
}

function focusOrder(view: ProjectView): FocusEpic[] {
  const list = view.epics
    .filter((e) => !isClosed(e.state))
    .map((epic) => ({
      epic,
      active: view
        .descendants(epic)
        .filter((i) => i.type !== 'comment' && inProgress(i))
        .sort((a, b) => IN_PROGRESS[b.state!]! - IN_PROGRESS[a.state!]! || priorityRank(b) - priorityRank(a) || byUpdated(a, b) || compareItems(a, b)),
      progress: view.progress(epic),
    }));
  return list.sort(
    (a, b) =>
      b.active.length - a.active.length ||
      Number(inProgress(b.epic)) - Number(inProgress(a.epic)) ||
      priorityRank(b.epic) - priorityRank(a.epic) ||
      byUpdated(a.epic, b.epic) ||
      compareItems(a.epic, b.epic),
  );
}

function progressText(p: { done: number; total: number }): string {
  return p.total ? `${p.done}/${p.total} done (${pct(p.done / p.total)})` : 'no child items yet';
}

/** `shown`: how many of its items in progress are listed after it (all when not given). */
function epicNotes(f: FocusEpic, shown = f.active.length): string {
  const e = f.epic;
  const parts = [describeState(e)];
  if (e.priority) parts.push(`${mdText(e.priority)} priority`);
  if (e.assignee) parts.push(`owner ${mdText(e.assignee)}`);
  parts.push(progressText(f.progress));
  if (f.active.length) parts.push(`${f.active.length} in progress${shown < f.active.length ? ` (${shown} listed)` : ''}`);
  return parts.join(' · ');
}

function itemNotes(i: Item, epic: Item | undefined): string {
  const parts = [describeState(i), `${TYPE_WORDS[i.type][0]}${epic ? ` in ${mdText(epic.id)}` : ' outside any epic'}`];
  if (i.priority) parts.push(`${mdText(i.priority)} priority`);
  if (i.assignee) parts.push(`assigned to ${mdText(i.assignee)}`);
  return parts.join(' · ');
}

const itemName = (i: Item) => `${i.id}: ${i.title}`;

function usageText(used: number, budget: number | undefined, estimated: number, thresholds: number[]): string {
  const parts: string[] = [];
  if (budget !== undefined) {
    parts.push(`${num(used)} of ${num(budget)} tokens`);
    if (budget > 0) {
      const ratio = budgetRatio(used, budget);
      parts[0] += ` (${pct(ratio)})`;
      const hit = thresholdReached(ratio, thresholds);
      if (ratio > 1) parts.push('over budget');
      else if (hit !== undefined) parts.push(`past the ${pct(hit)} alert`);
    } else if (used > 0) parts.push('over budget');
  } else {
    parts.push(`${num(used)} tokens used`, 'no budget set');
  }
  if (estimated > 0) parts.push(`estimated ${num(estimated)}`);
  return parts.join(' · ');
}

interface Integration {
  name: string;
  key: 'github' | 'jira' | 'linear';
  /** Config keys whose values are safe to show (never tokens or secrets). */
  shown: string[];
}
const INTEGRATIONS: Integration[] = [
  { name: 'GitHub', key: 'github', shown: ['repo', 'repository', 'owner'] },
  { name: 'Jira', key: 'jira', shown: ['url', 'project', 'project_key'] },
  { name: 'Linear', key: 'linear', shown: ['team_id', 'team'] },
];

interface IntegrationStatus {
  integration: Integration;
  configured: boolean;
  enabled: boolean;
  details: string[];
  linked: number;
}

function integrations(view: ProjectView): IntegrationStatus[] {
  const sync = record(view.project.config.raw.sync) ?? {};
  return INTEGRATIONS.map((integration) => {
    const raw = sync[integration.key];
    const conf = record(raw);
    const configured = raw !== undefined && raw !== null && raw !== false;
    const details = integration.shown
      .filter((k) => conf && (typeof conf[k] === 'string' || typeof conf[k] === 'number'))
      .map((k) => `${k} ${mdText(conf![k])}`);
    // Items that carry an id of this provider: the older format's `sync: {github: 145}`.
    let linked = 0;
    for (const i of view.items) {
      const v = record(i.data.sync)?.[integration.key];
      if (v !== undefined && v !== null && v !== '') linked++;
    }
    return { integration, configured, enabled: configured && conf?.enabled !== false, details, linked };
  });
}

function integrationNotes(s: IntegrationStatus): string {
  const linked = `${num(s.linked)} ${s.linked === 1 ? 'item carries' : 'items carry'} an id`;
  if (!s.configured) return s.linked ? `not configured in sync · ${linked}` : 'not configured';
  const parts = [s.enabled ? 'enabled' : 'configured, disabled', ...s.details];
  if (s.linked) parts.push(linked);
  return parts.join(' · ');
}

/**
 * What both files are made from, gathered once: the items llms-full.txt shows (read their bodies),
 * then the two texts. The items are taken when it is made, so a caller that awaits in between (to
 * read the bodies) still writes files that agree with each other.
 */
export interface LlmsSource {
  /** The items llms-full.txt shows, in its order. */
  readonly fullItems: Item[];
  txt(options?: LlmsOptions): string;
  full(readBody: ReadBody): string;
}

export function llmsSource(index: TaskIndex, project: Project): LlmsSource {
  const view = new ProjectView(index, project);
  void view.usage; // now, with the items, not when the texts are asked for
  const groups = fullPlan(view);
  return {
    fullItems: groups.flatMap((g) => g.items),
    txt: (options) => renderTxt(view, options),
    full: (readBody) => renderFull(view, groups, readBody),
  };
}

/** The text of llms.txt at the project root. */
export function llmsTxt(index: TaskIndex, project: Project, options: LlmsOptions = {}): string {
  return renderTxt(new ProjectView(index, project), options);
}

function renderTxt(view: ProjectView, options: LlmsOptions = {}): string {
  const { project } = view;
  const exists = options.exists ?? (() => true);
  const config = project.config;
  const configRel = '.ai-trackdown/config.yaml';
  const hasConfig = project.hasConfig && exists(configRel);
  const out: string[] = [];

  // ---- title, summary
  const countable = view.items;
  const byType = new Map<ItemType, Item[]>();
  for (const i of countable) {
    const list = byType.get(i.type);
    if (list) list.push(i);
    else byType.set(i.type, [i]);
  }
  const work = countable.filter((i) => i.type !== 'comment');
  const open = work.filter((i) => !isClosed(i.state));
  const moving = work.filter(inProgress);
  const typeCounts = ITEM_TYPES_IN_ORDER.filter((t) => t !== 'comment' && byType.get(t)?.length).map((t) => counted(byType.get(t)!.length, t));
  const description = typeof config.raw.description === 'string' && oneLine(config.raw.description) ? config.raw.description : undefined;
  const summary =
    description ??
    `An ai-trackdown project${typeCounts.length ? ` with ${joinAnd(typeCounts)}` : ' with no items yet'}; ${num(open.length)} open, ${num(moving.length)} in progress.`;
  out.push(`# ${mdText(config.name) || 'Project'}`, '', `> ${mdText(summary)}`, '');

  // ---- free text
  const status = integrations(view);
  const configured = status.filter((s) => s.configured);
  const conflicts = work.filter((i) => i.data.sync_status === 'conflict').length;
  out.push(
    `Generated by AI Trackdown from the task files of this project: epics, issues, tasks and PRs are markdown files with YAML frontmatter under ${mdText(config.tasksDir.split(path.sep).join('/'))}/ (ai-trackdown format). ` +
      'Links are relative to this file. It is rewritten when a task file is saved: change the task files, not this file.',
    '',
  );
  const facts = [
    `- Items: ${work.length ? `${num(work.length)} (${joinAnd(typeCounts)})` : 'none yet'}; ${num(open.length)} open, ${num(work.length - open.length)} closed, ${num(moving.length)} in progress.`,
  ];
  if (byType.get('comment')?.length) facts.push(`- Comments: ${num(byType.get('comment')!.length)}.`);
  facts.push(
    `- Integrations: ${
      configured.length
        ? joinAnd(configured.map((s) => `${s.integration.name} (${s.enabled ? 'enabled' : 'disabled'})`))
        : 'none configured (no GitHub, Jira or Linear sync in the project config)'
    }.`,
  );
  if (conflicts) facts.push(`- Sync conflicts: ${num(conflicts)} ${conflicts === 1 ? 'item has' : 'items have'} sync_status conflict.`);
  if (view.problemFiles) facts.push(`- ${num(view.problemFiles)} task ${view.problemFiles === 1 ? 'file' : 'files'} could not be parsed and ${view.problemFiles === 1 ? 'is' : 'are'} not counted.`);
  out.push(...facts, '');

  const section = (title: string, lines: string[]) => {
    if (lines.length) out.push(`## ${title}`, '', ...lines, '');
  };

  // ---- project overview: counts by type and state
  const overview: string[] = [];
  for (const type of ITEM_TYPES_IN_ORDER) {
    const list = byType.get(type);
    if (!list?.length) continue;
    const folder = type === 'comment' ? `${view.typeFolder('issue')}comments/` : view.typeFolder(type);
    let notes = `${num(list.length)}`;
    if (type !== 'comment') {
      const parts: string[] = [];
      for (const s of STATES) {
        const n = list.filter((i) => i.state === s).length;
        if (n) parts.push(`${STATE_LABELS[s]} ${num(n)}`);
      }
      const unknown = list.filter((i) => !i.state && i.rawState).length;
      const none = list.filter((i) => !i.state && !i.rawState).length;
      if (unknown) parts.push(`unrecognised state ${num(unknown)}`);
      if (none) parts.push(`no state ${num(none)}`);
      const o = list.filter((i) => !isClosed(i.state)).length;
      notes += ` · ${num(o)} open · ${parts.join(', ')}`;
    }
    overview.push(link(TYPE_HEADINGS[type], folder, notes));
  }
  section('Project overview', overview);

  // ---- current focus: open epics, most active first, with what is moving in each
  const focus = focusOrder(view);
  const focusLines: string[] = [];
  for (const f of focus.slice(0, LIMITS.focusEpics)) {
    const shown = f.active.slice(0, LIMITS.itemsPerEpic);
    focusLines.push(link(itemName(f.epic), view.rel(f.epic.file), epicNotes(f, shown.length)));
    for (const i of shown) focusLines.push(link(itemName(i), view.rel(i.file), itemNotes(i, f.epic)));
  }
  const outsideMoving = view.outside
    .filter(inProgress)
    .sort((a, b) => IN_PROGRESS[b.state!]! - IN_PROGRESS[a.state!]! || priorityRank(b) - priorityRank(a) || byUpdated(a, b) || compareItems(a, b));
  for (const i of outsideMoving.slice(0, LIMITS.outsideEpics)) focusLines.push(link(itemName(i), view.rel(i.file), itemNotes(i, undefined)));
  section('Current focus', focusLines);

  // ---- key files
  const keyFiles: string[] = [];
  if (hasConfig) keyFiles.push(link('Project config', configRel, 'name, description, task folders, id prefixes, budgets, sync and llms.txt settings'));
  if (project.hasConfig && exists('.ai-trackdown/counters.json')) keyFiles.push(link('Id counters', '.ai-trackdown/counters.json', 'the next number for each item type, as the aitrackdown CLI assigns ids'));
  const templates = [...config.tasksDir.split(path.sep), ...config.templatesDir.split(path.sep)].join('/') + '/';
  if (exists(templates)) keyFiles.push(link('Templates', templates, 'the default content of new epics, issues, tasks and PRs ({type}-default.yaml)'));
  keyFiles.push(
    link(
      'Full content',
      LLMS_FULL_TXT,
      `the frontmatter and body of every ${includeClosed(config) ? '' : 'open '}epic, issue, task and PR, grouped by epic`,
    ),
  );
  section('Key files', keyFiles);

  // ---- token budgets
  const usage = view.usage;
  const thresholds = budgetThresholds(config);
  const budgets = new Map(usage.epics.map((e) => [e.epic.file, e]));
  const withBudget = usage.epics.filter((e) => e.budget !== undefined);
  const projectBudget = withBudget.reduce((n, e) => n + e.budget!, 0);
  // The project's budget is its epics' budgets: set against all it used only when they cover everything.
  const covered = withBudget.length === usage.epics.length && usage.outsideEpics.used === 0;
  const projectNotes = !withBudget.length
    ? usageText(usage.total.used, undefined, usage.total.estimated, thresholds)
    : covered
      ? `${usageText(usage.total.used, projectBudget, usage.total.estimated, thresholds)} · the sum of the epic budgets`
      : `${num(usage.total.used)} tokens used in all${usage.total.estimated ? ` · estimated ${num(usage.total.estimated)}` : ''} · ${num(withBudget.length)} of ${num(
          usage.epics.length,
        )} epics have a budget: ${usageText(
          withBudget.reduce((n, e) => n + e.usage.used, 0),
          projectBudget,
          0,
          thresholds,
        )}`;
  const budgetLines = [link(`Project ${config.name}`, hasConfig ? configRel : view.typeFolder('epic'), projectNotes)];
  const openEpicUsage = focus
    .map((f) => budgets.get(f.epic.file)!)
    .filter((e) => e && (e.budget !== undefined || e.usage.used > 0 || e.usage.estimated > 0))
    .sort(
      (a, b) =>
        budgetRatio(b.usage.used, b.budget) - budgetRatio(a.usage.used, a.budget) || b.usage.used - a.usage.used || compareItems(a.epic, b.epic),
    );
  for (const e of openEpicUsage.slice(0, LIMITS.budgetEpics)) {
    budgetLines.push(link(itemName(e.epic), view.rel(e.epic.file), usageText(e.usage.used, e.budget, e.usage.estimated, thresholds)));
  }
  if (usage.outsideEpics.used > 0) {
    budgetLines.push(link('Items outside any epic', view.typeFolder('issue'), `${num(usage.outsideEpics.used)} tokens used`));
  }
  const teams = teamBudgets(config);
  for (const team of Object.keys(teams).sort()) {
    budgetLines.push(link(`Team ${team}`, hasConfig ? configRel : view.typeFolder('epic'), usageText(usage.total.byTeam[team] ?? 0, teams[team], 0, thresholds)));
  }
  section('Token budget', budgetLines);

  // ---- integrations
  if (hasConfig) section('Integrations', status.map((s) => link(s.integration.name, configRel, integrationNotes(s))));

  // ---- optional: the rest of the open epics, in-progress items that did not fit, closed epics
  const optional: string[] = [];
  const rest = focus.slice(LIMITS.focusEpics);
  for (const f of rest.slice(0, LIMITS.optionalEpics)) optional.push(link(itemName(f.epic), view.rel(f.epic.file), epicNotes(f)));
  if (rest.length > LIMITS.optionalEpics) {
    optional.push(link('More open epics', view.typeFolder('epic'), `${num(rest.length - LIMITS.optionalEpics)} more open epics are not listed here`));
  }
  if (outsideMoving.length > LIMITS.outsideEpics) {
    optional.push(link('More items in progress outside any epic', view.typeFolder('issue'), `${num(outsideMoving.length - LIMITS.outsideEpics)} more are not listed here`));
  }
  const closedEpics = view.epics.filter((e) => isClosed(e.state));
  for (const e of closedEpics.slice(0, LIMITS.closedEpics)) {
    optional.push(link(itemName(e), view.rel(e.file), `${describeState(e)} · ${progressText(view.progress(e))}`));
  }
  if (closedEpics.length > LIMITS.closedEpics) {
    optional.push(link('More closed epics', view.typeFolder('epic'), `${num(closedEpics.length - LIMITS.closedEpics)} more closed epics are not listed here`));
  }
  section('Optional', optional);

  return finish(out);
}

// ---- llms-full.txt

interface FullGroup {
  /** The epic of the group; undefined for the items outside every epic. */
  epic?: Item;
  items: Item[];
}

function fullPlan(view: ProjectView): FullGroup[] {
  const closedToo = includeClosed(view.project.config);
  const included = (i: Item, parent?: Item): boolean =>
    i.type === 'comment' ? !!parent && included(parent) : closedToo || !isClosed(i.state);
  const byFile = new Map(view.items.map((i) => [i.file, i]));
  const parentOf = (i: Item) => (i.type === 'comment' ? view.index.parent(i) : undefined);
  const keep = (i: Item) => {
    const p = parentOf(i);
    return included(i, p && byFile.get(p.file));
  };
  const groups: FullGroup[] = [];
  const seen = new Set<string>();
  for (const epic of view.epics) {
    if (seen.has(epic.file)) continue;
    seen.add(epic.file);
    const items = [epic, ...view.descendants(epic).filter((i) => !seen.has(i.file))].filter(keep);
    for (const i of items) seen.add(i.file);
    if (items.length) groups.push({ epic, items });
  }
  const outside = view.outside.filter((i) => !seen.has(i.file)).filter(keep);
  if (outside.length) groups.push({ items: outside });
  return groups;
}

/** The items llms-full.txt shows, in its order: the bodies a caller should read for llmsFullTxt(). */
export function llmsFullItems(index: TaskIndex, project: Project): Item[] {
  return fullPlan(new ProjectView(index, project)).flatMap((g) => g.items);
}

/** The body of a task file's text: what follows the frontmatter (all of it when there is none). */
export function bodyOf(text: string): string {
  const block = findFrontmatter(text);
  return typeof block === 'object' ? text.slice(block.bodyOffset) : text.replace(/^\ufeff/, '');
}

/** Read an item's body from disk now (undefined when the file cannot be read). */
export function readBodySync(item: Item): string | undefined {
  const { text } = readProjectFileSync(item.root, item.file);
  return text === undefined ? undefined : bodyOf(text);
}

const ids = (v: unknown): string[] =>
  (Array.isArray(v) ? v : typeof v === 'string' && v.trim() ? [v] : []).filter((x) => typeof x === 'string' || typeof x === 'number').map(String);
const str = (v: unknown): string | undefined => (typeof v === 'string' && oneLine(v) ? v : typeof v === 'number' ? String(v) : undefined);

/** The frontmatter in brief, one `- ` line per fact. */
function factLines(view: ProjectView, item: Item, budget: number | undefined, usage: Usage | undefined): string[] {
  const d = item.data;
  const lines: string[] = [];
  const rel = view.rel(item.file);
  lines.push(`- File: [${mdText(rel)}](../${mdUrl(rel)})`);
  if (item.type === 'comment') {
    const who = str(d.author);
    const when = str(d.createdAt) ?? item.created;
    lines.push(`- Comment${who ? ` by ${mdText(who)}` : ''}${when ? ` on ${mdText(when)}` : ''}`);
    return lines;
  }
  const head = [TYPE_WORDS[item.type][0].replace(/^./, (c) => c.toUpperCase()), describeState(item)];
  if (item.priority) head.push(`${mdText(item.priority)} priority`);
  head.push(item.assignee ? `assigned to ${mdText(item.assignee)}` : 'unassigned');
  lines.push(`- ${head.join(' · ')}`);
  const prStatus = str(d.pr_status);
  const branch = str(d.branch_name) ?? str(d.source_branch);
  if (item.type === 'pr' && (prStatus || branch)) {
    lines.push(`- PR: ${[prStatus && `status ${mdText(prStatus)}`, branch && `branch ${mdText(branch)}`, str(d.target_branch) && `into ${mdText(str(d.target_branch))}`].filter(Boolean).join(' · ')}`);
  }
  const up = [item.parentId && `parent ${mdText(item.parentId)}`, item.epicId && item.epicId !== item.parentId && `epic ${mdText(item.epicId)}`].filter(Boolean);
  if (up.length) lines.push(`- Links: ${up.join(' · ')}`);
  const rels = (
    [
      ['depends on', d.dependencies],
      ['blocked by', d.blocked_by],
      ['blocks', d.blocks],
    ] as const
  )
    .map(([word, v]) => [word, ids(v)] as const)
    .filter(([, v]) => v.length)
    .map(([word, v]) => `${word} ${v.map(mdText).join(', ')}`);
  if (rels.length) lines.push(`- Dependencies: ${rels.join(' · ')}`);
  if (item.labels.length) lines.push(`- Labels: ${item.labels.map(mdText).join(', ')}`);
  const milestone = str(d.milestone);
  if (milestone) lines.push(`- Milestone: ${mdText(milestone)}`);
  if (item.type === 'epic' || item.type === 'issue') {
    const p = view.progress(item);
    if (p.total) lines.push(`- Progress: ${progressText(p)}`);
  }
  if (usage && (usage.used || usage.estimated || budget !== undefined)) {
    lines.push(`- Tokens: ${usageText(usage.used, budget, usage.estimated, budgetThresholds(view.project.config))}${item.type === 'epic' ? ' (with its items)' : ''}`);
  } else if (item.actualTokens || item.estimatedTokens) {
    lines.push(`- Tokens: ${num(item.actualTokens ?? 0)} used${item.estimatedTokens ? ` · estimated ${num(item.estimatedTokens)}` : ''}`);
  }
  const dates = [item.created && `created ${mdText(item.created)}`, item.updated && `updated ${mdText(item.updated)}`].filter(Boolean);
  if (dates.length) lines.push(`- Dates: ${dates.join(' · ')}`);
  const description = str(d.description);
  if (description) lines.push(`- Description: ${mdText(description)}`);
  return lines;
}

/**
 * A body as a fenced block: its text stays byte for byte (line ends made `\n`), and whatever it holds
 * (headings, an unclosed fence, raw HTML) stays inside, because the fence is longer than any run of
 * backticks in it.
 */
function fenced(body: string): string[] {
  const text = body.replace(/\r\n?/g, '\n').replace(/^(?:[ \t]*\n)+/, '').replace(/\s+$/, '');
  if (!text) return [];
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}markdown`, text, fence];
}

/** The text of docs/llms-full.txt: the full content of the items, grouped by epic. */
export function llmsFullTxt(index: TaskIndex, project: Project, readBody: ReadBody): string {
  const view = new ProjectView(index, project);
  return renderFull(view, fullPlan(view), readBody);
}

function renderFull(view: ProjectView, groups: FullGroup[], readBody: ReadBody): string {
  const config = view.project.config;
  const closedToo = includeClosed(config);
  const usage = view.usage;
  const epicUsage = new Map(usage.epics.map((e) => [e.epic.file, e]));
  const count = groups.reduce((n, g) => n + g.items.filter((i) => i.type !== 'comment').length, 0);
  const out: string[] = [
    `# ${mdText(config.name) || 'Project'}`,
    '',
    `> ${mdText(`The full text of the ${closedToo ? '' : 'open '}epics, issues, tasks and PRs of ${config.name}, grouped by epic: each item's frontmatter in brief, then its body.`)}`,
    '',
    `Generated by AI Trackdown from the task files, next to [llms.txt](../${LLMS_TXT}), the short map of the project. ` +
      'Links are relative to this file. Each body is quoted as written, in a fenced block.',
    '',
    `- Items: ${num(count)}${closedToo ? ', closed ones included' : '; closed items are left out (set ai.llms_txt.include_closed: true in the project config to include them)'}.`,
    '',
  ];
  for (const g of groups) {
    const epic = g.epic;
    out.push(`## ${epic ? `${mdText(itemName(epic))}${g.items[0] === epic ? '' : ` (${describeState(epic)})`}` : 'Outside any epic'}`, '');
    for (const item of g.items) {
      const level = item.type === 'comment' ? '####' : '###';
      const e = item.type === 'epic' ? epicUsage.get(item.file) : undefined;
      const body = readBody(item);
      const part = [`${level} ${mdText(item.type === 'comment' ? `Comment ${item.id}` : itemName(item))}`, '', ...factLines(view, item, e?.budget, e?.usage)];
      const block = body === undefined ? ['The file could not be read.'] : fenced(body);
      if (block.length) part.push('', ...block);
      // One string per item: joining a few thousand parts is twice as fast as joining every line.
      out.push(part.join('\n'), '');
    }
  }
  return finish(out);
}

// ---- checks

/** What one llms.txt list line must look like: `- [text](url)` or `- [text](url): notes`. */
function checkLinkLine(line: string): string | undefined {
  if (!line.startsWith('- [')) return 'is not a "- [name](url)" list item';
  let i = 3;
  let text = '';
  for (; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) {
      text += line[++i];
      continue;
    }
    if (c === '[') return 'has an unescaped "[" in its link text';
    if (c === ']') break;
    if (c === '`' || c === '<' || c === '>') return `has an unescaped "${c}" in its link text`;
    text += c;
  }
  if (i >= line.length) return 'has link text that is never closed';
  if (!text.trim()) return 'has empty link text';
  if (line[i + 1] !== '(') return 'has no "(url)" right after its link text';
  const close = line.indexOf(')', i + 2);
  if (close === -1) return 'has a url that is never closed';
  const url = line.slice(i + 2, close);
  if (!url) return 'has an empty url';
  if (/[\s()<>\\]/.test(url)) return `has a url with a space, parenthesis, angle bracket or backslash: ${url}`;
  const rest = line.slice(close + 1);
  if (rest === '') return undefined;
  if (!rest.startsWith(': ') || !rest.slice(2).trim()) return 'has something after its link other than ": notes"';
  const notes = rest.slice(2);
  for (let j = 0; j < notes.length; j++) {
    const c = notes[j];
    if (c === '\\') {
      j++;
      continue;
    }
    if (c === '[' || c === ']' || c === '`' || c === '<' || c === '>') return `has an unescaped "${c}" in its notes`;
  }
  if (/[a-z][\w+.-]*:\/\/|\bwww\./i.test(notes)) return 'has a bare url in its notes (a renderer would make it a second link)';
  return undefined;
}

const ATX = /^ {0,3}(#{1,6})(?:[ \t]|$)/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;

/**
 * The structure rules of llms.txt (llmstxt.org), as problems ("line N: …"); none means the text is
 * well formed: exactly one H1 and it comes first, a `>` summary next, free text without headings,
 * then H2 sections that each hold only a non-empty list of links, `## Optional` (if any) last.
 */
export function checkLlmsTxt(text: string): string[] {
  const problems: string[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const at = (n: number, msg: string) => problems.push(`line ${n + 1}: ${msg}`);
  let n = 0;
  const skipBlank = () => {
    while (n < lines.length && !lines[n].trim()) n++;
  };
  skipBlank();
  if (n >= lines.length) return ['the text is empty'];
  if (!/^# \S/.test(lines[n])) at(n, 'the first line must be the H1 "# <project name>"');
  n++;
  skipBlank();
  if (n >= lines.length || !lines[n].startsWith('> ')) at(Math.min(n, lines.length - 1), 'a "> summary" blockquote must follow the H1');
  else while (n < lines.length && lines[n].startsWith('>')) n++;
  // free text: anything but headings, up to the first H2
  let prev = '';
  for (; n < lines.length && !lines[n].startsWith('## '); n++) {
    const line = lines[n];
    const h = ATX.exec(line);
    if (h) at(n, h[1].length === 1 ? 'a second H1' : `an H${h[1].length} heading before the first H2 section`);
    else if (prev.trim() && SETEXT.test(line)) at(n, 'a setext heading underline (or a rule) right after a line of free text');
    prev = line;
  }
  const sections: string[] = [];
  let entries = 0;
  const endSection = (line: number) => {
    if (sections.length && entries === 0) at(line, `section "${sections[sections.length - 1]}" holds no links`);
  };
  for (; n < lines.length; n++) {
    const line = lines[n];
    if (!line.trim()) continue;
    if (line.startsWith('## ')) {
      endSection(n);
      const name = line.slice(3).trim();
      if (!name) at(n, 'an H2 without a name');
      if (sections.includes(name)) at(n, `section "${name}" appears twice`);
      if (sections[sections.length - 1] === 'Optional') at(n, 'the "Optional" section must be the last one');
      sections.push(name);
      entries = 0;
      continue;
    }
    const h = ATX.exec(line);
    if (h) {
      at(n, h[1].length === 1 ? 'a second H1' : `an H${h[1].length} heading inside a section (only H2 sections of links are allowed)`);
      continue;
    }
    const bad = checkLinkLine(line);
    if (bad) at(n, `in section "${sections[sections.length - 1]}" the line ${bad}`);
    else entries++;
  }
  endSection(lines.length - 1);
  return problems;
}

/**
 * The structure rules of llms-full.txt: one H1 first, a `>` summary, free text, then H2 groups of
 * H3 items (H4 comments), each starting with its "- File:" link; headings inside a body do not count,
 * as long as every fenced block is closed.
 */
export function checkLlmsFullTxt(text: string): string[] {
  const problems: string[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const at = (n: number, msg: string) => problems.push(`line ${n + 1}: ${msg}`);
  let fence: string | undefined;
  let h1 = 0;
  let sawH2 = false;
  let expectFile = -1;
  let firstContent = true;
  let afterH1 = false;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    if (fence) {
      if (line.trim() === fence) fence = undefined;
      continue;
    }
    if (!line.trim()) continue;
    if (afterH1) {
      if (!line.startsWith('> ')) at(n, 'a "> summary" blockquote must follow the H1');
      afterH1 = false;
    }
    if (firstContent) {
      if (!/^# \S/.test(line)) at(n, 'the first line must be the H1 "# <project name>"');
      firstContent = false;
    }
    if (expectFile >= 0) {
      if (!line.startsWith('- File: [')) at(n, `the item at line ${expectFile + 1} does not start with its "- File:" link`);
      expectFile = -1;
    }
    const f = /^(`{3,})[^`]*$/.exec(line);
    if (f) {
      fence = f[1];
      continue;
    }
    const h = ATX.exec(line);
    if (!h) continue;
    const level = h[1].length;
    if (level === 1) {
      if (++h1 > 1) at(n, 'a second H1');
      else afterH1 = true;
    } else if (level === 2) sawH2 = true;
    else if (level === 3 || level === 4) {
      if (!sawH2) at(n, `an H${level} before the first H2 group`);
      expectFile = n;
    } else at(n, `an H${level} heading outside a body`);
  }
  if (fence) problems.push(`a fenced block (${fence}) is never closed`);
  if (!h1) problems.push('there is no H1');
  return problems;
}
