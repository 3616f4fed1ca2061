/**
 * Keyword transitions: when a commit is made (seen in HEAD's reflog, or recorded by the post-commit
 * hook while VS Code was closed) and its message says "fixes TSK-0001", offer the move. Nothing is
 * applied without the user's Apply, and Apply goes through Change State (rules, Force, writer).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { commitMessages } from '../../core/git/history';
import { RECORD_FILE, takeRecordedCommits } from '../../core/git/hook';
import { keywordTransitions, statusKeywords } from '../../core/git/keywords';
import { headReflogFile, ReflogReader } from '../../core/git/reflog';
import { refKey, refPattern } from '../../core/git/refs';
import { Repo } from '../../core/git/repo';
import { Item, State, STATE_LABELS } from '../../core/model';
import { currentState } from '../../core/workflow';
import { changeState } from '../commands/state';
import { showInfo, showError } from '../notify';
import { TaskWorkspace } from '../workspace';
import { GitRepos } from './repos';

/** Polling the reflog's size is cheap and works where file events from .git are excluded or missed. */
const POLL_MS = 1000;

export interface KeywordOffer {
  item: Item;
  to: State;
  keyword: string;
  commit: { hash: string; shortHash: string; subject: string };
}

interface Watched {
  repo: Repo;
  reader: ReflogReader;
  files: string[];
  listener: () => void;
}

export class KeywordOffers implements vscode.Disposable {
  private readonly watched = new Map<string, Watched>();
  /** Commits already looked at, so the reflog and the hook's record never offer one twice. */
  private readonly seen = new Set<string>();
  private readonly offered = new vscode.EventEmitter<KeywordOffer>();
  /** Fires for each offer shown (for the public API and tests). */
  readonly onDidOffer = this.offered.event;
  private readonly moved = new vscode.EventEmitter<void>();
  /** HEAD's reflog (or the hook's record) changed: a commit, checkout or reset happened. */
  readonly onDidMoveHead = this.moved.event;
  private running = Promise.resolve();
  private disposed = false;

  constructor(
    private readonly ws: TaskWorkspace,
    private readonly repos: GitRepos,
  ) {}

  private enabled(): boolean {
    return vscode.workspace.getConfiguration('aiTrackdown').get<boolean>('git.keywordTransitions', true);
  }

  /** Watch the repositories of the current projects (call again when projects change). */
  async sync(): Promise<void> {
    if (this.disposed || !vscode.workspace.isTrusted) return;
    const repos = new Map<string, Repo>();
    for (const p of this.ws.index.getProjects()) {
      const repo = await this.repos.repoFor(p.root).catch(() => undefined);
      if (repo) repos.set(repo.gitDir, repo);
    }
    for (const [gitDir, w] of this.watched) {
      if (repos.has(gitDir)) continue;
      for (const f of w.files) fs.unwatchFile(f, w.listener);
      this.watched.delete(gitDir);
    }
    for (const [gitDir, repo] of repos) {
      if (this.watched.has(gitDir)) continue;
      const w: Watched = {
        repo,
        reader: new ReflogReader(headReflogFile(gitDir)),
        files: [headReflogFile(gitDir), path.join(gitDir, RECORD_FILE)],
        listener: () => {
          this.moved.fire();
          this.schedule(gitDir);
        },
      };
      this.watched.set(gitDir, w);
      await w.reader.newCommits();
      for (const f of w.files) fs.watchFile(f, { interval: POLL_MS, persistent: false }, w.listener);
      // What the hook recorded while VS Code was closed.
      this.schedule(gitDir);
    }
  }

  /** Look for new commits in one repository now (the watchers call this; so can tests). */
  check(gitDir?: string): Promise<void> {
    for (const key of gitDir ? [gitDir] : [...this.watched.keys()]) this.schedule(key);
    return this.running;
  }

  private schedule(gitDir: string): void {
    this.running = this.running.then(() => this.scan(gitDir)).catch((e) => this.ws.log.error('Looking for commit keywords failed', e as Error));
  }

  private async scan(gitDir: string): Promise<void> {
    const w = this.watched.get(gitDir);
    if (!w || this.disposed || !vscode.workspace.isTrusted) return;
    const hashes = [...(await w.reader.newCommits()), ...(await takeRecordedCommits(gitDir))].filter((h) => !this.seen.has(h));
    if (!hashes.length) return;
    for (const h of hashes) this.seen.add(h);
    if (!this.enabled()) return;
    for (const c of await commitMessages(w.repo.git, hashes)) {
      for (const offer of this.offersFor(w.repo, c)) this.show(offer);
    }
  }

  private offersFor(repo: Repo, c: { hash: string; shortHash: string; subject: string; body: string }): KeywordOffer[] {
    const offers = new Map<string, KeywordOffer>();
    for (const project of this.repos.projectsIn(repo)) {
      const pattern = refPattern(project.config);
      const keywords = statusKeywords(project.config);
      this.repos.warnConfig(project.root, pattern.error);
      for (const e of keywords.errors) this.repos.warnConfig(project.root, e);
      const wanted = keywordTransitions(c.body, keywords.keywords, pattern.regex);
      if (!wanted.length) continue;
      const byKey = new Map(wanted.map((t) => [refKey(t.id), t]));
      for (const item of this.ws.index.items(project.root)) {
        const t = byKey.get(refKey(item.id));
        if (!t || item.type === 'comment' || currentState(item) === t.to) continue;
        offers.set(item.file, { item, to: t.to, keyword: t.keyword, commit: c });
      }
    }
    return [...offers.values()];
  }

  private show(offer: KeywordOffer): void {
    this.offered.fire(offer);
    const { item, to, keyword, commit } = offer;
    const text = `Commit ${commit.shortHash} "${commit.subject}" says "${keyword} ${item.id}": move ${item.id} ${item.title} from ${STATE_LABELS[currentState(item)]} to ${STATE_LABELS[to]}?`;
    void showInfo(text, 'Apply', 'Ignore').then(async (choice) => {
      if (choice !== 'Apply') return;
      try {
        await changeState(this.ws, item.file, to, { reason: `"${keyword}" in commit ${commit.shortHash}` });
      } catch (e) {
        void showError((e as Error).message);
      }
    });
  }

  dispose(): void {
    this.disposed = true;
    for (const w of this.watched.values()) for (const f of w.files) fs.unwatchFile(f, w.listener);
    this.watched.clear();
    this.offered.dispose();
    this.moved.dispose();
  }
}
