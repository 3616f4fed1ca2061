/**
 * Token usage against budgets for every project, recomputed shortly after the index changes: the one
 * source the status bar, the budget alerts and the over-budget diagnostics read.
 */
import * as vscode from 'vscode';
import { ProjectConfig } from '../../core/config';
import { Emitter } from '../../core/events';
import { configPrices, DEFAULT_PRICES, PriceTable, withOverrides } from '../../core/prices';
import { BudgetLine, budgetLines, budgetThresholds, projectUsage, ProjectUsage } from '../../core/tokens';
import { TaskWorkspace } from '../workspace';

/** Index events come in bursts (a checkout, a sync): one computation per burst. */
const DELAY_MS = 250;

export interface ProjectBudget {
  root: string;
  name: string;
  usage: ProjectUsage;
  thresholds: number[];
  /** Every epic and team that has a budget. */
  lines: BudgetLine[];
}

export class BudgetWatcher implements vscode.Disposable {
  private projects = new Map<string, ProjectBudget>();
  private timer: NodeJS.Timeout | undefined;
  private readonly changed = new Emitter<void>();
  private readonly disposables: vscode.Disposable[];
  readonly onDidChange = this.changed.event;

  constructor(private readonly ws: TaskWorkspace) {
    this.disposables = [ws.index.onDidChange(() => this.schedule()), this.changed];
    void ws.ready.then(() => this.compute());
  }

  get current(): ReadonlyMap<string, ProjectBudget> {
    return this.projects;
  }

  /** Resolves once a computation that reflects the index as it is now has run. */
  async settled(): Promise<void> {
    await this.ws.ready;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.compute();
  }

  private schedule() {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.compute();
    }, DELAY_MS);
  }

  private compute() {
    const next = new Map<string, ProjectBudget>();
    for (const project of this.ws.index.getProjects()) {
      const usage = projectUsage(this.ws.index, project.root, project.config);
      next.set(project.root, { root: project.root, name: project.config.name, usage, thresholds: budgetThresholds(project.config), lines: budgetLines(usage, project.config) });
    }
    this.projects = next;
    this.changed.fire();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}

/** The prices a project's costs are computed with: the shipped table, its config.yaml's, the user's settings. */
export function projectPrices(config: ProjectConfig, scope?: vscode.Uri): PriceTable {
  const settings = vscode.workspace.getConfiguration('aiTrackdown', scope).get<Record<string, unknown>>('prices', {});
  return withOverrides(DEFAULT_PRICES, configPrices(config), settings);
}
