/** Log Token Usage: one use of tokens by an agent and model, written to the item's file. */
import * as vscode from 'vscode';
import { Item } from '../../core/model';
import { planLogUsage } from '../../core/ops/usage';
import { run } from '../../core/ops/writer';
import { itemUsage, NewUsage } from '../../core/tokens';
import { hostWriter } from '../writer';
import { TaskWorkspace } from '../workspace';
import { CommandTarget, projectOf, resolveItem, userName } from './target';

/** Models and agents already named in the project's entries, most used first. */
function known(ws: TaskWorkspace, root: string, key: 'model' | 'agent'): string[] {
  const n = new Map<string, number>();
  for (const item of ws.index.items(root)) for (const e of itemUsage(item).entries) if (e[key]) n.set(e[key]!, (n.get(e[key]!) ?? 0) + 1);
  return [...n].sort((a, b) => b[1] - a[1]).map(([k]) => k);
}

async function pickName(title: string, prompt: string, choices: string[], fallback: string): Promise<string | undefined> {
  if (!choices.length) return vscode.window.showInputBox({ title, prompt, value: fallback });
  const other = '$(edit) Another…';
  const picked = await vscode.window.showQuickPick([...choices, other], { title, placeHolder: prompt });
  if (picked !== other) return picked;
  return vscode.window.showInputBox({ title, prompt });
}

async function askCount(title: string, prompt: string, optional = false): Promise<number | undefined> {
  const v = await vscode.window.showInputBox({
    title,
    prompt,
    value: optional ? '0' : '',
    validateInput: (s) => (/^\s*\d[\d_,]*\s*$/.test(s) ? undefined : 'A whole number of tokens, e.g. 12000.'),
  });
  return v === undefined ? undefined : Number(v.replace(/[\s_,]/g, ''));
}

/** Ask for what was used (or take `preset`), then write it; returns the item's new total, or undefined when cancelled. */
export async function logTokenUsage(ws: TaskWorkspace, arg: CommandTarget, preset?: Partial<NewUsage>): Promise<number | undefined> {
  const item = await resolveItem(ws, arg, 'Log token usage on…');
  if (!item) return undefined;
  const u = preset?.input !== undefined && preset.output !== undefined ? (preset as NewUsage) : await ask(ws, item, preset ?? {});
  if (!u) return undefined;
  const plan = planLogUsage(ws.index, projectOf(ws, item), { item, uses: u });
  await run(hostWriter(ws), plan);
  const total = plan[0].changes.find((c) => c.key === 'actual_tokens' && 'value' in c);
  return total && 'value' in total ? (total.value as number) : itemUsage(item).used + u.input + u.output;
}

async function ask(ws: TaskWorkspace, item: Item, preset: Partial<NewUsage>): Promise<NewUsage | undefined> {
  const title = `Log token usage on ${item.id}`;
  const agent = preset.agent ?? (await pickName(title, 'Which agent used them? (e.g. claude-code, or a person)', known(ws, item.root, 'agent'), userName()));
  if (agent === undefined) return undefined;
  const model = preset.model ?? (await pickName(title, 'Which model? (e.g. claude-sonnet-4-5, gpt-5)', known(ws, item.root, 'model'), ''));
  if (model === undefined) return undefined;
  const input = preset.input ?? (await askCount(title, 'Input tokens (prompt, context, tool results)'));
  if (input === undefined) return undefined;
  const cachedInput = preset.cachedInput ?? (await askCount(title, 'Of these, input tokens read from a prompt cache', true));
  if (cachedInput === undefined) return undefined;
  const output = preset.output ?? (await askCount(title, 'Output tokens'));
  if (output === undefined) return undefined;
  const purpose = preset.purpose ?? (await vscode.window.showInputBox({ title, prompt: 'What for? (optional)' }));
  if (purpose === undefined) return undefined;
  return { agent, model, input, output, cachedInput, purpose, team: preset.team };
}
