import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { parse as parseYaml } from 'yaml';
import type { TaskCommit } from '../../../src/core/git/history';
import { findFrontmatter, FrontmatterBlock } from '../../../src/core/parse';
import { COMMANDS, VIEWS } from '../../../src/host/commandIds';
import type { KeywordOffer } from '../../../src/host/git/keywordOffers';
import type { StartWorkResult } from '../../../src/host/git/startWork';
import { renderedLinks } from '../../unit/support/linkedText';
import { api, interceptMessages, waitFor, wsFile, wsRoot } from './helpers';
import { indexMatchesDisk, snapshot } from './snapshot';

const ENV = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
function git(...args: string[]): string {
  return execFileSync('git', args, { cwd: wsRoot(), encoding: 'utf8', env: ENV, stdio: ['pipe', 'pipe', 'pipe'] });
}
let tick = 0;
/** A commit with its own date, one minute after the last, so the order of a history is known. */
function commit(message: string, rel = 'notes.txt'): string {
  fs.appendFileSync(wsFile(rel), `${message}\n`);
  git('add', '--', rel);
  const date = new Date(Date.UTC(2026, 0, 1) + ++tick * 60_000).toISOString();
  execFileSync('git', ['commit', '-q', '-F', '-'], { cwd: wsRoot(), input: message, env: { ...ENV, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } });
  return git('rev-parse', 'HEAD').trim();
}
const read = (rel: string) => fs.readFileSync(wsFile(rel), 'utf8');
function frontmatter(text: string): Record<string, unknown> {
  const b = findFrontmatter(text) as FrontmatterBlock;
  return parseYaml(text.slice(b.start, b.end)) as Record<string, unknown>;
}

