/**
 * What every webview panel of a project has in common: its page, posting only once the page said it
 * is ready (a hidden panel's page is unloaded and says `ready` again when shown), one update per burst
 * of changes, and disposal.
 */
import * as vscode from 'vscode';
import { Emitter } from '../../core/events';
import { loadPage } from './page';

export abstract class ProjectWebviewPanel<Out> implements vscode.Disposable {
  protected readonly disposables: vscode.Disposable[] = [];
  private readonly posted = new Emitter<Out>();
  private readonly disposed = new Emitter<void>();
  /** The page loaded its script and asked for its data; until then nothing is posted. */
  protected webviewReady = false;
  private timer: NodeJS.Timeout | undefined;

  /** Every message sent to the webview (for the API and the tests). */
  readonly onDidPost = this.posted.event;
  readonly onDidDispose = this.disposed.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    protected rootPath: string,
    extensionUri: vscode.Uri,
    page: 'board' | 'budget',
    title?: string,
  ) {
    loadPage(panel, extensionUri, page, title);
    this.disposables.push(
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.webviewReady = false;
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  get root(): string {
    return this.rootPath;
  }

  protected post(m: Out): void {
    if (!this.webviewReady) return;
    void this.panel.webview.postMessage(m);
    this.posted.fire(m);
  }

  /** Run `update` `delayMs` after the first of a burst of changes (nothing while the page is not ready). */
  protected schedule(delayMs: number, update: () => void): void {
    if (this.timer || !this.webviewReady) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      update();
    }, delayMs);
  }

  reveal(): void {
    this.panel.reveal();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.webviewReady = false;
    for (const d of this.disposables.splice(0)) d.dispose();
    this.disposed.fire();
    this.disposed.dispose();
    this.posted.dispose();
    this.panel.dispose();
  }
}
