/** The History node under items in the hierarchy: their commits, looked up when the node is expanded. */
import * as vscode from 'vscode';
import { Item } from '../../core/model';
import { showError } from '../notify';
import { Node } from '../trees/nodes';
import { ItemHistorySource } from '../trees/provider';
import { TaskWorkspace } from '../workspace';
import { commitUri } from './commitDocument';
import { itemHistory } from './history';
import { KeywordOffers } from './keywordOffers';
import { GitRepos } from './repos';

export class TreeHistory implements ItemHistorySource, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subs: vscode.Disposable[];

  constructor(
    private readonly ws: TaskWorkspace,
    private readonly repos: GitRepos,
    offers: KeywordOffers,
  ) {
    const fire = () => this.changed.fire();
    this.subs = [repos.onDidChange(fire), offers.onDidMoveHead(fire), vscode.workspace.onDidGrantWorkspaceTrust(fire), this.changed];
  }

  has(item: Item): boolean {
    return vscode.workspace.isTrusted && item.type !== 'comment' && !!this.repos.knownRepo(item.root);
  }

  async commits(item: Item, scope: string): Promise<Node[]> {
    try {
      const repo = this.repos.knownRepo(item.root);
      const commits = repo ? await itemHistory(this.ws, this.repos, item) : [];
      return (commits ?? []).map((commit) => ({ kind: 'commit', item, commit, uri: commitUri(repo!.root, commit.hash, commit.shortHash), scope }));
    } catch (e) {
      this.ws.log.error(`History of ${item.id} failed`, e as Error);
      void showError(`The history of ${item.id} could not be read: ${(e as Error).message}`);
      return [];
    }
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}
