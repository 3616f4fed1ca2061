/**
 * llms.txt and docs/llms-full.txt at each project root: the Generate llms.txt command, and
 * regeneration a moment after a task file of a project is saved (trusted workspaces only, when the
 * setting and the project's config allow it). A file is written only when its text changes.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { CONFIG_FILE } from '../core/config';
import { autoGenerate } from '../core/llms';
import { LlmsResult, writeLlmsFiles } from '../core/llmsFiles';
import { applyRead, readIndexedFile } from '../core/project';
import { hashText } from '../core/text';
import { COMMANDS } from './commandIds';
import { CommandTarget, resolveProject } from './commands/target';
import { showInfo } from './notify';
import { reportWriteError } from './writer';
import { TaskWorkspace } from './workspace';

export type { LlmsResult } from '../core/llmsFiles';

/** Saves closer together than this make one regeneration (per project). */
export const LLMS_DEBOUNCE_MS = 500;

export function registerLlms(context: vscode.ExtensionContext, ws: TaskWorkspace): LlmsGenerator {
  const generator = new LlmsGenerator(ws);
  context.subscriptions.push(
    generator,
    vscode.commands.registerCommand(COMMANDS.generateLlmsTxt, async (arg?: CommandTarget): Promise<LlmsResult | undefined> => {
      try {
        const project = await resolveProject(ws, arg);
        if (!project) {
          void showInfo('There is no ai-trackdown project in this workspace to write llms.txt for.');
          return undefined;
        }
        const result = await generator.generate(project.root);
        const names = (files: string[]) => files.map((f) => vscode.workspace.asRelativePath(f, true)).join(' and ');
        void showInfo(
          result.written.length
            ? `Wrote ${names(result.written)}${result.unchanged.length ? ` (${names(result.unchanged)} was already up to date)` : ''}.`
            : `${names(result.unchanged)} are already up to date.`,
        );
        return result;
      } catch (e) {
        ws.log.error(`${COMMANDS.generateLlmsTxt} failed`, e as Error);
        reportWriteError(e);
        return undefined;
      }
    }),
  );
  return generator;
}

export class LlmsGenerator implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Per root: task files saved since its last generation (the index may not have read them yet). */
  private readonly saved = new Map<string, Set<string>>();
  /** Roots saved to while the workspace was not trusted: generated once trust is granted. */
  private readonly waitingForTrust = new Set<string>();
  /** Per root: the generation under way, so two never write the same files at once. */
  private readonly running = new Map<string, Promise<unknown>>();
  private readonly generated = new vscode.EventEmitter<LlmsResult>();
  private disposed = false;
  /** Projects whose config.yaml was saved since their last regeneration. */
  private readonly configSaved = new Set<string>();
  /** Fires after each generation, also when nothing needed writing. */
  readonly onDidGenerate = this.generated.event;

  constructor(private readonly ws: TaskWorkspace) {
    this.disposables.push(
      vscode.workspace.onDidSaveTextDocument((doc) => this.onSave(doc)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        for (const root of this.waitingForTrust) this.schedule(root);
        this.waitingForTrust.clear();
      }),
      this.generated,
    );
  }

  private onSave(doc: vscode.TextDocument) {
    if (doc.uri.scheme !== 'file') return;
    const file = doc.uri.fsPath;
    // A saved config.yaml changes the project's name, folders and budgets, which the files show.
    const configOf = this.ws.index.getProjects().find((p) => path.join(p.root, CONFIG_FILE) === file)?.root;
    if (configOf) this.configSaved.add(configOf);
    const root = configOf ?? this.ws.index.entry(file)?.root ?? this.ws.index.classify(file)?.project.root;
    if (!root) return;
    let files = this.saved.get(root);
    if (!files) this.saved.set(root, (files = new Set()));
    files.add(file);
    if (!vscode.workspace.isTrusted) {
      this.waitingForTrust.add(root);
      return;
    }
    this.schedule(root);
  }

  private schedule(root: string) {
    if (this.disposed || !this.enabled(root)) return;
    clearTimeout(this.timers.get(root));
    this.timers.set(
      root,
      setTimeout(() => {
        this.timers.delete(root);
        void this.auto(root);
      }, LLMS_DEBOUNCE_MS),
    );
  }

  private enabled(root: string): boolean {
    return vscode.workspace.getConfiguration('aiTrackdown', vscode.Uri.file(root)).get<boolean>('llmsTxt.autoGenerate', true);
  }

  /** A regeneration after saves; everything is checked again, as trust, settings and config may have changed. */
  private async auto(root: string): Promise<void> {
    try {
      if (this.disposed || !vscode.workspace.isTrusted || !this.enabled(root)) return;
      await this.ws.ready;
      if (this.configSaved.delete(root)) await this.ws.configSettled(root);
      const project = this.ws.index.getProject(root);
      if (!project || !autoGenerate(project.config)) return;
      const r = await this.generate(root);
      if (r.written.length) this.ws.log.info(`llms.txt: wrote ${r.written.join(', ')}`);
    } catch (e) {
      this.ws.log.error(`llms.txt: regenerating for ${root} failed`, e as Error);
    }
  }

  /** Generate both files of a project now, one generation per project at a time. */
  generate(root: string): Promise<LlmsResult> {
    const before = this.running.get(root) ?? Promise.resolve();
    const run = before.catch(() => undefined).then(() => this.write(root));
    this.running.set(root, run);
    const clear = () => {
      if (this.running.get(root) === run) this.running.delete(root);
    };
    run.then(clear, clear);
    return run;
  }

  private async write(root: string): Promise<LlmsResult> {
    await this.ws.ready;
    this.catchUp(root);
    const project = this.ws.index.getProject(root);
    if (!project) throw new Error(`${root} is no longer an ai-trackdown project root.`);
    const result = await writeLlmsFiles(this.ws.index, project);
    this.generated.fire(result);
    return result;
  }

  /**
   * The file watcher may not have reported a save yet: a saved file the index holds other text for
   * is read now (synchronously, so nothing newer can slip in between the read and the update).
   */
  private catchUp(root: string) {
    const files = this.saved.get(root);
    if (!files) return;
    this.saved.delete(root);
    for (const file of files) {
      const outcome = readIndexedFile(this.ws.index, file);
      const indexed = this.ws.index.entry(file)?.item?.hash;
      if (outcome.text === undefined || indexed !== hashText(outcome.text)) applyRead(this.ws.index, file, outcome);
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    for (const d of this.disposables) d.dispose();
  }
}

