/**
 * The sync commands, the status bar item and the optional timed sync. Nothing runs on its own unless
 * `aiTrackdown.sync.intervalMinutes` asks for it, nothing is sent in an untrusted workspace, and nothing
 * to a target config.yaml names until the user has confirmed it.
 */
import * as vscode from 'vscode';
import { SyncProviderId } from '../../core/sync/provider';
import { COMMANDS } from '../commandIds';
import { CommandTarget, resolveItem } from '../commands/target';
import { showInfo, showWarning } from '../notify';
import { plain } from '../plainText';
import { reportWriteError } from '../writer';
import { TaskWorkspace } from '../workspace';
import { ConflictDocuments, CONFLICT_SCHEME, ResolveArgs, resolveConflictCommand } from './conflicts';
import { ConfigureArgs, configureSync } from './configure';
import { SyncCredentials } from './credentials';
import { PROVIDER_LABELS } from './providers';
import { ProviderStatus, RunRequest, RunResult, SyncService, UntrustedError } from './service';
import { StatusBarView, SyncStatusBar } from './statusBar';
import { SyncTargets } from './targets';
import { TimedSync } from './timer';

/**
 * What the extension's API shows of sync: copies of what the user sees. Other extensions hold the API,
 * so nothing in it leads to the service, whose credentials object reads the secret storage and asks
 * for this extension's GitHub session.
 */
export interface SyncView {
  statusBar(): StatusBarView;
}

export interface SyncNowArgs {
  /** Only this project. */
  root?: string;
  providers?: SyncProviderId[];
}

/** One line per provider run: what moved, what failed. */
function describeResults(results: RunResult[]): { text: string; failed: boolean; conflicts: number } {
  const lines: string[] = [];
  let failed = false;
  let conflicts = 0;
  for (const r of results) {
    const label = PROVIDER_LABELS[r.provider];
    if (r.error) {
      failed = true;
      lines.push(`${label}: ${r.error}`);
      continue;
    }
    if (r.skipped) {
      lines.push(`${label}: not synced, ${r.skipped}`);
      continue;
    }
    const s = r.summary!;
    conflicts += s.conflicts.length;
    const parts = [
      s.pulled.length && `${s.pulled.length} pulled`,
      s.pushed.length && `${s.pushed.length} pushed`,
      s.created.length && `${s.created.length} created remotely`,
      s.imported.length && `${s.imported.length} imported`,
      s.conflicts.length && `${s.conflicts.length} conflict${s.conflicts.length === 1 ? '' : 's'}`,
      s.errors.length && `${s.errors.length} failed (see the log)`,
    ].filter(Boolean);
    if (s.errors.length) failed = true;
    lines.push(`${label}: ${s.cancelled ? 'cancelled; ' : ''}${parts.length ? parts.join(', ') : 'up to date'}`);
  }
  return { text: lines.join(' · ') || 'No project configures sync: run "Sync: Configure".', failed, conflicts };
}

