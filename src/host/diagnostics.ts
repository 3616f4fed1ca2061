/**
 * The problems of every task file as diagnostics: from the index for files as they are on disk, from
 * the current text for task files open in an editor (re-checked shortly after typing stops), with
 * cross-file checks (links, duplicate ids) against the index. Only files whose diagnostics changed
 * are sent, so a keystroke or a saved file never re-sends the whole workspace.
 */
import * as vscode from 'vscode';
import { IndexChange } from '../core/index';
import { LinkDependents } from '../core/linkDependents';
import { idKey, Item, Problem, Severity } from '../core/model';
import { overBudgetByFile, problemsOf } from '../core/problems';
import { BudgetWatcher } from './budget/watch';
import { parsedDocument } from './language/parsedDocument';
import { toRange } from './language/positions';
import { TaskWorkspace } from './workspace';

export const DIAGNOSTIC_SOURCE = 'ai-trackdown';
export const DIAGNOSTICS_SETTING = 'aiTrackdown.diagnostics.enabled';
/** How long typing must pause before an open document is checked again. */
const LIVE_DELAY_MS = 150;
/**
 * Files checked in one turn of the event loop. More (a first index, a project reloaded) are checked
 * a chunk a turn, so that the trees and everything else that waits on the index go first.
 */
const CHUNK = 500;

const SEVERITY: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

const isEnabled = () => vscode.workspace.getConfiguration().get<boolean>(DIAGNOSTICS_SETTING, true);

/** What a file's diagnostics are made of: an item (if it parsed) and its own problems. */
interface Shown {
  item?: Item;
  problems: readonly Problem[];
}

class TaskDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  /** Per file with diagnostics: a signature of what was sent, to skip sending the same again. */
  private readonly sent = new Map<string, string>();
  /** Open markdown documents on disk, by path. */
  private readonly docs = new Map<string, vscode.TextDocument>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Files waiting to be checked, in the order they came, and the turn that checks the next chunk. */
  private readonly queued = new Set<string>();
  private nextChunk: ReturnType<typeof setImmediate> | undefined;
  private readonly dependents = new LinkDependents();
  /** Epics over their budget, by file: what they used and their budget. */
  private overBudget = new Map<string, { used: number; budget: number }>();
  private readonly disposables: vscode.Disposable[];
  private enabled = isEnabled();

  constructor(
    private readonly ws: TaskWorkspace,
    private readonly budgets: BudgetWatcher,
  ) {
    for (const doc of vscode.workspace.textDocuments) this.track(doc);
    this.disposables = [
      this.collection,
      budgets.onDidChange(() => this.onBudgetChange()),
      ws.index.onDidChange((e) => this.onIndexChange(e)),
      vscode.workspace.onDidOpenTextDocument((doc) => {
        const file = this.track(doc);
        if (file) this.update([file]);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        const file = this.track(e.document);
        if (file && e.contentChanges.length) this.schedule(file);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => this.untrack(doc)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration(DIAGNOSTICS_SETTING)) this.setEnabled(isEnabled());
      }),
    ];
    this.refresh([]);
  }

  private track(doc: vscode.TextDocument): string | undefined {
    if (doc.uri.scheme !== 'file' || !doc.uri.fsPath.endsWith('.md')) return undefined;
    this.docs.set(doc.uri.fsPath, doc);
    return doc.uri.fsPath;
  }

  /** A closed document falls back to what the index holds for its file on disk. */
  private untrack(doc: vscode.TextDocument) {
    const file = doc.uri.fsPath;
    if (this.docs.get(file) !== doc) return;
    this.docs.delete(file);
    clearTimeout(this.timers.get(file));
    this.timers.delete(file);
    this.update([file]);
  }

  private schedule(file: string) {
    clearTimeout(this.timers.get(file));
    this.timers.set(
      file,
      setTimeout(() => {
        this.timers.delete(file);
        this.update([file]);
      }, LIVE_DELAY_MS),
    );
  }

  private onIndexChange(e: IndexChange) {
    if (!this.enabled) return;
    const todo = new Set<string>();
    for (const file of e.files) for (const f of this.dependents.indexChanged(file, this.ws.index.entry(file)?.item)) todo.add(f);
    if (e.all) this.refresh(todo);
    else this.update(todo);
  }

  /** Epics that went over their budget, came back under it, or whose figures changed while over it. */
  private onBudgetChange() {
    const next = overBudgetByFile([...this.budgets.current.values()].flatMap((p) => p.lines));
    const changed = [...new Set([...next.keys(), ...this.overBudget.keys()])].filter(
      (f) => next.get(f)?.used !== this.overBudget.get(f)?.used || next.get(f)?.budget !== this.overBudget.get(f)?.budget,
    );
    this.overBudget = next;
    if (changed.length) this.update(changed);
  }

  /** Re-check every file: the index's, the open documents and those that had diagnostics. */
  private refresh(extra: Iterable<string>) {
    const files = new Set([...extra, ...this.sent.keys(), ...this.docs.keys()]);
    for (const e of this.ws.index.allEntries()) {
      this.dependents.indexChanged(e.file, e.item);
      files.add(e.file);
    }
    this.update(files);
  }

  private setEnabled(on: boolean) {
    if (on === this.enabled) return;
    this.enabled = on;
    this.cancelPending();
    this.collection.clear();
    this.sent.clear();
    this.dependents.clear();
    if (on) this.refresh([]);
  }

  /** The open document's current text when it is a task file, else the index's entry for the file. */
  private shown(file: string): Shown | undefined {
    const doc = this.docs.get(file);
    const parsed = doc && parsedDocument(this.ws, doc);
    if (parsed) return parsed.result;
    return this.ws.index.entry(file);
  }

  /** Check `files` again: now when they are few and nothing is waiting, else a chunk a turn. */
  private update(files: Iterable<string>) {
    if (!this.enabled) return;
    for (const file of files) this.queued.add(file);
    if (!this.nextChunk && this.queued.size <= CHUNK) this.checkChunk();
    else this.nextChunk ??= setImmediate(() => this.checkChunk());
  }

  private checkChunk() {
    this.nextChunk = undefined;
    const chunk: string[] = [];
    for (const file of this.queued) {
      if (chunk.length === CHUNK) break;
      chunk.push(file);
    }
    for (const file of chunk) this.queued.delete(file);
    if (this.queued.size) this.nextChunk = setImmediate(() => this.checkChunk());
    this.send(chunk);
  }

  /** Work out the diagnostics of `files` and send those that changed. */
  private send(files: readonly string[]) {
    const changes: [vscode.Uri, vscode.Diagnostic[] | undefined][] = [];
    for (const file of files) {
      const shown = this.shown(file);
      this.dependents.setShown(file, shown?.item);
      const problems = shown ? problemsOf(this.ws.index, file, shown, this.overBudget) : [];
      const signature = problems.length ? JSON.stringify(problems.map((p) => [p.code, p.severity, p.message, p.range])) : undefined;
      if (signature === this.sent.get(file)) continue;
      if (signature) this.sent.set(file, signature);
      else this.sent.delete(file);
      changes.push([vscode.Uri.file(file), signature ? problems.map((p) => this.toDiagnostic(p)) : undefined]);
    }
    if (changes.length) this.collection.set(changes);
  }

  private toDiagnostic(p: Problem): vscode.Diagnostic {
    const d = new vscode.Diagnostic(toRange(p.range), p.message, SEVERITY[p.severity]);
    d.source = DIAGNOSTIC_SOURCE;
    d.code = p.code;
    if (p.code === 'leaked-key') d.tags = [vscode.DiagnosticTag.Unnecessary];
    const other = p.code === 'duplicate-id' ? p.data?.otherFile : undefined;
    if (other) {
      const item = this.ws.index.entry(other)?.item;
      const at = item?.keys.get(idKey(item.type, item.format))?.value;
      const location = new vscode.Location(vscode.Uri.file(other), at ? toRange(at) : new vscode.Position(0, 0));
      d.relatedInformation = [new vscode.DiagnosticRelatedInformation(location, `${p.data?.value} is also the id of this file`)];
    }
    return d;
  }

  /** Drop the checks waiting: the typing pauses and the queued files. */
  private cancelPending() {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    if (this.nextChunk) clearImmediate(this.nextChunk);
    this.nextChunk = undefined;
    this.queued.clear();
  }

  dispose(): void {
    this.cancelPending();
    for (const d of this.disposables) d.dispose();
  }
}

export function registerDiagnostics(context: vscode.ExtensionContext, ws: TaskWorkspace, budgets: BudgetWatcher): void {
  context.subscriptions.push(new TaskDiagnostics(ws, budgets));
}