describe('git', function () {
  this.timeout(60000);
  let restore: () => void;

  beforeEach(async () => {
    await api();
    restore = snapshot(wsRoot());
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'Test Author');
    git('config', 'user.email', 'author@example.test');
    git('config', 'commit.gpgsign', 'false');
    git('add', '-A');
    git('commit', '-q', '-m', 'Initial tasks');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(path.join(wsRoot(), '.git'), { recursive: true, force: true });
    restore();
    const a = await api();
    await indexMatchesDisk(a.index);
    a.git.repos.forget();
    // The keyword watcher lets go of the repository that is gone.
    await a.git.offers.sync();
  });

  it('Start Work on Task creates and checks out the branch and moves the issue to Active, changing only the transition keys', async () => {
    const rel = 'tasks/issues/ISS-0001-login-form.md';
    const before = read(rel);
    const result = await vscode.commands.executeCommand<StartWorkResult>(COMMANDS.startWork, wsFile(rel), { quiet: true });
    assert.deepStrictEqual(result, { branch: 'issue/ISS-0001-login-form', outcome: 'created', state: 'active' });
    assert.strictEqual(git('symbolic-ref', '--short', 'HEAD').trim(), 'issue/ISS-0001-login-form');
    const after = read(rel);
    const fm = frontmatter(after);
    assert.strictEqual(fm.state, 'active');
    const meta = fm.state_metadata as Record<string, unknown>;
    assert.strictEqual(meta.previous_state, 'ready_for_engineering');
    assert.strictEqual(meta.transition_reason, 'Work started on branch issue/ISS-0001-login-form');
    assert.ok(!('manual_override' in meta));
    // The same lines a Change State to Active changes, and no other.
    const gone = before.split('\n').filter((l) => !after.split('\n').includes(l));
    assert.deepStrictEqual(gone, [
      'state: ready_for_engineering',
      '  transitioned_at: 2026-11-18T08:30:00.000Z',
      '  transitioned_by: alice',
      '  previous_state: planning',
      'updated_date: 2026-11-18T08:30:00.000Z',
    ]);
    await waitFor(() => (api().then((a) => a.index.entry(wsFile(rel))?.item?.state === 'active')), 'the index to see Active');

    // A second run switches back to the existing branch and leaves the file alone.
    git('commit', '-qam', 'ISS-0001 started');
    git('switch', '-q', 'main');
    await waitFor(() => api().then((a) => a.index.entry(wsFile(rel))?.item?.state === 'ready_for_engineering'), 'the index to follow the checkout');
    const again = await vscode.commands.executeCommand<StartWorkResult>(COMMANDS.startWork, wsFile(rel), { quiet: true });
    assert.deepStrictEqual(again, { branch: 'issue/ISS-0001-login-form', outcome: 'switched', state: 'active' });
    assert.strictEqual(read(rel), after);
    assert.strictEqual(git('status', '--porcelain', '--untracked-files=no'), '');
  });

  it('a move the rules refuse leaves the state (quiet) or is forced as a manual override', async () => {
    const rel = 'tasks/tasks/TSK-0003-rate-limit.md';
    const before = read(rel);
    const refused = await vscode.commands.executeCommand<StartWorkResult>(COMMANDS.startWork, wsFile(rel), { quiet: true });
    assert.deepStrictEqual(refused, { branch: 'task/TSK-0003-rate-limit-reset-requests', outcome: 'created', state: 'planning' });
    assert.strictEqual(read(rel), before);
    const forced = await vscode.commands.executeCommand<StartWorkResult>(COMMANDS.startWork, wsFile(rel), { quiet: true, force: true });
    assert.deepStrictEqual(forced, { branch: 'task/TSK-0003-rate-limit-reset-requests', outcome: 'current', state: 'active' });
    const meta = frontmatter(read(rel)).state_metadata as Record<string, unknown>;
    assert.strictEqual(meta.manual_override, true);
    assert.strictEqual(meta.previous_state, 'planning');
  });

  it('refuses to switch when local changes would be overwritten, and changes nothing', async () => {
    const rel = 'tasks/tasks/TSK-0003-rate-limit.md';
    git('switch', '-q', '-c', 'task/TSK-0003-rate-limit-reset-requests');
    commit('branch work', 'README.md');
    git('switch', '-q', 'main');
    fs.appendFileSync(wsFile('README.md'), 'local, uncommitted\n');
    const readme = read('README.md');
    const task = read(rel);
    const result = await vscode.commands.executeCommand(COMMANDS.startWork, wsFile(rel), { quiet: true, force: true });
    assert.strictEqual(result, undefined);
    assert.strictEqual(git('symbolic-ref', '--short', 'HEAD').trim(), 'main');
    assert.strictEqual(read('README.md'), readme);
    assert.strictEqual(read(rel), task);
  });

  it('Show Task History returns the commits naming the task and those on its branch', async () => {
    const a = commit('TSK-0002: session call');
    commit('Unrelated work on TSK-00020');
    const b = commit('Retry on 401\n\nRefs tsk-2.');
    git('switch', '-q', '-c', 'task/TSK-0002-session-api-call');
    const c = commit('Timeouts');
    git('switch', '-q', 'main');
    const commits = await vscode.commands.executeCommand<TaskCommit[]>(COMMANDS.showTaskHistory, wsFile('tasks/tasks/TSK-0002-session-api.md'), { pick: false });
    assert.deepStrictEqual(
      commits.map((x) => [x.hash, x.subject, x.via]),
      [
        [c, 'Timeouts', ['branch']],
        [b, 'Retry on 401', ['message']],
        [a, 'TSK-0002: session call', ['message']],
      ],
    );
    assert.strictEqual(commits[0].author, 'Test Author');
    assert.strictEqual(commits[0].shortHash, git('rev-parse', '--short', c).trim());
    const none = await vscode.commands.executeCommand<TaskCommit[]>(COMMANDS.showTaskHistory, wsFile('tasks/issues/ISS-0003-export-csv.md'), { pick: false });
    assert.deepStrictEqual(none, []);
  });

  it('the hierarchy gives a task a History node whose commits open as diffs, only while it is in a repository', async () => {
    const a = await api();
    const h = a.treeProvider(VIEWS.hierarchy)!;
    const label = (t: vscode.TreeItem) => (typeof t.label === 'string' ? t.label : t.label?.label ?? '');
    const rows = async (node?: unknown) => Promise.all(((await h.getChildren(node)) ?? []).map(async (n) => ({ node: n, item: await h.getTreeItem(n) })));
    const find = async (parent: unknown, prefix: string) => {
      const r = (await rows(parent)).find((x) => label(x.item).startsWith(prefix));
      assert.ok(r, `no row ${prefix} under ${JSON.stringify((await rows(parent)).map((x) => label(x.item)))}`);
      return r;
    };
    const taskRow = async () => {
      for (const top of await rows()) {
        const epic = (await rows(top.node)).find((x) => label(x.item).startsWith('EP-0001'));
        if (epic) return find((await find(epic.node, 'ISS-0001')).node, 'TSK-0002');
      }
      throw new Error('EP-0001 not found');
    };
    const hash = commit('TSK-0002: session call');
    await a.git.offers.sync();
    const task = await taskRow();
    assert.strictEqual(task.item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    const history = await find(task.node, 'History');
    const commits = await rows(history.node);
    assert.deepStrictEqual(commits.map((c) => label(c.item)), ['TSK-0002: session call']);
    const cmd = commits[0].item.command!;
    assert.strictEqual(cmd.command, 'vscode.open');
    const doc = await vscode.workspace.openTextDocument(cmd.arguments![0] as vscode.Uri);
    assert.ok(doc.getText().startsWith(`commit ${hash}`), doc.getText().slice(0, 200));
    assert.ok(doc.getText().includes('+TSK-0002: session call'));

    fs.rmSync(path.join(wsRoot(), '.git'), { recursive: true, force: true });
    a.git.repos.forget();
    await a.git.offers.sync();
    const after = await taskRow();
    assert.strictEqual(after.item.collapsibleState, vscode.TreeItemCollapsibleState.None);
    assert.deepStrictEqual((await rows(after.node)).map((r) => label(r.item)), []);
  });

  it('a new commit saying "fixes TSK-0002" is offered as a transition, and nothing is written without Apply', async () => {
    const a = await api();
    await a.git.offers.sync();
    const rel = 'tasks/tasks/TSK-0002-session-api.md';
    const before = read(rel);
    const offers: KeywordOffer[] = [];
    const sub = a.git.offers.onDidOffer((o) => offers.push(o));
    try {
      const hash = commit('Session call done\n\nFixes TSK-0002, closes ISS-0003');
      await waitFor(() => offers.length >= 2 && offers, 'two offers');
      const byId = Object.fromEntries(offers.map((o) => [o.item.id, [o.to, o.keyword, o.commit.hash]]));
      assert.deepStrictEqual(byId, { 'TSK-0002': ['done', 'fixes', hash], 'ISS-0003': ['done', 'closes', hash] });
      assert.strictEqual(read(rel), before);
    } finally {
      sub.dispose();
    }
  });

  it('an offer shows the commit subject and task title as text: a link in them is not a link', async () => {
    const a = await api();
    await a.git.offers.sync();
    const rel = 'tasks/tasks/TSK-0002-session-api.md';
    const hostile = '[click](command:workbench.action.quit)';
    fs.writeFileSync(wsFile(rel), read(rel).replace(/^title: .*$/m, `title: '${hostile}'`));
    await waitFor(() => a.index.entry(wsFile(rel))?.item?.title === hostile, 'the new title in the index');
    const messages = interceptMessages();
    try {
      commit(`[Details](command:workbench.action.quit "Details") fixes TSK-0002`, rel);
      const offer = await waitFor(() => messages.shown.find((m) => m.message.includes('TSK-0002')), 'the offer');
      assert.deepStrictEqual(renderedLinks(offer.message), []);
      const readable = offer.message.replace(/\u2060/g, '');
      assert.ok(readable.includes(`"[Details](command:workbench.action.quit "Details") fixes TSK-0002"`), readable);
      assert.ok(readable.includes(`TSK-0002 ${hostile} from`), readable);
      assert.deepStrictEqual(offer.items, ['Apply', 'Ignore']);
    } finally {
      messages.restore();
    }
  });

  it('the commit hook installs, and a commit it recorded (no reflog, as if VS Code had been closed) is offered', async () => {
    const a = await api();
    const task = wsFile('tasks/tasks/TSK-0002-session-api.md');
    const hook = await vscode.commands.executeCommand<string>(COMMANDS.installCommitHook, task);
    assert.strictEqual(hook, path.join(wsRoot(), '.git', 'hooks', 'post-commit'));
    assert.ok(fs.statSync(hook).mode & 0o100);
    await a.git.offers.sync();
    // Without a reflog the watcher cannot see the commit: only the hook's record can tell of it.
    git('config', 'core.logAllRefUpdates', 'false');
    fs.rmSync(path.join(wsRoot(), '.git', 'logs'), { recursive: true, force: true });
    const offers: KeywordOffer[] = [];
    const sub = a.git.offers.onDidOffer((o) => offers.push(o));
    try {
      const hash = commit('Resolves TSK-0002');
      assert.ok(!fs.existsSync(path.join(wsRoot(), '.git', 'logs', 'HEAD')));
      await waitFor(async () => {
        await a.git.offers.check();
        return offers.length > 0;
      }, 'the recorded commit to be offered');
      assert.deepStrictEqual(offers.map((o) => [o.item.id, o.to, o.keyword, o.commit.hash]), [['TSK-0002', 'done', 'resolves', hash]]);
      assert.ok(!fs.existsSync(path.join(wsRoot(), '.git', 'ai-trackdown-commits')), 'the record is cleared once read');
    } finally {
      sub.dispose();
    }
    assert.strictEqual(await vscode.commands.executeCommand(COMMANDS.uninstallCommitHook, task), true);
    assert.ok(!fs.existsSync(hook));
  });
});
