/** Epic → issue → task/PR/comment, per project; items whose parent is missing are grouped as orphans. */
import * as vscode from 'vscode';
import { isFilterActive } from '../../core/filter';
import { Item, ItemType } from '../../core/model';
import { Node } from './nodes';
import { TaskTreeProvider } from './provider';

/** Which parent types make a real link; anything else counts as an orphan (this also rules out cycles). */
const PARENT_TYPES: Record<ItemType, readonly ItemType[]> = {
  epic: [],
  issue: ['epic'],
  task: ['issue', 'epic'],
  pr: ['issue', 'epic'],
  comment: ['issue'],
};

export class HierarchyProvider extends TaskTreeProvider {
  protected readonly showsProjects = false;

  private validParent(item: Item): Item | undefined {
    const parent = this.index.parent(item);
    return parent && PARENT_TYPES[item.type].includes(parent.type) ? parent : undefined;
  }

  protected itemChildren(item: Item): Item[] {
    return this.index.children(item).filter((c) => PARENT_TYPES[c.type].includes(item.type));
  }

  protected roots(): Node[] {
    const roots = this.index.getProjects().map((p) => p.root).sort();
    if (roots.length === 1) return this.projectChildren(roots[0]);
    const filtering = isFilterActive(this.options.filter);
    return roots.filter((root) => !filtering || this.projectChildren(root).length > 0).map((root) => ({ kind: 'project', root }));
  }

  private groups(root: string): Extract<Node, { kind: 'group' }>[] {
    const inProject = () => [...this.index.items(root)];
    return [
      {
        kind: 'group',
        key: `no-epic:${root}`,
        root,
        label: 'Issues without an epic',
        icon: new vscode.ThemeIcon('issues'),
        items: () => inProject().filter((i) => i.type === 'issue' && !i.parentId),
        tooltip: 'Issues that name no epic_id',
      },
      {
        kind: 'group',
        key: `orphans:${root}`,
        root,
        label: 'Orphans',
        icon: new vscode.ThemeIcon('question'),
        items: () => inProject().filter((i) => i.type !== 'epic' && (i.parentId || i.type !== 'issue') && !this.validParent(i)),
        tooltip: 'Items whose parent is missing or is not an epic/issue',
      },
    ];
  }

  protected projectChildren(root: string): Node[] {
    const epics = this.visibleSorted([...this.index.items(root)].filter((i) => i.type === 'epic')).map((i) => this.itemNode(i));
    const groups = this.groups(root).filter((g) => this.visibleSorted(g.items()).length > 0);
    return [...epics, ...groups];
  }

  getParent(node: Node): Node | undefined {
    if (node.kind === 'project') return undefined;
    const multi = this.index.getProjects().length > 1;
    const projectNode = (root: string): Node | undefined => (multi ? { kind: 'project', root } : undefined);
    if (node.kind === 'group') return node.root ? projectNode(node.root) : undefined;
    if (node.kind === 'history') return this.itemNode(node.item);
    if (node.kind === 'commit') return { kind: 'history', item: node.item, scope: node.scope };
    const item = node.item;
    const parent = this.validParent(item);
    if (parent) return this.itemNode(parent);
    if (item.type === 'epic') return projectNode(item.root);
    return this.groups(item.root)[item.type === 'issue' && !item.parentId ? 0 : 1];
  }

  nodeFor(item: Item): Node | undefined {
    return this.shown(item) ? this.itemNode(item) : undefined;
  }
}
