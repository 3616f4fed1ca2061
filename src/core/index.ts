/**
 * TaskIndex: every task file of every project in memory, updated one file at a time.
 * Links resolve within a project root; duplicates are kept, never dropped.
 */
import * as path from 'path';
import { ConfigError, FOLDER_TYPES, ProjectConfig } from './config';
import { Emitter } from './events';
import { FilesById } from './filesById';
import { isClosed, Item, ItemType, Problem, Range, State } from './model';
import { parseItem } from './parse';

export interface Project {
  root: string;
  config: ProjectConfig;
  /** Problems with config.yaml; defaults fill in. */
  configErrors: ConfigError[];
  /** False for a folder that has tasks/ but no .ai-trackdown/config.yaml. */
  hasConfig: boolean;
}

export interface IndexEntry {
  file: string;
  root: string;
  type: ItemType;
  item?: Item;
  /** Problems found in the file alone (syntax, schema, id); cross-file ones come from linkProblems(). */
  problems: Problem[];
}

export interface IndexChange {
  /** Files added, changed or removed; empty with `all` when a project came or went. */
  files: string[];
  all?: boolean;
}

/** Is `p` strictly below `dir`? Both are normalized absolute paths. */
const isUnder = (dir: string, p: string) => p.length > dir.length && p.startsWith(dir) && (p[dir.length] === path.sep || dir.endsWith(path.sep));

interface Layout {
  /** Type folder → type. */
  folders: Map<string, ItemType>;
  /** The folder holding one folder of comments per issue. */
  comments?: string;
}

export class TaskIndex {
  private readonly projects = new Map<string, Project>();
  private readonly layouts = new WeakMap<Project, Layout>();
  private readonly entries = new Map<string, IndexEntry>();
  private readonly filesById = new FilesById();
  /** Files by the parent id they name. */
  private readonly childFiles = new FilesById();
  private readonly changed = new Emitter<IndexChange>();
  private batchDepth = 0;
  private pending: IndexChange = { files: [] };

  readonly onDidChange = this.changed.event;

  // ---- projects

  // One event for the whole project, not one per file it held.
  setProject(project: Project): void {
    const existing = this.projects.get(project.root);
    this.projects.set(project.root, project);
    this.batch(() => {
      if (existing) for (const e of [...this.entries.values()]) if (e.root === project.root) this.remove(e.file);
      this.emitAll();
    });
  }

  removeProject(root: string): void {
    if (!this.projects.delete(root)) return;
    this.batch(() => {
      for (const e of [...this.entries.values()]) if (e.root === root) this.remove(e.file);
      this.emitAll();
    });
  }

  getProjects(): Project[] {
    return [...this.projects.values()];
  }

  getProject(root: string): Project | undefined {
    return this.projects.get(root);
  }

  /** The project a path lies in (the deepest root that contains it). */
  projectOf(file: string): Project | undefined {
    let best: Project | undefined;
    for (const p of this.projects.values()) {
      if ((file === p.root || isUnder(p.root, file)) && (!best || p.root.length > best.root.length)) best = p;
    }
    return best;
  }

  /** Whether a path is a task file of a project, and of which type. Mirrors how the CLI reads folders. */
  classify(file: string): { project: Project; type: ItemType } | undefined {
    if (!file.endsWith('.md')) return undefined;
    const project = this.projectOf(file);
    if (!project) return undefined;
    const layout = this.layoutOf(project);
    const dir = path.dirname(file);
    const type = layout.folders.get(dir);
    if (type) return { project, type };
    // issues/comments/<ISSUE>/<file>.md
    const issueDir = path.dirname(dir);
    if (issueDir === layout.comments) return { project, type: 'comment' };
    return undefined;
  }

  /** Where a project's type folders are, computed once per project (classify runs for every file). */
  private layoutOf(project: Project): Layout {
    let layout = this.layouts.get(project);
    if (!layout) {
      const tasksRoot = path.join(project.root, project.config.tasksDir);
      const folders = new Map<string, ItemType>();
      for (const type of FOLDER_TYPES) {
        const dir = path.join(tasksRoot, project.config.dirs[type]);
        // A folder outside the tasks folder is not the CLI's; the first type wins when two share one.
        if (isUnder(tasksRoot, dir) && !folders.has(dir)) folders.set(dir, type);
      }
      const issues = path.join(tasksRoot, project.config.dirs.issue);
      layout = { folders, comments: isUnder(tasksRoot, issues) ? path.join(issues, 'comments') : undefined };
      this.layouts.set(project, layout);
    }
    return layout;
  }

  // ---- files

  /** Parse and index one file's text. Returns false when the path is not a task file. */
  set(file: string, text: string): boolean {
    const entry = this.parse(file, text);
    if (entry) this.put(entry);
    return !!entry;
  }

  /** Index a file that could not be read or was too large, with the reason as its only problem. */
  setUnreadable(file: string, problem: Problem): boolean {
    const entry = this.unreadable(file, problem);
    if (entry) this.put(entry);
    return !!entry;
  }

