/**
 * The optional timed sync. `aiTrackdown.sync.intervalMinutes` makes the extension send on its own, so
 * the workspace's settings count only once the workspace is trusted and every target its projects sync
 * with has been confirmed; until then only the user's own settings do. A timed run never asks anything:
 * it skips a target not confirmed yet (the service says so once).
 */
import * as vscode from 'vscode';
import { restrictedValue } from '../restrictedSettings';
import { TaskWorkspace } from '../workspace';
import { configuredProviders } from './providers';
import { RunResult, SyncService } from './service';
import { SyncTargets } from './targets';

export class TimedSync implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  private minutes = 0;
  /** Bumped by each schedule(), so that an older one still awaiting its answer gives way. */
  private generation = 0;
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly ws: TaskWorkspace,
    private readonly service: SyncService,
    private readonly targets: SyncTargets,
    private readonly onResults: (results: RunResult[]) => void,
  ) {
    const schedule = () => void this.schedule();
    this.disposables = [
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('aiTrackdown.sync.intervalMinutes')) schedule();
      }),
      vscode.workspace.onDidGrantWorkspaceTrust(schedule),
      targets.onDidConfirm(schedule),
      // A config.yaml that gains, loses or changes a target changes whether all are confirmed.
      ws.index.onDidChange((e) => e.all && schedule()),
    ];
    schedule();
  }

  private async allConfirmed(): Promise<boolean> {
    await this.ws.ready;
    let any = false;
    for (const project of this.ws.index.getProjects()) {
      for (const provider of configuredProviders(project)) {
        if (!(await this.targets.isConfirmed(project, provider))) return false;
        any = true;
      }
    }
    return any;
  }

  async schedule(): Promise<void> {
    const generation = ++this.generation;
    const workspaceCounts = vscode.workspace.isTrusted && (await this.allConfirmed());
    if (generation !== this.generation) return;
    const minutes = restrictedValue(vscode.workspace.getConfiguration(), 'aiTrackdown.sync.intervalMinutes', 0, workspaceCounts);
    const wanted = typeof minutes === 'number' && minutes > 0 ? Math.max(1, minutes) : 0;
    if (wanted === this.minutes) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.minutes = wanted;
    if (wanted) this.timer = setInterval(() => this.tick(), wanted * 60_000);
  }

  private tick(): void {
    if (!vscode.workspace.isTrusted || this.service.running) return;
    void this.service.run({ interactive: false }).then(this.onResults, (e) => this.ws.log.warn(`Timed sync: ${(e as Error).message}`));
  }

  dispose(): void {
    this.generation++;
    clearInterval(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
