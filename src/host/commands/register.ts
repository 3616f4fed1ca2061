/** Registers the item commands; each reports its failure as a message instead of failing silently. */
import * as vscode from 'vscode';
import { FolderType } from '../../core/config';
import { State } from '../../core/model';
import { NewUsage } from '../../core/tokens';
import { COMMANDS } from '../commandIds';
import { Trees } from '../trees/register';
import { reportWriteError } from '../writer';
import { TaskWorkspace } from '../workspace';
import { createItem } from './create';
import { addLabel, assign, linkToParent, removeLabel } from './fields';
import { initProject } from './init';
import { migrateProject } from './migrate';
import { deleteItem, goToTask, openItem } from './navigate';
import { ChangeStateOptions, changeState } from './state';
import { CommandTarget } from './target';
import { importClaudeCodeUsage, ImportOptions } from './importUsage';
import { logTokenUsage } from './tokens';

/** Registers command bodies; an error becomes an error message (and undefined for callers) instead of failing silently. */
export function commandRegistrar(context: vscode.ExtensionContext, ws: TaskWorkspace) {
  return <A extends unknown[], R>(id: string, fn: (...args: A) => Promise<R>) =>
    context.subscriptions.push(
      vscode.commands.registerCommand(id, async (...args: A) => {
        try {
          return await fn(...args);
        } catch (e) {
          ws.log.error(`${id} failed`, e as Error);
          reportWriteError(e);
          return undefined;
        }
      }),
    );
}

export function registerCommands(context: vscode.ExtensionContext, ws: TaskWorkspace, trees: Trees): void {
  const register = commandRegistrar(context, ws);
  const create = (type: FolderType) => (arg: CommandTarget, preset?: object) => createItem(ws, trees, type, arg, preset);

  register(COMMANDS.initProject, (folder?: vscode.Uri | string, name?: string) => initProject(ws, folder, name));
  register(COMMANDS.createEpic, create('epic'));
  register(COMMANDS.createIssue, create('issue'));
  register(COMMANDS.createTask, create('task'));
  register(COMMANDS.createPR, create('pr'));
  register(COMMANDS.changeState, (arg: CommandTarget, to?: State, opts?: ChangeStateOptions) => changeState(ws, arg, to, opts));
  register(COMMANDS.assign, (arg: CommandTarget, who?: string | null) => assign(ws, arg, who));
  register(COMMANDS.addLabel, (arg: CommandTarget, label?: string) => addLabel(ws, arg, label));
  register(COMMANDS.removeLabel, (arg: CommandTarget, label?: string) => removeLabel(ws, arg, label));
  register(COMMANDS.linkToParent, (arg: CommandTarget, parent?: string | null) => linkToParent(ws, arg, parent));
  register(COMMANDS.goToTask, () => goToTask(ws));
  register(COMMANDS.openItem, (arg: CommandTarget) => openItem(ws, arg));
  register(COMMANDS.deleteItem, (arg: CommandTarget, confirmed?: 'trash' | 'permanent') => deleteItem(ws, arg, confirmed));
  register(COMMANDS.importClaudeCodeUsage, (arg: CommandTarget, opts?: ImportOptions) => importClaudeCodeUsage(ws, arg, opts));
  register(COMMANDS.logTokenUsage, (arg: CommandTarget, usage?: Partial<NewUsage>) => logTokenUsage(ws, arg, usage));
  register(COMMANDS.migrate, (arg: CommandTarget, confirmed?: boolean) => migrateProject(ws, arg, confirmed === true));
}