  /** The entry a file's text makes, without indexing it (undefined when the path is not a task file). */
  /** `hash`: hashText(text), when the caller already has it. */
  parse(file: string, text: string, hash?: string): IndexEntry | undefined {
    const where = this.classify(file);
    if (!where) return undefined;
    const { item, problems } = parseItem(text, { file, root: where.project.root, type: where.type, config: where.project.config, hash });
    return { file, root: where.project.root, type: where.type, item, problems };
  }

  /** The entry of a file that could not be read, without indexing it. */
  unreadable(file: string, problem: Problem): IndexEntry | undefined {
    const where = this.classify(file);
    return where && { file, root: where.project.root, type: where.type, problems: [problem] };
  }

  /** Index an entry made by parse() or unreadable(), replacing what the file held. */
  put(entry: IndexEntry): void {
    this.store(entry);
  }

  private store(entry: IndexEntry) {
    this.unlink(entry.file);
    this.entries.set(entry.file, entry);
    if (entry.item) {
      this.filesById.add(entry.root, entry.item.id, entry.file);
      if (entry.item.parentId) this.childFiles.add(entry.root, entry.item.parentId, entry.file);
    }
    this.emitFile(entry.file);
  }

  remove(file: string): void {
    if (!this.entries.has(file)) return;
    this.unlink(file);
    this.entries.delete(file);
    this.emitFile(file);
  }

  private unlink(file: string) {
    const old = this.entries.get(file);
    if (!old?.item) return;
    this.filesById.remove(old.root, old.item.id, file);
    if (old.item.parentId) this.childFiles.remove(old.root, old.item.parentId, file);
  }

  /** Run several updates and fire one change event at the end. */
  batch(fn: () => void): void {
    this.batchDepth++;
    try {
      fn();
    } finally {
      if (--this.batchDepth === 0 && (this.pending.files.length || this.pending.all)) {
        const e = this.pending;
        this.pending = { files: [] };
        this.changed.fire(e);
      }
    }
  }

  private emitFile(file: string) {
    if (this.batchDepth > 0) this.pending.files.push(file);
    else this.changed.fire({ files: [file] });
  }

  private emitAll() {
    if (this.batchDepth > 0) this.pending.all = true;
    else this.changed.fire({ files: [], all: true });
  }

  // ---- queries

  get size(): number {
    return this.entries.size;
  }
  entry(file: string): IndexEntry | undefined {
    return this.entries.get(file);
  }
  allEntries(): IterableIterator<IndexEntry> {
    return this.entries.values();
  }
  *items(root?: string): IterableIterator<Item> {
    for (const e of this.entries.values()) if (e.item && (!root || e.root === root)) yield e.item;
  }
  /** Every item with this id in the project (more than one means a duplicate). */
  byId(root: string, id: string): Item[] {
    return this.filesById.get(root, id).map((f) => this.entries.get(f)!.item!);
  }
  /** Direct children: issues of an epic; tasks, PRs and comments of an issue; tasks that name only an epic. */
  children(item: Item): Item[] {
    return this.childFiles.get(item.root, item.id).map((f) => this.entries.get(f)!.item!);
  }
  parent(item: Item): Item | undefined {
    return item.parentId ? this.byId(item.root, item.parentId)[0] : undefined;
  }
  byState(state: State | undefined, root?: string): Item[] {
    return [...this.items(root)].filter((i) => i.state === state);
  }
  /** Closed and total of an item's children; comments and won't-do items are not work to finish. */
  progress(item: Item): { done: number; total: number } {
    const kids = this.children(item).filter((c) => c.type !== 'comment' && c.state !== 'won_t_do');
    return { done: kids.filter((c) => isClosed(c.state)).length, total: kids.length };
  }

  /** Problems that depend on other files: links naming no item, and ids used by several files. */
  linkProblems(item: Item | undefined): Problem[] {
    if (!item) return [];
    const file = item.file;
    const problems: Problem[] = [];
    const links: [string, string | undefined][] = item.format === 'legacy'
      ? [['epic', item.epicId], ['issue', item.issueId]]
      : item.type === 'comment'
        ? []
        : [['epic_id', item.epicId], ['issue_id', item.issueId]];
    for (const [k, id] of links) {
      if (!id || this.byId(item.root, id).length) continue;
      problems.push({
        code: 'broken-link',
        severity: 'warning',
        message: `${k}: no item ${id} exists in this project.`,
        range: item.keys.get(k)?.value ?? firstLine,
        data: { key: k, value: id },
      });
    }
    // Any other file with this id, also when `item` was parsed from unsaved text and is not in the index yet.
    for (const other of this.filesById.get(item.root, item.id)) {
      if (other === file) continue;
      const idKeyName = item.keys.names().find((k) => item.data[k] === item.id && /(^|_)id$/.test(k));
      problems.push({
        code: 'duplicate-id',
        severity: 'error',
        message: `Duplicate id ${item.id}: also used by ${path.relative(item.root, other)}.`,
        range: (idKeyName && item.keys.get(idKeyName)?.value) || firstLine,
        data: { otherFile: other, value: item.id },
      });
    }
    return problems;
  }
}

const firstLine: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } };

