/**
 * Keeps the TaskIndex in step with the workspace: finds project roots in every workspace folder,
 * indexes them, and applies each file created, changed, deleted or renamed on disk.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { isDeepStrictEqual } from 'util';
import * as vscode from 'vscode';
import { CONFIG_FILE } from '../core/config';
import { Emitter } from '../core/events';
import { TaskIndex } from '../core/index';
import { applyRead, configRootsIn, discoverRoots, isSearchedFolder, loadProject, readIndexedFile, readProjectEntries } from '../core/project';
import { CONTEXT } from './commandIds';

/** Index builds shorter than this show no progress indicator. */
const PROGRESS_DELAY_MS = 400;
/** How long after our own write the file is read back, in case the watcher never reports it. */
const CONFIRM_MS = 1500;

export class TaskWorkspace implements vscode.Disposable {
  readonly index = new TaskIndex();
  private readonly disposables: vscode.Disposable[] = [];
  /** Per file: a counter that makes a slow read lose to a newer event for the same file. */
  private readonly generation = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly readyEmitter = new Emitter<void>();
  /** The reload under way per project root. */
  private readonly reloads = new Map<string, Promise<void>>();
  private readyPromise: Promise<void>;
  readonly log: vscode.LogOutputChannel;

  constructor(log: vscode.LogOutputChannel) {
    this.log = log;
    // One watcher for everything: task files, config files, and folders that come and go with files inside.
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    this.disposables.push(
      watcher,
      watcher.onDidCreate((u) => this.onFileEvent(u, 'create')),
      watcher.onDidChange((u) => this.onFileEvent(u, 'change')),
      watcher.onDidDelete((u) => this.onFileEvent(u, 'delete')),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.rescan()),
      this.index.onDidChange(() => this.updateContext()),
      this.readyEmitter,
    );
    this.readyPromise = this.scan();
  }

  /** Resolves when the first full index is built (and after each rescan). */
  get ready(): Promise<void> {
    return this.readyPromise;
  }

  rescan(): Promise<void> {
    this.readyPromise = this.readyPromise.then(() => this.scan());
    return this.readyPromise;
  }

  private async scan(): Promise<void> {
    const started = Date.now();
    const work = this.scanAll();
    const timer = setTimeout(() => {
      void vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'AI Trackdown: indexing tasks' },
        () => work,
      );
    }, PROGRESS_DELAY_MS);
    try {
      await work;
    } catch (e) {
      this.log.error('Indexing failed', e as Error);
    } finally {
      clearTimeout(timer);
    }
    this.log.info(`Indexed ${this.index.size} files in ${this.index.getProjects().length} project(s) in ${Date.now() - started} ms`);
    await vscode.commands.executeCommand('setContext', CONTEXT.ready, true);
    this.updateContext();
  }

  private async scanAll(): Promise<void> {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    const roots = folders.flatMap((f) => discoverRoots(f.uri.fsPath, this.maxDepth()));
    const wanted = new Set(roots);
    for (const p of this.index.getProjects()) if (!wanted.has(p.root)) this.index.removeProject(p.root);
    for (const root of roots) await this.reloadProject(root);
  }

  /**
   * (Re)load one project's config and re-read all its files. The index keeps serving the old entries
   * meanwhile, and a file that changed while the reads were under way keeps its newer state.
   */
  async reloadProject(root: string): Promise<void> {
    const run = this.reload(root);
    this.reloads.set(root, run);
    try {
      await run;
    } finally {
      if (this.reloads.get(root) === run) this.reloads.delete(root);
    }
  }

  /**
   * Resolves once the project holds the config that is on disk now: after a reload under way, or
   * after one started here when the file watcher has not reported the change yet.
   */
  async configSettled(root: string): Promise<void> {
    await this.reloads.get(root)?.catch(() => undefined);
    const onDisk = await loadProject(root);
    const loaded = this.index.getProject(root);
    if (!loaded || !isDeepStrictEqual(loaded.config, onDisk.config) || loaded.hasConfig !== onDisk.hasConfig) await this.reloadProject(root);
  }

  private async reload(root: string): Promise<void> {
    const project = await loadProject(root);
    for (const err of project.configErrors) this.log.warn(`${path.join(root, CONFIG_FILE)}: ${err.message}`);
    const current = this.index.getProject(root);
    // Its errors too: an error moves with its value (a line added above it) while the config stays the same.
    const same = current && isDeepStrictEqual(current.config, project.config) && current.hasConfig === project.hasConfig && isDeepStrictEqual(current.configErrors, project.configErrors);
    if (!same) this.index.setProject(project);
    const active = this.index.getProject(root);
    const before = new Map(this.generation);
    const read = await readProjectEntries(this.index, project);
    // A newer config came in while reading: its own reload has the say.
    if (this.index.getProject(root) !== active) return;
    const untouched = (file: string) => (this.generation.get(file) ?? 0) === (before.get(file) ?? 0);
    const listed = new Set(read.map((r) => r.file));
    this.index.batch(() => {
      for (const r of read) {
        if (!untouched(r.file)) continue;
        if (r.entry) this.index.put(r.entry);
        else this.index.remove(r.file);
      }
      for (const e of [...this.index.allEntries()]) if (e.root === root && !listed.has(e.file) && untouched(e.file)) this.index.remove(e.file);
    });
    this.log.info(`${root}: ${read.length} task files`);
  }

  private onFileEvent(uri: vscode.Uri, kind: 'create' | 'change' | 'delete') {
    if (uri.scheme !== 'file') return;
    const file = uri.fsPath;
    if (file.endsWith(CONFIG_FILE)) {
      if (kind === 'change') void this.reloadProject(path.dirname(path.dirname(file)));
      else void this.rescan();
      return;
    }
    if (!file.endsWith('.md')) {
      this.onOtherEvent(file, kind);
      return;
    }
    if (!this.index.classify(file)) {
      // A tasks/ folder appearing in a workspace folder without any project makes it an older-format project.
      if (kind === 'create' && !this.index.projectOf(file) && this.isUnderWorkspaceTasks(file)) void this.rescan();
      return;
    }
    this.generation.set(file, (this.generation.get(file) ?? 0) + 1);
    if (kind === 'delete') {
      this.index.remove(file);
      return;
    }
    // The watcher reports links and FIFOs as well as files: the read applies the same rule as the scan.
    applyRead(this.index, file, readIndexedFile(this.index, file));
  }

  /** A folder deleted, created or renamed reports only itself: re-read what lies under it. */
  private onOtherEvent(p: string, kind: 'create' | 'change' | 'delete') {
    if (kind === 'change') return;
    const under = (q: string) => q.startsWith(p + path.sep);
    if (kind === 'delete') {
      if (this.index.getProjects().some((pr) => pr.root === p || under(pr.root))) {
        void this.rescan();
        return;
      }
      this.index.batch(() => {
        for (const e of [...this.index.allEntries()]) if (under(e.file)) this.index.remove(e.file);
      });
      return;
    }
    const project = this.index.projectOf(p);
    const tasksRoot = project && path.join(project.root, project.config.tasksDir);
    const inTasks = !!tasksRoot && (p === tasksRoot || p.startsWith(tasksRoot + path.sep));
    const search = inTasks ? undefined : this.projectSearch(p);
    if (!inTasks && !search) return;
    void fs.stat(p).then(
      (st) => {
        if (!st.isDirectory()) return;
        // A folder made with files inside (copied, checked out, unpacked) is often all the watcher reports.
        if (inTasks) void this.reloadProject(project.root);
        else if (search?.()) void this.rescan();
      },
      () => undefined,
    );
  }

  /**
   * Where a folder that appeared could hold a project not indexed yet (its own config, one further
   * down, or the tasks/ of an older-format project): a check to run once it is known to be a folder,
   * or undefined when it cannot (outside the workspace, below maxDepth, in node_modules or a hidden folder).
   */
  private projectSearch(dir: string): (() => boolean) | undefined {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(dir));
    if (!folder) return undefined;
    if (!this.index.projectOf(dir) && this.isUnderWorkspaceTasks(dir)) return () => true;
    // `.ai-trackdown` appearing makes its parent a project.
    const base = path.basename(dir) === path.dirname(CONFIG_FILE) ? path.dirname(dir) : dir;
    const segments = path.relative(folder.uri.fsPath, base).split(path.sep).filter(Boolean);
    const depthLeft = this.maxDepth() - segments.length;
    if (depthLeft < 0 || !segments.every(isSearchedFolder)) return undefined;
    return () => configRootsIn(base, depthLeft).some((root) => !this.index.getProject(root));
  }

  private maxDepth(): number {
    return vscode.workspace.getConfiguration('aiTrackdown').get<number>('discovery.maxDepth', 4);
  }

  /** Put text we just wrote into the index at once, without waiting for the watcher. */
  noteWritten(file: string, text: string): void {
    this.index.set(file, text);
    this.confirmLater(file);
  }

  /** Take a file we just deleted out of the index at once. */
  noteRemoved(file: string): void {
    this.index.remove(file);
    this.confirmLater(file);
  }

  /**
   * The watcher folds a create and a delete that come close together into no event at all, so a file
   * we put in the index ourselves is read back once more unless an event for it arrived meanwhile.
   */
  private confirmLater(file: string): void {
    const gen = (this.generation.get(file) ?? 0) + 1;
    this.generation.set(file, gen);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.generation.get(file) !== gen) return;
      applyRead(this.index, file, readIndexedFile(this.index, file));
    }, CONFIRM_MS);
    this.timers.add(timer);
  }

  private isUnderWorkspaceTasks(file: string): boolean {
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file));
    if (!folder) return false;
    const rel = path.relative(folder.uri.fsPath, file).split(path.sep);
    return rel[0] === 'tasks';
  }

  private updateContext() {
    const projects = this.index.getProjects();
    let legacy = false;
    for (const item of this.index.items()) if (item.format === 'legacy') { legacy = true; break; }
    void vscode.commands.executeCommand('setContext', CONTEXT.hasProject, projects.length > 0);
    void vscode.commands.executeCommand('setContext', CONTEXT.empty, this.index.size === 0);
    void vscode.commands.executeCommand('setContext', CONTEXT.hasLegacy, legacy);
  }

  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}
