/** The three sidebar trees, their shared filter, and the view-title commands. */
import * as vscode from 'vscode';
import { assigneeName, describeFilter, isFilterActive, ItemFilter } from '../../core/filter';
import { COMMANDS, CONTEXT, VIEWS } from '../commandIds';
import { showInfo } from '../notify';
import { TaskWorkspace } from '../workspace';
import { byAssignee, byState, GroupedProvider } from './grouped';
import { HierarchyProvider } from './hierarchy';
import { Node } from './nodes';
import { ItemHistorySource, TaskTreeProvider, TreeOptions } from './provider';

export interface Trees {
  /** Show a task file's item in the hierarchy tree (or the first tree that shows it). */
  reveal(file: string): Promise<boolean>;
  /** The data behind a view, by view id. */
  provider(viewId: string): vscode.TreeDataProvider<Node> | undefined;
  /** Give the hierarchy's items a History node. */
  setItemHistory(source: ItemHistorySource): void;
}

const FILTER_KEY = 'aiTrackdown.filter';
const REFRESH_DELAY_MS = 50;

export function registerTrees(context: vscode.ExtensionContext, ws: TaskWorkspace): Trees {
  const settings = () => vscode.workspace.getConfiguration('aiTrackdown');
  const options: TreeOptions = {
    filter: context.workspaceState.get<ItemFilter>(FILTER_KEY, {}),
    showClosed: settings().get<boolean>('tree.showClosed', true),
  };
  const providers: [string, TaskTreeProvider][] = [
    [VIEWS.hierarchy, new HierarchyProvider(ws.index, options, 'h')],
    [VIEWS.byState, new GroupedProvider(ws.index, options, 's', byState)],
    [VIEWS.byAssignee, new GroupedProvider(ws.index, options, 'a', byAssignee)],
  ];
  const views = providers.map(([id, provider]) => {
    const view = vscode.window.createTreeView<Node>(id, { treeDataProvider: provider, showCollapseAll: id === VIEWS.hierarchy });
    context.subscriptions.push(view, provider);
    return { view, provider };
  });

  let timer: NodeJS.Timeout | undefined;
  const refresh = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      for (const { provider } of views) provider.refresh();
    }, REFRESH_DELAY_MS);
  };

  const applyFilter = async (filter: ItemFilter) => {
    options.filter = filter;
    await context.workspaceState.update(FILTER_KEY, filter);
    const active = isFilterActive(filter);
    await vscode.commands.executeCommand('setContext', CONTEXT.filterActive, active);
    for (const { view } of views) view.description = active ? `Filtered: ${describeFilter(filter)}` : undefined;
    refresh();
  };
  void applyFilter(options.filter);

  context.subscriptions.push(
    { dispose: () => timer && clearTimeout(timer) },
    ws.index.onDidChange(refresh),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('aiTrackdown.tree.showClosed')) return;
      options.showClosed = settings().get<boolean>('tree.showClosed', true);
      refresh();
    }),
    vscode.commands.registerCommand(COMMANDS.refresh, () => ws.rescan()),
    vscode.commands.registerCommand(COMMANDS.clearFilter, () => applyFilter({})),
    vscode.commands.registerCommand(COMMANDS.filter, async (preset?: ItemFilter) => {
      const next = preset ?? (await pickFilter(ws, options.filter));
      if (next) await applyFilter(next);
    }),
    vscode.commands.registerCommand(COMMANDS.revealActiveFile, async () => {
      const file = vscode.window.activeTextEditor?.document.uri;
      if (!file || file.scheme !== 'file' || !(await reveal(file.fsPath))) {
        void showInfo('The active editor is not a task file shown in the AI Trackdown trees.');
      }
    }),
  );

  const reveal = async (file: string): Promise<boolean> => {
    await ws.ready;
    const item = ws.index.entry(file)?.item;
    if (!item) return false;
    // Flush a pending refresh first, so the tree knows the item.
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
      for (const { provider } of views) provider.refresh();
    }
    for (const { view, provider } of views) {
      const node = provider.nodeFor(item);
      if (!node) continue;
      await view.reveal(node, { select: true, focus: true, expand: true });
      return true;
    }
    return false;
  };
  return {
    reveal,
    provider: (viewId) => providers.find(([id]) => id === viewId)?.[1],
    setItemHistory: (source) => context.subscriptions.push(providers[0][1].setHistory(source)),
  };
}

/** Ask which filter to set: text, a label or an assignee picked from those in use. */
async function pickFilter(ws: TaskWorkspace, current: ItemFilter): Promise<ItemFilter | undefined> {
  const kinds: (vscode.QuickPickItem & { kind2: keyof ItemFilter })[] = [
    { label: '$(search) Text', description: current.text ? `now "${current.text}"` : 'id or title contains…', kind2: 'text' },
    { label: '$(tag) Label', description: current.label ? `now ${current.label}` : undefined, kind2: 'label' },
    { label: '$(account) Assignee', description: current.assignee ? `now ${current.assignee}` : undefined, kind2: 'assignee' },
  ];
  const kind = await vscode.window.showQuickPick(kinds, { title: 'Filter the AI Trackdown trees', placeHolder: 'Filter by…' });
  if (!kind) return undefined;
  if (kind.kind2 === 'text') {
    const text = await vscode.window.showInputBox({
      title: 'Filter by text',
      prompt: 'Items whose id or title contains this text (empty to clear)',
      value: current.text ?? '',
    });
    return text === undefined ? undefined : { ...current, text: text.trim() || undefined };
  }
  const values = new Map<string, number>();
  for (const item of ws.index.items()) {
    const keys = kind.kind2 === 'label' ? item.labels : [assigneeName(item)].filter((x): x is string => !!x);
    for (const k of keys) values.set(k, (values.get(k) ?? 0) + 1);
  }
  const picks: vscode.QuickPickItem[] = [
    { label: '$(close) Any', description: 'clear this part of the filter' },
    ...[...values.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([label, n]) => ({ label, description: `${n} item${n === 1 ? '' : 's'}` })),
  ];
  const picked = await vscode.window.showQuickPick(picks, { title: `Filter by ${kind.kind2}`, matchOnDescription: false });
  if (!picked) return undefined;
  return { ...current, [kind.kind2]: picked.label === '$(close) Any' ? undefined : picked.label };
}