export function registerSync(context: vscode.ExtensionContext, ws: TaskWorkspace): SyncView {
  const targets = new SyncTargets(context.globalState, ws.log);
  const service = new SyncService(ws, new SyncCredentials(context.secrets), targets);
  const statusBar = new SyncStatusBar(service);
  const docs = new ConflictDocuments();
  context.subscriptions.push(targets, service, statusBar, docs, vscode.workspace.registerTextDocumentContentProvider(CONFLICT_SCHEME, docs));

  const register = <A extends unknown[], R>(id: string, fn: (...args: A) => Promise<R>) =>
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: A) => {
        if (!vscode.workspace.isTrusted) {
          void showWarning(new UntrustedError().message);
          return undefined;
        }
        try {
          return await fn(...args);
        } catch (e) {
          if (e instanceof vscode.CancellationError) return undefined;
          ws.log.error(`${id} failed`, e as Error);
          reportWriteError(e);
          return undefined;
        }
      }),
    );

  const runWithProgress = (title: string, req: Omit<RunRequest, 'signal' | 'progress'>) =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: plain(title), cancellable: true }, async (progress, token) => {
      const ac = new AbortController();
      const sub = token.onCancellationRequested(() => ac.abort());
      let last = 0;
      try {
        return await service.run({
          ...req,
          signal: ac.signal,
          progress: (label, p) => {
            const pct = p.total ? Math.floor((p.done / p.total) * 100) : 0;
            progress.report({ message: plain(`${label}: ${p.message}`), increment: Math.max(0, pct - last) });
            last = pct;
          },
        });
      } finally {
        sub.dispose();
      }
    });

  const show = (results: RunResult[]) => {
    const { text, failed, conflicts } = describeResults(results);
    const actions = [...(conflicts ? ['Show Status'] : []), ...(failed ? ['Show Log'] : [])];
    const shown = failed ? showWarning(text, ...actions) : showInfo(text, ...actions);
    void shown.then((a) => {
      if (a === 'Show Status') void vscode.commands.executeCommand(COMMANDS.syncStatus);
      if (a === 'Show Log') ws.log.show();
    });
  };

  register(COMMANDS.syncConfigure, (args?: ConfigureArgs) => configureSync(ws, service.credentials, args).finally(() => service.refresh()));

  register(COMMANDS.syncNow, async (args?: SyncNowArgs) => {
    const results = await runWithProgress('AI Trackdown: syncing', { roots: args?.root ? [args.root] : undefined, providers: args?.providers, interactive: true });
    show(results);
    return results;
  });

  register(COMMANDS.syncItem, async (arg: CommandTarget) => {
    const item = await resolveItem(ws, arg, 'Sync which item?', (i) => i.type !== 'comment');
    if (!item) return undefined;
    const results = await runWithProgress(`AI Trackdown: syncing ${item.id}`, { item, interactive: true });
    show(results);
    return results;
  });

  register(COMMANDS.syncStatus, async (args?: { show?: boolean; root?: string }): Promise<readonly ProviderStatus[]> => {
    const all = await service.refresh();
    const statuses = args?.root ? all.filter((s) => s.root === args.root) : all;
    if (args?.show === false) return statuses;
    if (!statuses.length) {
      const a = await showInfo('No project configures sync yet.', 'Configure Sync\u2026');
      if (a) void vscode.commands.executeCommand(COMMANDS.syncConfigure);
      return statuses;
    }
    type Pick = vscode.QuickPickItem & { run?: () => unknown };
    const picks: Pick[] = [];
    for (const s of statuses) {
      picks.push({ label: `${s.label} · ${s.projectName}`, kind: vscode.QuickPickItemKind.Separator });
      picks.push({
        label: '$(sync) Sync Now',
        description: [s.lastSync ? `last sync ${new Date(s.lastSync).toLocaleString()}` : 'never synced', `${s.linked} linked`, s.pending ? `${s.pending} create(s) pending` : '', s.unconfirmed ? 'target not confirmed yet' : ''].filter(Boolean).join(' · '),
        detail: s.error,
        run: () => vscode.commands.executeCommand(COMMANDS.syncNow, { root: s.root, providers: [s.provider] }),
      });
      for (const c of s.conflicts) {
        picks.push({
          label: `$(warning) ${c.localId} · ${c.field}`,
          description: `${c.key}: local and ${s.label} both changed it`,
          run: () => vscode.commands.executeCommand(COMMANDS.syncResolveConflict, { root: s.root, provider: s.provider, localId: c.localId, field: c.field }),
        });
      }
    }
    const picked = await vscode.window.showQuickPick(picks, { title: 'Sync status' });
    await picked?.run?.();
    return statuses;
  });

  register(COMMANDS.syncResolveConflict, (args?: ResolveArgs) => resolveConflictCommand(service, docs, args));

  const timed = new TimedSync(ws, service, targets, (results) => {
    // Another window or process is syncing the project: this timed run skips it quietly.
    const { text, failed } = describeResults(results.filter((r) => !r.busy));
    if (failed) void showWarning(`Timed sync: ${text}`);
  });
  context.subscriptions.push(
    timed,
    targets.onDidConfirm(() => void service.refresh()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void service.refresh()),
    ws.index.onDidChange((e) => {
      // A config.yaml that gains or loses a sync section changes what the status bar shows.
      if (e.all) void service.refresh();
    }),
  );
  void service.refresh();
  return { statusBar: () => statusBar.view() };
}
