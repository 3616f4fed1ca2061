/**
 * "Copy AI Context for Task": the task and what it links to, fitted to the token budget by
 * core/context, onto the clipboard or into a new markdown editor.
 */
import * as vscode from 'vscode';
import { buildContext, droppedList } from '../core/context';
import { loadTokenizer } from '../core/loadTokenizer';
import { Item } from '../core/model';
import { readIndexedFile } from '../core/project';
import { COMMANDS } from './commandIds';
import { CommandTarget, resolveItem } from './commands/target';
import { showInfo, showWarning, showError } from './notify';
import { TaskWorkspace } from './workspace';

export type AiContextDestination = 'clipboard' | 'editor';

/** What the command returns to programmatic callers (undefined when cancelled). */
export interface AiContextResult {
  text: string;
  tokens: number;
}

const DEFAULT_BUDGET = 8000;
const DEFAULT_DEPTH = 2;

export function registerAiContext(context: vscode.ExtensionContext, ws: TaskWorkspace): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(COMMANDS.copyAiContext, async (arg?: CommandTarget, destination?: AiContextDestination) => {
      try {
        return await copyAiContext(ws, arg, destination);
      } catch (e) {
        ws.log.error(`${COMMANDS.copyAiContext} failed`, e as Error);
        void showError(`Could not put the AI context together: ${(e as Error).message}`);
        return undefined;
      }
    }),
  );
}

function settings(item: Item): { tokenBudget: number; depth: number } {
  const config = vscode.workspace.getConfiguration('aiTrackdown.aiContext', vscode.Uri.file(item.file));
  const budget = config.get<number>('tokenBudget', DEFAULT_BUDGET);
  const depth = config.get<number>('depth', DEFAULT_DEPTH);
  return {
    // The settings' own limits, also for values typed into settings.json by hand.
    tokenBudget: Number.isFinite(budget) ? Math.max(256, Math.floor(budget)) : DEFAULT_BUDGET,
    depth: Number.isFinite(depth) ? Math.min(5, Math.max(0, Math.floor(depth))) : DEFAULT_DEPTH,
  };
}

/** A file's text as the user sees it: an editor's unsaved text, else what is on disk. */
function textReader(ws: TaskWorkspace): (file: string) => string | undefined {
  const dirty = new Map<string, string>();
  for (const d of vscode.workspace.textDocuments) if (d.uri.scheme === 'file' && d.isDirty) dirty.set(d.uri.fsPath, d.getText());
  return (file) => dirty.get(file) ?? readIndexedFile(ws.index, file).text;
}

export async function copyAiContext(ws: TaskWorkspace, arg: CommandTarget, destination?: AiContextDestination): Promise<AiContextResult | undefined> {
  await ws.ready;
  const item = await resolveItem(ws, arg, 'Copy the AI context of which task?');
  if (!item) return undefined;
  const { tokenBudget, depth } = settings(item);
  const started = Date.now();
  const built = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: `AI Trackdown: AI context of ${item.id}` },
    async () => buildContext(ws.index, item, { depth, tokenBudget, readText: textReader(ws), countTokens: loadTokenizer() }),
  );
  ws.log.info(`AI context of ${item.id}: ${built.included.length} items, ${built.tokens} tokens, ${built.dropped.length} parts left out, in ${Date.now() - started} ms`);
  const n = (x: number) => x.toLocaleString('en-US');
  const size = `${n(built.tokens)} tokens of ${n(built.budget)}`;

  let where = destination;
  if (where !== 'clipboard' && where !== 'editor') {
    const picked = await vscode.window.showQuickPick(
      [
        { label: '$(clippy) Copy to clipboard', where: 'clipboard' as const },
        { label: '$(new-file) Open in a new editor', where: 'editor' as const },
      ],
      { title: `AI context of ${item.id}: ${size}`, placeHolder: 'Where should the AI context go?' },
    );
    if (!picked) return undefined;
    where = picked.where;
  }

  if (where === 'clipboard') await vscode.env.clipboard.writeText(built.text);
  else {
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: built.text });
    await vscode.window.showTextDocument(doc, { preview: false });
  }

  const verb = where === 'clipboard' ? 'Copied' : 'Opened';
  const cut = built.dropped.length ? `; dropped: ${droppedList(built.dropped, 6)}` : '';
  if (built.overBudget) {
    void showWarning(
      `${verb} the AI context of ${item.id} (${size}): over the budget, because the task's own header and AI_CONTEXT blocks are longer than it${cut}.`,
    );
  } else {
    void showInfo(`${verb} the AI context of ${item.id} (${size}${cut})`);
  }
  return { text: built.text, tokens: built.tokens };
}
