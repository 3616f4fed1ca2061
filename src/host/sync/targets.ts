/**
 * The sync targets the user has confirmed. config.yaml comes with the repository, so whoever wrote it
 * chooses where sync sends the tasks and the user's credentials: the first sync of a project to a target
 * asks the user, naming the target and the file it came from. The answer is kept in the extension's
 * global state, never in the workspace (whose files that same author writes), keyed by the project's
 * real path and the target. Automatic runs never ask: they skip a target not confirmed yet, saying so once.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { CONFIG_FILE } from '../../core/config';
import { Project } from '../../core/index';
import { credentialHost } from '../../core/sync/hosts';
import { SyncProviderId } from '../../core/sync/provider';
import { describeTarget, GITHUB_API_URL, syncTarget, SyncTarget, targetKey } from '../../core/sync/target';
import { showWarning } from '../notify';

const STATE_KEY = 'aiTrackdown.sync.confirmedTargets';
export const CONFIRM_TARGET = 'Sync';

/** How the user's identity travels to the target, in words. */
function credentialFor(t: SyncTarget): string {
  if (t.provider === 'github' && credentialHost(t.url) === GITHUB_API_URL) return 'your GitHub sign-in';
  if (t.account) return `the API token stored for ${t.account} at ${credentialHost(t.url)}`;
  return `the token stored for ${credentialHost(t.url)}`;
}

export class SyncTargets implements vscode.Disposable {
  private readonly confirmed = new vscode.EventEmitter<void>();
  /** A target was confirmed. */
  readonly onDidConfirm = this.confirmed.event;
  /** Targets an automatic run has already said it skipped, so the log says it once per window. */
  private readonly told = new Set<string>();

  constructor(
    private readonly state: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  private async id(project: Project, target: SyncTarget): Promise<string> {
    // One project reached through a link or under another name is still one project.
    const real = await fs.realpath(project.root).catch(() => path.resolve(project.root));
    return JSON.stringify([real, targetKey(target)]);
  }

  private ids(): readonly string[] {
    return this.state.get<string[]>(STATE_KEY, []);
  }

  /** Whether the project's target for the provider has been confirmed (false when config.yaml names none). */
  async isConfirmed(project: Project, provider: SyncProviderId): Promise<boolean> {
    let target: SyncTarget;
    try {
      target = syncTarget(project, provider);
    } catch {
      return false;
    }
    return this.ids().includes(await this.id(project, target));
  }

  /**
   * Whether sync may send to the project's target: confirmed before, or now by the user in a modal
   * dialog (interactive runs only). A target config.yaml does not fully name throws its error.
   */
  async allow(project: Project, provider: SyncProviderId, interactive: boolean): Promise<boolean> {
    const target = syncTarget(project, provider);
    const id = await this.id(project, target);
    if (this.ids().includes(id)) return true;
    const where = describeTarget(target);
    const file = path.join(project.root, CONFIG_FILE);
    if (!interactive) {
      if (!this.told.has(id)) {
        this.told.add(id);
        this.log.warn(`Automatic sync skipped ${project.config.name}: its target, ${where} (from ${file}), has not been confirmed. Run "Sync Now" to confirm it.`);
      }
      return false;
    }
    const answer = await showWarning(
      `Sync ${project.config.name} with ${where}?`,
      {
        modal: true,
        detail:
          `This target is set in ${file} (sync.${provider}), a file of the workspace: whoever wrote it chose it. ` +
          `Syncing sends the project's tasks there with ${credentialFor(target)}, and brings its items in. ` +
          'Confirm only a target you know. You are asked once for each target of each project.',
      },
      CONFIRM_TARGET,
    );
    if (answer !== CONFIRM_TARGET) return false;
    await this.state.update(STATE_KEY, [...this.ids(), id]);
    this.confirmed.fire();
    return true;
  }

  dispose(): void {
    this.confirmed.dispose();
  }
}
