/**
 * One token budget webview panel showing one project: sends the report once the webview is ready and
 * again (once per burst) after the budget watcher recomputed, and answers export requests by asking
 * where the markdown or CSV goes: a file picked in a save dialog, or a new untitled document.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { saveFile } from '../../core/atomicWrite';
import { BudgetReport, buildBudgetReport, reportCsv, reportMarkdown } from '../../core/budgetReport';
import { BudgetExportFormat, BudgetHostMessage, BudgetWebviewMessage, ProjectRef } from '../../../webview-ui/shared/protocol';
import { showError } from '../notify';
import { ProjectWebviewPanel } from '../webview/projectPanel';
import { TaskWorkspace } from '../workspace';
import { BudgetWatcher, projectPrices } from './watch';

/** The watcher fires once per computation, but a user typing in a task file makes many: one report per burst. */
const UPDATE_DELAY_MS = 100;

/** Where an export goes; without one the user is asked. */
export type ExportTarget = { kind: 'file'; uri: vscode.Uri } | { kind: 'untitled' };

export interface ExportOutcome {
  text: string;
  /** The file written, or the untitled document opened. */
  uri: vscode.Uri;
}

const SAVE_TO_FILE = 'Save to File…';
const OPEN_UNTITLED = 'Open as Untitled Document';

export class BudgetPanel extends ProjectWebviewPanel<BudgetHostMessage> {
  /** Set by tests: exports go there instead of asking. */
  exportTarget: ExportTarget | undefined;

  constructor(
    private readonly ws: TaskWorkspace,
    private readonly watcher: BudgetWatcher,
    panel: vscode.WebviewPanel,
    rootPath: string,
    extensionUri: vscode.Uri,
  ) {
    super(panel, rootPath, extensionUri, 'budget', 'Token Budgets');
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: BudgetWebviewMessage) => void this.receive(m)),
      watcher.onDidChange(() => this.scheduleUpdate()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('aiTrackdown.prices')) this.scheduleUpdate();
      }),
    );
    this.updateTitle();
  }

  /** Handle one message from the webview; resolves when it has been dealt with. */
  async receive(m: BudgetWebviewMessage): Promise<void> {
    switch (m?.type) {
      case 'ready':
        this.webviewReady = true;
        await this.ws.ready;
        if (!this.watcher.current.has(this.rootPath)) await this.watcher.settled();
        this.sendReport();
        return;
      case 'export':
        if (m.format !== 'markdown' && m.format !== 'csv') return;
        await this.exportFromWebview(m.format);
        return;
      case 'open':
        // Only files the index knows: the webview's messages are not trusted to name anything else.
        if (this.ws.index.entry(m.file)) await vscode.window.showTextDocument(vscode.Uri.file(m.file), { viewColumn: vscode.ViewColumn.Beside, preview: true });
        return;
    }
  }

  private projectRef(): ProjectRef {
    return { root: this.rootPath, name: this.ws.index.getProject(this.rootPath)?.config.name ?? path.basename(this.rootPath) };
  }

  private updateTitle() {
    this.panel.title = `Token Budgets: ${this.projectRef().name}`;
  }

  /** The report of the project as the watcher last computed it. */
  report(): BudgetReport | undefined {
    const budget = this.watcher.current.get(this.rootPath);
    const project = this.ws.index.getProject(this.rootPath);
    if (!budget || !project) return undefined;
    return buildBudgetReport(budget, projectPrices(project.config, vscode.Uri.file(this.rootPath)));
  }

  private sendReport() {
    if (!this.webviewReady) return;
    // The project went away (its config deleted, its folder closed): show another one, if any.
    if (!this.watcher.current.has(this.rootPath)) {
      const first = [...this.watcher.current.keys()][0];
      if (!first) return;
      this.rootPath = first;
      this.updateTitle();
    }
    const report = this.report();
    if (report) this.post({ type: 'report', project: this.projectRef(), report });
  }

  private scheduleUpdate() {
    this.schedule(UPDATE_DELAY_MS, () => this.sendReport());
  }

  private async exportFromWebview(format: BudgetExportFormat) {
    try {
      const done = await this.export(format, this.exportTarget);
      const where = done ? (done.uri.scheme === 'file' ? path.basename(done.uri.fsPath) : 'a new document') : undefined;
      this.post({ type: 'exportResult', format, ok: !!done, message: where ? `Exported to ${where}.` : 'Export cancelled.' });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      this.post({ type: 'exportResult', format, ok: false, message: `Export failed: ${message}` });
      void showError(`Could not export the token budget report: ${message}`);
    }
  }

  /**
   * Export the report as markdown or CSV to `target`, or where the user says; undefined when the
   * user cancelled.
   */
  async export(format: BudgetExportFormat, target?: ExportTarget): Promise<ExportOutcome | undefined> {
    const report = this.report();
    if (!report) throw new Error('the project has no usage computed yet');
    const text = format === 'markdown' ? reportMarkdown(report) : reportCsv(report);
    const to = target ?? (await this.askTarget(format));
    if (!to) return undefined;
    if (to.kind === 'file') {
      // Where the user chose to save it, so not held to the project; a file on disk is written like any other.
      if (to.uri.scheme === 'file') await saveFile(to.uri.fsPath, text, { within: null });
      else await vscode.workspace.fs.writeFile(to.uri, new TextEncoder().encode(text));
      return { text, uri: to.uri };
    }
    const doc = await vscode.workspace.openTextDocument({ content: text, language: format === 'markdown' ? 'markdown' : 'plaintext' });
    // Beside the panel: in its place it would hide the panel, which then misses the result message.
    await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.Beside });
    return { text, uri: doc.uri };
  }

  private async askTarget(format: BudgetExportFormat): Promise<ExportTarget | undefined> {
    const where = await vscode.window.showQuickPick([SAVE_TO_FILE, OPEN_UNTITLED], { title: `Export the token budget report as ${format === 'markdown' ? 'Markdown' : 'CSV'}` });
    if (where === OPEN_UNTITLED) return { kind: 'untitled' };
    if (where !== SAVE_TO_FILE) return undefined;
    const ext = format === 'markdown' ? 'md' : 'csv';
    const slug = this.projectRef().name.replace(/[^\w.-]+/g, '-') || 'project';
    const uri = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(path.join(this.rootPath, `token-budgets-${slug}.${ext}`)),
      filters: format === 'markdown' ? { Markdown: ['md'] } : { CSV: ['csv'] },
      saveLabel: 'Export',
    });
    return uri && { kind: 'file', uri };
  }
}
