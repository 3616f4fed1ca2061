/**
 * The status bar item: tokens used by the epic of the active task file (or by the project), against
 * its budget when it has one, in the warning or error colours once an alert threshold is reached;
 * its tooltip lists every budget of the project.
 */
import * as vscode from 'vscode';
import { TaskIndex } from '../../core/index';
import { Item } from '../../core/model';
import { budgetRatio, rolledUsage, thresholdReached } from '../../core/tokens';
import { COMMANDS } from '../commandIds';
import { TaskWorkspace } from '../workspace';
import { BudgetWatcher, ProjectBudget } from './watch';

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const full = (n: number) => n.toLocaleString('en');
const pct = (r: number) => `${Math.round(r * 100)}%`;

function epicOf(index: TaskIndex, item: Item): Item | undefined {
  for (let cur: Item | undefined = item, hops = 0; cur && hops < 4; cur = index.parent(cur), hops++) if (cur.type === 'epic') return cur;
  const byId = item.epicId ? index.byId(item.root, item.epicId)[0] : undefined;
  return byId?.type === 'epic' ? byId : undefined;
}

export class BudgetStatusBar implements vscode.Disposable {
  readonly item = vscode.window.createStatusBarItem('aiTrackdown.budget', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly ws: TaskWorkspace,
    private readonly budgets: BudgetWatcher,
  ) {
    this.item.name = 'AI Trackdown Token Budget';
    this.item.command = COMMANDS.openBudget;
    this.disposables = [this.item, budgets.onDidChange(() => this.update()), vscode.window.onDidChangeActiveTextEditor(() => this.update())];
    this.update();
  }

  /** The project the status bar speaks of: the active file's, else the only one. */
  private project(): { budget: ProjectBudget; item?: Item } | undefined {
    const uri = vscode.window.activeTextEditor?.document.uri;
    const file = uri?.scheme === 'file' ? uri.fsPath : undefined;
    const root = (file && this.ws.index.projectOf(file)?.root) ?? (this.budgets.current.size === 1 ? [...this.budgets.current.keys()][0] : undefined);
    const budget = root ? this.budgets.current.get(root) : undefined;
    return budget && { budget, item: file ? this.ws.index.entry(file)?.item : undefined };
  }

  update(): void {
    const at = this.project();
    if (!at) {
      this.item.hide();
      return;
    }
    const { budget: p, item } = at;
    const epic = item && epicOf(this.ws.index, item);
    const line = epic && p.lines.find((l) => l.kind === 'epic' && l.epic?.file === epic.file);
    const used = line?.used ?? (epic ? rolledUsage(this.ws.index, epic).used : p.usage.total.used);
    const name = epic ? epic.id : p.name;
    const ratio = line ? line.ratio : 0;
    this.item.text = `$(pulse) ${name}: ${compact.format(used)}${line ? ` / ${compact.format(line.budget)} (${pct(ratio)})` : ''} tokens`;
    const reached = line && thresholdReached(ratio, p.thresholds);
    this.item.backgroundColor =
      reached === undefined ? undefined : new vscode.ThemeColor(reached >= 1 ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground');
    this.item.tooltip = this.tooltip(p);
    this.item.accessibilityInformation = { label: `${name} used ${full(used)} tokens${line ? ` of a budget of ${full(line.budget)}` : ''}` };
    this.item.show();
  }

  private tooltip(p: ProjectBudget): vscode.MarkdownString {
    const md = new vscode.MarkdownString();
    md.appendMarkdown('**').appendText(p.name).appendMarkdown('**: ').appendText(`${full(p.usage.total.used)} tokens used`);
    const estimated = p.usage.total.estimated;
    if (estimated) md.appendText(` of ${full(estimated)} estimated (${pct(budgetRatio(p.usage.total.used, estimated))})`);
    md.appendMarkdown('\n\n');
    if (!p.lines.length) {
      md.appendText('No epic or team of this project has a token budget.');
      return md;
    }
    md.appendMarkdown('| | used | budget | |\n|:--|--:|--:|--:|\n');
    const cell = (s: string) => s.replace(/[\\|*_`[\]<>#]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
    for (const l of [...p.lines].sort((a, b) => b.ratio - a.ratio)) {
      md.appendMarkdown(`| ${cell(l.label)} | ${full(l.used)} | ${full(l.budget)} | ${pct(l.ratio)} |\n`);
    }
    return md;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
