/** The sync status bar item: when the last sync ran and how many conflicts wait; a click shows the status. */
import * as vscode from 'vscode';
import { COMMANDS } from '../commandIds';
import { SyncService } from './service';

/** What the item shows, as plain data. */
export interface StatusBarView {
  visible: boolean;
  text: string;
  /** In the warning colours: conflicts or failures. */
  warning: boolean;
}

export class SyncStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('aiTrackdown.sync', vscode.StatusBarAlignment.Right, 99);
  private visible = false;
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly service: SyncService) {
    this.item.name = 'AI Trackdown Sync';
    this.item.command = COMMANDS.syncStatus;
    this.disposables = [this.item, service.onDidChange(() => this.update()), vscode.workspace.onDidGrantWorkspaceTrust(() => this.update())];
    this.update();
  }

  update(): void {
    const statuses = this.service.statuses();
    // Nothing to show where nothing is configured, and nothing is sent in an untrusted workspace.
    if (!statuses.length || !vscode.workspace.isTrusted) {
      this.item.hide();
      this.visible = false;
      return;
    }
    const conflicts = statuses.reduce((n, s) => n + s.conflicts.length, 0);
    const errors = statuses.filter((s) => s.error).length;
    const unconfirmed = statuses.filter((s) => s.unconfirmed).length;
    const last = statuses.map((s) => s.lastSync).filter((t): t is string => !!t).sort().pop();
    const when = last ? new Date(last).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }) : undefined;
    const icon = this.service.running ? '$(sync~spin)' : '$(sync)';
    const parts = [this.service.running ? 'Syncing\u2026' : when ? `Synced ${when}` : 'Not synced'];
    if (conflicts) parts.push(`${conflicts} conflict${conflicts === 1 ? '' : 's'}`);
    if (errors) parts.push(`${errors} failed`);
    if (unconfirmed) parts.push(`${unconfirmed} to confirm`);
    this.item.text = `${icon} ${parts.join(' · ')}`;
    this.item.backgroundColor = conflicts || errors ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    const md = new vscode.MarkdownString();
    for (const s of statuses) {
      md.appendMarkdown('**').appendText(`${s.label} · ${s.projectName}`).appendMarkdown('**: ');
      md.appendText(s.lastSync ? `last sync ${new Date(s.lastSync).toLocaleString()}` : 'never synced');
      md.appendText(` · ${s.linked} linked`);
      if (s.conflicts.length) md.appendText(` · ${s.conflicts.length} conflict${s.conflicts.length === 1 ? '' : 's'}`);
      if (s.error) md.appendText(` · ${s.error}`);
      if (s.unconfirmed) md.appendText(' · target not confirmed yet: Sync Now asks, and nothing is sent to it until then');
      md.appendMarkdown('\n\n');
    }
    this.item.tooltip = md;
    this.item.accessibilityInformation = { label: `Sync: ${parts.join(', ')}` };
    this.item.show();
    this.visible = true;
  }

  view(): StatusBarView {
    return { visible: this.visible, text: this.item.text, warning: !!this.item.backgroundColor };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
