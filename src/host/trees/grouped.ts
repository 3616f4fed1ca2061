/** Flat trees of items grouped by one property: by state, by assignee. */
import * as vscode from 'vscode';
import { assigneeName } from '../../core/filter';
import { Item, State, STATE_LABELS, STATES } from '../../core/model';
import { Node, stateIcon } from './nodes';
import { TaskTreeProvider, TreeOptions } from './provider';
import { TaskIndex } from '../../core/index';

interface Grouping {
  keyOf(item: Item): string;
  /** Group keys in display order, given the keys present. */
  order(keys: string[]): string[];
  label(key: string): string;
  icon(key: string): vscode.ThemeIcon;
}

export class GroupedProvider extends TaskTreeProvider {
  constructor(index: TaskIndex, options: TreeOptions, scope: string, private readonly grouping: Grouping) {
    super(index, options, scope);
  }

  private group(key: string): Extract<Node, { kind: 'group' }> {
    return {
      kind: 'group',
      key,
      label: this.grouping.label(key),
      icon: this.grouping.icon(key),
      items: () => [...this.index.items()].filter((i) => i.type !== 'comment' && this.grouping.keyOf(i) === key),
    };
  }

  protected roots(): Node[] {
    const keys = new Set<string>();
    for (const i of this.index.items()) if (i.type !== 'comment' && this.shown(i)) keys.add(this.grouping.keyOf(i));
    return this.grouping.order([...keys]).map((k) => this.group(k));
  }

  getParent(node: Node): Node | undefined {
    return node.kind === 'item' ? this.group(this.grouping.keyOf(node.item)) : undefined;
  }

  nodeFor(item: Item): Node | undefined {
    return item.type !== 'comment' && this.shown(item) ? this.itemNode(item) : undefined;
  }
}

const NO_STATE = '\0none';
export const byState: Grouping = {
  keyOf: (i) => i.state ?? NO_STATE,
  order: (keys) => [...STATES.filter((s) => keys.includes(s)), ...(keys.includes(NO_STATE) ? [NO_STATE] : [])],
  label: (k) => (k === NO_STATE ? 'No or unknown state' : STATE_LABELS[k as State]),
  icon: (k) => stateIcon(k === NO_STATE ? undefined : (k as State)),
};

const UNASSIGNED = '\0unassigned';
export const byAssignee: Grouping = {
  keyOf: (i) => assigneeName(i) ?? UNASSIGNED,
  order: (keys) => [
    ...keys.filter((k) => k !== UNASSIGNED).sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })),
    ...(keys.includes(UNASSIGNED) ? [UNASSIGNED] : []),
  ],
  label: (k) => (k === UNASSIGNED ? 'Unassigned' : k),
  icon: (k) => new vscode.ThemeIcon(k === UNASSIGNED ? 'circle-slash' : 'account'),
};
