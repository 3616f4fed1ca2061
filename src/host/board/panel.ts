/**
 * One board webview panel showing one project: sends the cards once the webview is ready, then only
 * the cards that changed, and turns a card dropped on a column into a state transition written
 * through the same workflow rules and edit module as the Change State command.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { diffCards, projectCards } from '../../core/board';
import { normalizeBoardSettings, planMove } from '../../core/boardLayout';
import { State, STATE_LABELS, STATES } from '../../core/model';
import { currentState, TransitionError } from '../../core/workflow';
import { HostMessage, ProjectRef, WebviewMessage } from '../../../webview-ui/shared/protocol';
import { askForceReason, writeTransition } from '../commands/state';
import { showWarning } from '../notify';
import { reportWriteError } from '../writer';
import { TaskWorkspace } from '../workspace';
import { ProjectWebviewPanel } from '../webview/projectPanel';

/** Index events come in bursts (a git checkout, a save that touches parents): send one update per burst. */
const UPDATE_DELAY_MS = 80;

export class BoardPanel extends ProjectWebviewPanel<HostMessage> {
  /** Each card's JSON as the webview last got it, by file. */
  private readonly sent = new Map<string, string>();
  /** A project came or went since the last message: the next one is a whole new board. */
  private projectsChanged = false;

  constructor(
    private readonly ws: TaskWorkspace,
    panel: vscode.WebviewPanel,
    rootPath: string,
    extensionUri: vscode.Uri,
  ) {
    super(panel, rootPath, extensionUri, 'board');
    this.disposables.push(
      panel.webview.onDidReceiveMessage((m: WebviewMessage) => void this.receive(m)),
      ws.index.onDidChange((e) => {
        if (e.all) this.projectsChanged = true;
        this.scheduleUpdate();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('aiTrackdown.board')) this.sendInit();
      }),
    );
    this.updateTitle();
  }

  /** Handle one message from the webview; resolves when it has been dealt with. */
  async receive(m: WebviewMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.webviewReady = true;
        await this.ws.ready;
        this.sendInit();
        return;
      case 'open':
        // Beside the board, so that the board stays in view.
        if (this.ws.index.entry(m.file)) await vscode.window.showTextDocument(vscode.Uri.file(m.file), { viewColumn: vscode.ViewColumn.Beside, preview: true });
        return;
      case 'selectProject':
        if (!this.ws.index.getProject(m.root) || m.root === this.rootPath) return;
        this.rootPath = m.root;
        this.updateTitle();
        this.sendInit();
        return;
      case 'move':
        await this.move(m);
        return;
    }
  }

  private projectRef(root: string): ProjectRef {
    return { root, name: this.ws.index.getProject(root)?.config.name ?? path.basename(root) };
  }

  private updateTitle() {
    this.panel.title = `Board: ${this.projectRef(this.rootPath).name}`;
  }

  private settings() {
    const config = vscode.workspace.getConfiguration('aiTrackdown', vscode.Uri.file(this.rootPath));
    return normalizeBoardSettings(config.get('board.columns'), config.get('board.wipLimits'), STATES);
  }

  private sendInit() {
    if (!this.webviewReady) return;
    this.projectsChanged = false;
    // The project was removed (its config deleted, its folder closed): show another one, if any.
    const first = this.ws.index.getProjects()[0];
    if (!this.ws.index.getProject(this.rootPath) && first) {
      this.rootPath = first.root;
      this.updateTitle();
    }
    this.sent.clear();
    const { cards, epics } = projectCards(this.ws.index, this.rootPath);
    diffCards(this.sent, cards);
    this.post({
      type: 'init',
      project: this.projectRef(this.rootPath),
      projects: this.ws.index.getProjects().map((p) => this.projectRef(p.root)),
      cards,
      epics,
      settings: this.settings(),
    });
  }

  private scheduleUpdate() {
    this.schedule(UPDATE_DELAY_MS, () => this.sendUpdate());
  }

  private sendUpdate() {
    if (!this.webviewReady) return;
    if (this.projectsChanged) {
      this.sendInit();
      return;
    }
    const { cards, epics } = projectCards(this.ws.index, this.rootPath);
    const { upserts, removes } = diffCards(this.sent, cards);
    if (upserts.length || removes.length) this.post({ type: 'update', upserts, removes, epics });
  }

  private async move(m: Extract<WebviewMessage, { type: 'move' }>) {
    const result = (ok: boolean, message?: string) => this.post({ type: 'moveResult', requestId: m.requestId, file: m.file, ok, message });
    if (!STATES.includes(m.to) || !STATES.includes(m.from)) {
      result(false, `${String(m.to)} is not a state of the workflow.`);
      return;
    }
    const item = this.ws.index.entry(m.file)?.item;
    if (!item) {
      result(false, `${path.basename(m.file)} is no longer a task file the board can change.`);
      return;
    }
    const from = currentState(item);
    if (from !== m.from) {
      // The card was dragged from where the board showed it before the file changed.
      result(false, `${item.id} is ${STATE_LABELS[from]} now, not ${STATE_LABELS[m.from]}; nothing was changed.`);
      this.sendUpdate();
      return;
    }
    const plan = planMove({ state: from }, m.to);
    if (plan.kind === 'none') {
      result(true);
      return;
    }
    if (plan.kind === 'refused') {
      result(false, plan.message);
      void this.offerForce(item.file, m.to, plan.message);
      return;
    }
    try {
      await writeTransition(this.ws, item, m.to);
      const unsaved = vscode.workspace.textDocuments.some((d) => d.uri.scheme === 'file' && d.uri.fsPath === item.file && d.isDirty);
      result(true, unsaved ? `changed to ${STATE_LABELS[m.to]} in its editor, which has unsaved changes: the file changes when you save it.` : undefined);
      // The webview shows the card where it was dropped until it gets the card as the file now is.
      this.sent.delete(item.file);
      this.scheduleUpdate();
    } catch (e) {
      result(false, e instanceof Error ? e.message : String(e));
      if (!(e instanceof TransitionError)) reportWriteError(e);
    }
  }

  /** A refused drop snaps back; the message offers to force the transition, recorded as a manual override. */
  private async offerForce(file: string, to: State, message: string) {
    const choice = await showWarning(message, 'Force…');
    if (choice !== 'Force…') return;
    const item = this.ws.index.entry(file)?.item;
    if (!item) return;
    const reason = await askForceReason(item, to);
    if (reason === undefined) return;
    try {
      await writeTransition(this.ws, item, to, { force: true, reason });
    } catch (e) {
      reportWriteError(e);
    }
  }
}
