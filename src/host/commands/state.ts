/** Change State: the unified transition rules, a reason, and "force" recorded as a manual override. */
import * as vscode from 'vscode';
import { Item, State, STATE_LABELS, STATES } from '../../core/model';
import { planChangeState } from '../../core/ops/state';
import { run } from '../../core/ops/writer';
import { allowedTargets, currentState, TransitionError } from '../../core/workflow';
import { CONTEXT } from '../commandIds';
import { showWarning } from '../notify';
import { hostWriter } from '../writer';
import { TaskWorkspace } from '../workspace';
import { CommandTarget, projectOf, resolveItem, userName } from './target';

export interface ChangeStateOptions {
  force?: boolean;
  reason?: string;
  /** Ask nothing: refuse instead of offering force (used by programmatic callers). */
  quiet?: boolean;
}

interface StatePick extends vscode.QuickPickItem {
  state?: State;
  force?: boolean;
}

async function pickState(item: Item): Promise<StatePick | undefined> {
  const from = currentState(item);
  const allowed = allowedTargets(from);
  const others = STATES.filter((s) => s !== from && !allowed.includes(s));
  const picks: StatePick[] = [
    { label: 'Allowed transitions', kind: vscode.QuickPickItemKind.Separator },
    ...allowed.map((s) => ({ label: STATE_LABELS[s], description: s, state: s })),
    { label: 'Force (recorded as a manual override)', kind: vscode.QuickPickItemKind.Separator },
    ...others.map((s) => ({ label: `$(warning) ${STATE_LABELS[s]}`, description: s, state: s, force: true })),
  ];
  return vscode.window.showQuickPick(picks, {
    title: `${item.id}: change state from ${STATE_LABELS[from]}`,
    placeHolder: 'New state',
  });
}

/** Returns true when the file was changed. */
export async function changeState(ws: TaskWorkspace, arg: CommandTarget, to?: State, opts: ChangeStateOptions = {}): Promise<boolean> {
  const item = await resolveItem(ws, arg, 'Change the state of…');
  if (!item) return false;
  let force = opts.force ?? false;
  let reason = opts.reason;
  if (!to) {
    const pick = await pickState(item);
    if (!pick?.state) return false;
    to = pick.state;
    force = !!pick.force;
    reason = force
      ? await askForceReason(item, to)
      : await vscode.window.showInputBox({ title: `${item.id} → ${STATE_LABELS[to]}`, prompt: 'Reason (optional, recorded in state_metadata)' });
    if (reason === undefined) return false;
  }
  try {
    await writeTransition(ws, item, to, { force, reason });
  } catch (e) {
    // The rules refused it: offer to force it (with a reason, recorded as a manual override).
    if (!(e instanceof TransitionError) || e.from === e.to || force || opts.quiet) throw e;
    const choice = await showWarning(e.message, { modal: true }, 'Force');
    if (choice !== 'Force') return false;
    // Forced on the spot: it needs a reason like any forced transition, unless the caller gave one.
    if (!reason?.trim()) reason = await askForceReason(item, to);
    if (reason === undefined) return false;
    await writeTransition(ws, item, to, { force: true, reason });
  }
  return true;
}

/** Write a transition through core/ops (a refused one throws a TransitionError unless forced). */
export async function writeTransition(ws: TaskWorkspace, item: Item, to: State, opts: { force?: boolean; reason?: string } = {}): Promise<void> {
  await run(hostWriter(ws), planChangeState(ws.index, projectOf(ws, item), { item, to, by: userName(), reason: opts.reason, force: opts.force }));
  // Every state change of the palette, the trees, the board and git comes through here.
  void vscode.commands.executeCommand('setContext', CONTEXT.stateChanged, true);
}

/**
 * Ask why a forced transition is made; undefined when the user cancels. It stays open when focus moves:
 * it is asked from the board, whose webview can take the focus back as it redraws, and losing the box
 * would drop the move the user just forced.
 */
export function askForceReason(item: Item, to: State): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: `Force ${item.id} → ${STATE_LABELS[to]}`,
    prompt: 'Why is this transition forced? (recorded in state_metadata)',
    ignoreFocusOut: true,
    validateInput: (v) => (v.trim() ? undefined : 'A forced transition needs a reason.'),
  });
}
