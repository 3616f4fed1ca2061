/**
 * Start Work on Task: check out the item's branch (made from `git.branch_pattern` when it does not
 * exist) and move the item to Active through Change State, so the transition rules, Force and the
 * safe writer are the ones every other state change uses.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { branchNameFor, branchPattern } from '../../core/git/branch';
import { BlockedSwitchError, SwitchOutcome, switchToBranch } from '../../core/git/repo';
import { Item, State, STATE_LABELS } from '../../core/model';
import { applyRead, readIndexedFile } from '../../core/project';
import { currentState } from '../../core/workflow';
import { changeState } from '../commands/state';
import { CommandTarget, resolveItem } from '../commands/target';
import { showInfo, showWarning, showError } from '../notify';
import { TaskWorkspace } from '../workspace';
import { GitRepos, requireTrust } from './repos';

export interface StartWorkOptions {
  /** Make the move to Active even where the rules refuse it (recorded as a manual override). */
  force?: boolean;
  /** Ask nothing: a refused move leaves the state as it is (programmatic callers, tests). */
  quiet?: boolean;
}

export interface StartWorkResult {
  branch: string;
  outcome: SwitchOutcome;
  /** The item's state afterwards (undefined when the item is not on the branch). */
  state?: State;
}

const STARTABLE = new Set(['task', 'issue']);
/** How long an open, unmodified editor may take to show a file the checkout changed. */
const DOCUMENT_SYNC_MS = 3000;

export async function startWork(ws: TaskWorkspace, repos: GitRepos, arg: CommandTarget, opts: StartWorkOptions = {}): Promise<StartWorkResult | undefined> {
  requireTrust();
  const item = await resolveItem(ws, arg, 'Start work on…', (i) => STARTABLE.has(i.type));
  if (!item) return undefined;
  const project = ws.index.getProject(item.root);
  if (!project) throw new Error(`${item.id} belongs to no indexed project.`);
  const repo = await repos.requireRepo(item.root);
  const pattern = branchPattern(project.config);
  repos.warnConfig(item.root, pattern.error);
  const branch = branchNameFor(item, pattern.pattern);

  let outcome: SwitchOutcome;
  try {
    outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Switching to ${branch}` }, () => switchToBranch(repo.git, branch));
  } catch (e) {
    if (e instanceof BlockedSwitchError && !opts.quiet) {
      void showError(e.message.split('\n')[0], { modal: true, detail: e.message.split('\n').slice(1).join('\n') });
      return undefined;
    }
    throw e;
  } finally {
    repos.history(repo).invalidate();
  }
  const verb = outcome === 'created' ? 'Created and switched to' : outcome === 'switched' ? 'Switched to' : 'Already on';

  // Another branch may hold another version of the file, or none: the state change is made on what is there now.
  const fresh = outcome === 'current' ? item : await reread(ws, item.file);
  if (!fresh) {
    void showWarning(`${verb} ${branch}. ${path.basename(item.file)} does not exist on this branch, so its state was not changed.`);
    return { branch, outcome };
  }
  if (currentState(fresh) === 'active') {
    void showInfo(`${verb} ${branch}. ${fresh.id} is already Active.`);
    return { branch, outcome, state: 'active' };
  }
  await documentMatchesDisk(ws, fresh.file);
  let moved = false;
  try {
    moved = await changeState(ws, fresh.file, 'active', { force: opts.force, quiet: opts.quiet, reason: `Work started on branch ${branch}` });
  } catch (e) {
    if (!opts.quiet) throw e;
    void showWarning(`${verb} ${branch}. ${(e as Error).message} The state was left as it is.`);
  }
  const state = currentState(ws.index.entry(fresh.file)?.item ?? fresh);
  if (moved) void showInfo(`${verb} ${branch}. ${fresh.id} is now ${STATE_LABELS.active}.`);
  else if (!opts.quiet) void showInfo(`${verb} ${branch}. ${fresh.id} stays ${STATE_LABELS[state]}.`);
  return { branch, outcome, state };
}

/** Read a file the checkout may have changed into the index now, instead of waiting for the watcher. */
async function reread(ws: TaskWorkspace, file: string): Promise<Item | undefined> {
  applyRead(ws.index, file, readIndexedFile(ws.index, file));
  return ws.index.entry(file)?.item;
}

/**
 * An open editor without unsaved changes is reloaded by VS Code after a checkout, a moment later.
 * The writer edits the document, so it must wait for that reload, or it would save the old branch's text.
 */
async function documentMatchesDisk(ws: TaskWorkspace, file: string): Promise<void> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
  if (!doc || doc.isDirty) return;
  const disk = readIndexedFile(ws.index, file).text;
  if (disk === undefined || doc.getText() === disk) return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`${path.basename(file)} is open and has not been reloaded after the checkout; its state was not changed. Try again.`));
    }, DOCUMENT_SYNC_MS);
    const sub = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document === doc && doc.getText() === disk) {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
  });
}
