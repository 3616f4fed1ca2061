/**
 * The git side of the workspace: which repository holds each project, one history cache per
 * repository, and the trust gate every git feature passes (git runs hooks, fsmonitor and other
 * programs the repository configures).
 */
import * as vscode from 'vscode';
import { Project } from '../../core/index';
import { TaskHistory } from '../../core/git/history';
import { findRepo, Repo } from '../../core/git/repo';
import { showWarning } from '../notify';
import { TaskWorkspace } from '../workspace';

export class UntrustedError extends Error {
  constructor() {
    super('Git features are off in untrusted workspaces, because git runs hooks and other programs a repository configures. Trust this workspace to use them.');
  }
}

export function requireTrust(): void {
  if (!vscode.workspace.isTrusted) throw new UntrustedError();
}

export class GitRepos implements vscode.Disposable {
  /** Per project root: its repository. Only found repositories are kept (a `git init` later is seen). */
  private readonly byRoot = new Map<string, Repo>();
  private readonly histories = new Map<string, TaskHistory>();
  /** Config problems already shown, so each is shown once per window. */
  private readonly warned = new Set<string>();

  private readonly changed = new vscode.EventEmitter<void>();
  /** A repository was found for a project, or all were forgotten. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly ws: TaskWorkspace) {}

  /** The repository already found for a project root, without running git. */
  knownRepo(root: string): Repo | undefined {
    return this.byRoot.get(root);
  }

  /** The repository that contains a project's root, or undefined (with trust required). */
  async repoFor(root: string): Promise<Repo | undefined> {
    requireTrust();
    const known = this.byRoot.get(root);
    if (known) return known;
    const repo = await findRepo(root);
    if (repo && !this.byRoot.has(root)) {
      this.byRoot.set(root, repo);
      this.changed.fire();
    }
    return this.byRoot.get(root) ?? repo;
  }

  /** Like repoFor, but a project outside any repository is an error the user sees. */
  async requireRepo(root: string): Promise<Repo> {
    const repo = await this.repoFor(root);
    if (!repo) throw new Error(`${this.ws.index.getProject(root)?.config.name ?? root} is not inside a git repository (or git is not installed).`);
    return repo;
  }

  history(repo: Repo): TaskHistory {
    let h = this.histories.get(repo.root);
    if (!h) {
      h = new TaskHistory(repo.git);
      this.histories.set(repo.root, h);
    }
    return h;
  }

  /** The projects whose root lies in a repository. */
  projectsIn(repo: Repo): Project[] {
    return this.ws.index.getProjects().filter((p) => this.byRoot.get(p.root)?.root === repo.root);
  }

  /** A problem in a project's `git` config, logged and shown once. */
  warnConfig(root: string, error: string | undefined): void {
    if (!error || this.warned.has(`${root}\0${error}`)) return;
    this.warned.add(`${root}\0${error}`);
    this.ws.log.warn(`${root}: ${error}`);
    void showWarning(`config.yaml: ${error}`);
  }

  /** Folders came or went: repositories are looked up again. */
  forget(): void {
    this.byRoot.clear();
    this.histories.clear();
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }
}
