/** What the three trees share: visibility (filter, closed items), tree items, refresh. */
import * as vscode from 'vscode';
import { isFilterActive, ItemFilter, matchesFilter } from '../../core/filter';
import { TaskIndex } from '../../core/index';
import { compareItems, isClosed, Item } from '../../core/model';
import { commitTreeItem, groupTreeItem, historyTreeItem, itemTreeItem, Node, projectTreeItem } from './nodes';

/** Where an item's History node and its commits come from (the git integration). */
export interface ItemHistorySource {
  /** Whether the item gets a History node now: answered without waiting (no git run). */
  has(item: Item): boolean;
  commits(item: Item, scope: string): Promise<Node[]>;
  readonly onDidChange: vscode.Event<void>;
}

export interface TreeOptions {
  filter: ItemFilter;
  showClosed: boolean;
}

export abstract class TaskTreeProvider implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  /** Per refresh and per filter: does an item or anything below it pass the filter? */
  private shownCache = new WeakMap<Item, boolean>();
  /** The filter and closed-items choice the cache was made for: a new filter counts before the debounced refresh. */
  private cachedFor: ItemFilter | undefined;
  private cachedShowClosed = true;

  constructor(
    protected readonly index: TaskIndex,
    protected readonly options: TreeOptions,
    /** Prefix of tree item ids, so that one file has a distinct id in each tree. */
    private readonly scope: string,
  ) {}

  private history: ItemHistorySource | undefined;

  /** Give the tree's items a History node (the hierarchy does). */
  setHistory(source: ItemHistorySource): vscode.Disposable {
    this.history = source;
    return source.onDidChange(() => this.refresh());
  }

  refresh(): void {
    this.shownCache = new WeakMap();
    this.changed.fire(undefined);
  }

  dispose(): void {
    this.changed.dispose();
  }

  /** Flat trees name each item's project when there are several; the hierarchy has project nodes instead. */
  protected readonly showsProjects: boolean = true;
  protected abstract roots(): Node[];
  /** Children of an item in this tree (only the hierarchy has any). */
  protected itemChildren(_item: Item): Item[] {
    return [];
  }
  abstract getParent(node: Node): Node | undefined;
  /** The node under which a file's item appears, for reveal. */
  abstract nodeFor(item: Item): Node | undefined;

  protected passes(item: Item): boolean {
    if (!this.options.showClosed && isClosed(item.state)) return false;
    return matchesFilter(item, this.options.filter);
  }

  /** Shown when it passes, or (with a filter) when one of its descendants does, so the path stays visible. */
  protected shown(item: Item): boolean {
    if (this.cachedFor !== this.options.filter || this.cachedShowClosed !== this.options.showClosed) {
      this.shownCache = new WeakMap();
      this.cachedFor = this.options.filter;
      this.cachedShowClosed = this.options.showClosed;
    }
    const hit = this.shownCache.get(item);
    if (hit !== undefined) return hit;
    this.shownCache.set(item, false);
    const result =
      this.passes(item) || (isFilterActive(this.options.filter) && this.itemChildren(item).some((c) => this.shown(c)));
    this.shownCache.set(item, result);
    return result;
  }

  protected visibleSorted(items: Iterable<Item>): Item[] {
    return [...items].filter((i) => this.shown(i)).sort(compareItems);
  }

  protected itemNode(item: Item): Node {
    return { kind: 'item', item, scope: this.scope };
  }

  getChildren(node?: Node): Node[] | Promise<Node[]> {
    if (!node) return this.roots();
    if (node.kind === 'item') {
      const children = this.visibleSorted(this.itemChildren(node.item)).map((i) => this.itemNode(i));
      return this.history?.has(node.item) ? [...children, { kind: 'history', item: node.item, scope: this.scope }] : children;
    }
    if (node.kind === 'history') return this.history ? this.history.commits(node.item, this.scope) : [];
    if (node.kind === 'commit') return [];
    if (node.kind === 'group') return this.visibleSorted(node.items()).map((i) => this.itemNode(i));
    return this.projectChildren(node.root);
  }

  protected projectChildren(_root: string): Node[] {
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'project') return projectTreeItem(node.root, this.index);
    if (node.kind === 'group') return groupTreeItem(node, this.visibleSorted(node.items()).length);
    if (node.kind === 'history') return historyTreeItem(node);
    if (node.kind === 'commit') return commitTreeItem(node);
    const hasChildren = this.itemChildren(node.item).some((c) => this.shown(c)) || !!this.history?.has(node.item);
    return itemTreeItem(node.item, this.index, this.scope, hasChildren, this.showsProjects && this.index.getProjects().length > 1);
  }
}
