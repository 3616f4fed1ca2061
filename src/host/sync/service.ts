/**
 * Sync in the window: runs the engine for each configured provider of each project (one run at a
 * time), keeps what the status bar and the status command show (last sync, links, conflicts), and
 * refuses to send anything while the workspace is not trusted.
 */
import * as vscode from 'vscode';
import { Item } from '../../core/model';
import { Project } from '../../core/index';
import { resolveConflict, runSync, SyncProgress, SyncSummary } from '../../core/sync/engine';
import { HttpOptions } from '../../core/sync/http';
import { SyncBusyError } from '../../core/sync/lock';
import { SyncField, SyncProviderId } from '../../core/sync/provider';
import { ConflictRecord, loadSyncState } from '../../core/sync/state';
import { TaskWorkspace } from '../workspace';
import { SyncCredentials } from './credentials';
import { configuredProviders, createProvider, PROVIDER_LABELS } from './providers';
import { EditorStore } from './store';
import { SyncTargets } from './targets';

export interface ProviderStatus {
  root: string;
  projectName: string;
  provider: SyncProviderId;
  label: string;
  lastSync?: string;
  linked: number;
  pending: number;
  conflicts: ConflictRecord[];
  /** Why the state could not be read, or the last run failed as a whole. */
  error?: string;
  /** The target config.yaml names has not been confirmed yet: nothing is sent to it until it is. */
  unconfirmed?: boolean;
}

export class UntrustedError extends Error {
  constructor() {
    super('Sync is turned off in this workspace until it is trusted: it sends task data to GitHub, Jira or Linear. Use "Manage Workspace Trust" to trust it.');
  }
}

export interface RunRequest {
  /** Only these projects (roots); all when undefined. */
  roots?: readonly string[];
  /** Only these providers. */
  providers?: readonly SyncProviderId[];
  /** Only this item. */
  item?: Item;
  /** Whether credentials may be asked for. */
  interactive: boolean;
  signal?: AbortSignal;
  progress?: (label: string, p: SyncProgress) => void;
}

export interface RunResult {
  root: string;
  provider: SyncProviderId;
  summary?: SyncSummary;
  error?: string;
  /** Not run, and why: its target has not been confirmed. */
  skipped?: string;
  /** Not run: another sync of the project (another window or process) was running; `error` says so. */
  busy?: boolean;
}

export class SyncService implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private current: ProviderStatus[] = [];
  private busy: Promise<unknown> | undefined;
  private readonly errors = new Map<string, string>();

  constructor(
    private readonly ws: TaskWorkspace,
    readonly credentials: SyncCredentials,
    private readonly targets: SyncTargets,
    private readonly http?: HttpOptions,
  ) {}

  get running(): boolean {
    return this.busy !== undefined;
  }

  statuses(): readonly ProviderStatus[] {
    return this.current;
  }

  /** Re-read every configured provider's state file (local only; nothing is sent). */
  async refresh(): Promise<readonly ProviderStatus[]> {
    await this.ws.ready;
    const out: ProviderStatus[] = [];
    for (const project of this.ws.index.getProjects()) {
      for (const provider of configuredProviders(project)) {
        const s: ProviderStatus = { root: project.root, projectName: project.config.name, provider, label: PROVIDER_LABELS[provider], linked: 0, pending: 0, conflicts: [] };
        try {
          const state = await loadSyncState(project.root, provider);
          Object.assign(s, { lastSync: state.lastSync, linked: Object.keys(state.items).length, pending: Object.keys(state.pending).length, conflicts: state.conflicts });
        } catch (e) {
          s.error = (e as Error).message;
        }
        s.error ??= this.errors.get(`${project.root}\0${provider}`);
        if (!(await this.targets.isConfirmed(project, provider))) s.unconfirmed = true;
        out.push(s);
      }
    }
    this.current = out;
    this.changed.fire();
    return out;
  }

  private projects(roots?: readonly string[]): Project[] {
    return this.ws.index.getProjects().filter((p) => !roots || roots.includes(p.root));
  }

  /** Run sync; one run at a time in the window. */
  async run(req: RunRequest): Promise<RunResult[]> {
    if (!vscode.workspace.isTrusted) throw new UntrustedError();
    if (this.busy) throw new Error('A sync is already running; wait for it to finish.');
    const work = this.runAll(req);
    this.busy = work;
    this.changed.fire();
    try {
      return await work;
    } finally {
      this.busy = undefined;
      await this.refresh();
    }
  }

  private async runAll(req: RunRequest): Promise<RunResult[]> {
    await this.ws.ready;
    const results: RunResult[] = [];
    const projects = req.item ? this.projects([req.item.root]) : this.projects(req.roots);
    for (const project of projects) {
      for (const id of configuredProviders(project)) {
        if (req.providers && !req.providers.includes(id)) continue;
        if (req.signal?.aborted) return results;
        const key = `${project.root}\0${id}`;
        try {
          if (!(await this.targets.allow(project, id, req.interactive))) {
            results.push({ root: project.root, provider: id, skipped: 'its target is not confirmed yet, so nothing was sent' });
            continue;
          }
          const provider = await createProvider(id, { project, credentials: this.credentials, interactive: req.interactive, http: this.http });
          const label = `${PROVIDER_LABELS[id]} · ${project.config.name}`;
          const summary = await runSync({
            project,
            provider,
            store: new EditorStore(this.ws, project),
            signal: req.signal,
            only: req.item ? [req.item.id] : undefined,
            progress: (p) => req.progress?.(label, p),
          });
          this.errors.delete(key);
          for (const e of summary.errors) this.ws.log.warn(`${label}: ${e.item}: ${e.message}`);
          results.push({ root: project.root, provider: id, summary });
        } catch (e) {
          if (e instanceof vscode.CancellationError) return results;
          if (e instanceof SyncBusyError) {
            // Not a failure of this provider: the status keeps what the last real run said.
            this.ws.log.info(`${PROVIDER_LABELS[id]} sync of ${project.config.name} not run: ${e.message}`);
            results.push({ root: project.root, provider: id, error: e.message, busy: true });
            continue;
          }
          const message = (e as Error).message;
          this.errors.set(key, message);
          this.ws.log.error(`${PROVIDER_LABELS[id]} sync of ${project.config.name} failed: ${message}`);
          results.push({ root: project.root, provider: id, error: message });
        }
      }
    }
    return results;
  }

  /** Settle a conflict with the chosen value, write it to the file and push it. */
  async resolve(c: { root: string; provider: SyncProviderId; localId: string; field: SyncField; value: unknown }): Promise<SyncSummary> {
    if (!vscode.workspace.isTrusted) throw new UntrustedError();
    if (this.busy) throw new Error('A sync is running; resolve the conflict when it has finished.');
    const project = this.ws.index.getProject(c.root);
    if (!project) throw new Error(`No project at ${c.root}.`);
    const work = (async () => {
      if (!(await this.targets.allow(project, c.provider, true))) throw new vscode.CancellationError();
      const provider = await createProvider(c.provider, { project, credentials: this.credentials, interactive: true, http: this.http });
      return resolveConflict({ project, provider, store: new EditorStore(this.ws, project), localId: c.localId, field: c.field, value: c.value });
    })();
    this.busy = work;
    try {
      return await work;
    } finally {
      this.busy = undefined;
      await this.refresh();
    }
  }

  dispose(): void {
    this.changed.dispose();
  }
}
