/**
 * Budget alerts: one notification each time an epic's or a team's usage crosses an alert threshold
 * upwards (the highest one crossed, when a change jumps over several). The last ratio seen is kept in
 * the workspace state, so a reload does not alert again; a ratio that falls back and rises again does.
 */
import * as vscode from 'vscode';
import { Emitter } from '../../core/events';
import { BudgetLine, thresholdsCrossed } from '../../core/tokens';
import { showWarning, showError } from '../notify';
import { BudgetWatcher } from './watch';

const STATE_KEY = 'aiTrackdown.budgetRatios';

export interface BudgetAlert {
  root: string;
  line: BudgetLine;
  threshold: number;
  message: string;
}

export class BudgetAlerts implements vscode.Disposable {
  private readonly alerted = new Emitter<BudgetAlert>();
  private readonly disposables: vscode.Disposable[];
  /** Every alert shown (for the API and the tests). */
  readonly onDidAlert = this.alerted.event;

  constructor(
    private readonly memento: vscode.Memento,
    private readonly budgets: BudgetWatcher,
  ) {
    this.disposables = [budgets.onDidChange(() => void this.check()), this.alerted];
  }

  private async check() {
    const seen = { ...this.memento.get<Record<string, number>>(STATE_KEY, {}) };
    const alerts: BudgetAlert[] = [];
    for (const [root, p] of this.budgets.current) {
      for (const line of p.lines) {
        const key = `${root}\0${line.kind}\0${line.key}`;
        const crossed = thresholdsCrossed(seen[key] ?? 0, line.ratio, p.thresholds);
        seen[key] = line.ratio;
        if (!crossed.length) continue;
        const threshold = crossed[crossed.length - 1];
        const what = line.kind === 'epic' ? line.label : `The ${line.label}`;
        const message = `${what} has used ${Math.round(line.ratio * 100)}% of its token budget (${line.used.toLocaleString('en')} of ${line.budget.toLocaleString('en')}).`;
        alerts.push({ root, line, threshold, message });
      }
    }
    await this.memento.update(STATE_KEY, seen);
    for (const a of alerts) {
      this.alerted.fire(a);
      const open = a.line.epic ? 'Open Epic' : undefined;
      const show = a.threshold >= 1 ? showError : showWarning;
      void Promise.resolve(open ? show(a.message, open) : show(a.message)).then((choice) => {
        if (choice === open && a.line.epic) void vscode.window.showTextDocument(vscode.Uri.file(a.line.epic.file));
      });
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
