import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { parse as parseYaml } from 'yaml';
import { editFrontmatter } from '../../../src/core/edit';
import { acquireSyncLock } from '../../../src/core/sync/lock';
import { loadSyncState } from '../../../src/core/sync/state';
import { COMMANDS } from '../../../src/host/commandIds';
import type { RunResult, ProviderStatus } from '../../../src/host/sync/service';
import { FakeGitHub } from '../../unit/support/fakeGitHub';
import { api, interceptMessages, noAutoSave, waitFor, wsFile, wsRoot } from './helpers';
import { indexMatchesDisk, snapshot } from './snapshot';

function frontmatter(file: string): Record<string, unknown> {
  const m = /^---\r?\n([\s\S]*?)\r?\n---/.exec(fs.readFileSync(file, 'utf8'));
  return parseYaml(m![1]) as Record<string, unknown>;
}

describe('sync with GitHub (a server on 127.0.0.1)', () => {
  let gh: FakeGitHub;
  let restore: () => void;
  const root = () => wsFile('services/billing');
  const stories = () => path.join(root(), 'work', 'stories');
  const story = () => path.join(stories(), 'BST-0001-pdf-invoice.md');

  before(async () => {
    await api();
    await noAutoSave(true);
    restore = snapshot(wsRoot());
    gh = await new FakeGitHub().start();
    gh.add({ title: 'Refunds in the invoice list', body: 'Show refunds as negative lines.\n', labels: ['billing'] });
  });

  after(async () => {
    const a = await api();
    await gh.stop();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await noAutoSave(false);
    restore();
    await indexMatchesDisk(a.index);
  });

  it('configures GitHub through the command: config.yaml gains sync.github, the token goes to secret storage', async () => {
    const r = await vscode.commands.executeCommand(COMMANDS.syncConfigure, { root: root(), provider: 'github', repo: `${gh.owner}/${gh.repo}`, apiUrl: gh.url, token: gh.token });
    assert.deepStrictEqual(r, { root: root(), provider: 'github' });
    const config = parseYaml(fs.readFileSync(path.join(root(), '.ai-trackdown', 'config.yaml'), 'utf8')) as { sync: unknown; name: string };
    assert.deepStrictEqual(config.sync, { github: { repo: 'acme/shop', api_url: gh.url } });
    assert.strictEqual(config.name, 'billing');
    assert.ok(!fs.readFileSync(path.join(root(), '.ai-trackdown', 'config.yaml'), 'utf8').includes(gh.token), 'the token is not in the config');
  });

  it('Sync Now pushes the local story, imports the remote issue, and the status bar says when', async () => {
    const a = await api();
    // The first sync to a target asks to confirm it.
    const messages = interceptMessages((m) => (m.options?.modal ? 'Sync' : undefined));
    let results: RunResult[];
    try {
      results = (await vscode.commands.executeCommand(COMMANDS.syncNow, { root: root() })) as RunResult[];
    } finally {
      messages.restore();
    }
    assert.deepStrictEqual(messages.shown.filter((m) => m.options?.modal).map((m) => m.message.replace(/\u2060/g, '')), [`Sync billing with GitHub repository acme/shop at ${gh.url}?`]);
    assert.strictEqual(results.length, 1);
    assert.strictEqual(results[0].error, undefined);
    assert.deepStrictEqual(results[0].summary!.errors, []);
    const pushed = [...gh.issues.values()].find((i) => (i.body ?? '').includes('<!-- ai-trackdown:BST-0001 -->'));
    assert.ok(pushed, 'BST-0001 was created on the server');
    assert.deepStrictEqual(frontmatter(story()).sync, { github: pushed.number });
    const imported = fs.readdirSync(stories()).find((f) => f.startsWith('BST-0002-'));
    assert.ok(imported, 'the remote issue became BST-0002');
    const fm = frontmatter(path.join(stories(), imported));
    assert.strictEqual(fm.title, 'Refunds in the invoice list');
    assert.deepStrictEqual(fm.tags, ['billing']);
    assert.ok(fs.readFileSync(path.join(stories(), imported), 'utf8').endsWith('\nShow refunds as negative lines.\n'));
    assert.ok(gh.log.every((l) => l.auth === `Bearer ${gh.token}`));
    await waitFor(() => a.index.byId(root(), 'BST-0002').length === 1, 'the imported story in the index');
    await waitFor(() => /Synced \d/.test(a.sync.statusBar().text) && a.sync.statusBar().text, 'the status bar after the sync');
    assert.ok(!a.sync.statusBar().text.includes('conflict'));
  });

  it('Sync Now while another window or process syncs the project says so, sends nothing, and leaves the status clean', async () => {
    // Held as another process would hold it: the lock is on disk, not in this window.
    const held = await acquireSyncLock(root());
    try {
      gh.log.length = 0;
      const results = (await vscode.commands.executeCommand(COMMANDS.syncNow, { root: root() })) as RunResult[];
      assert.strictEqual(results.length, 1);
      assert.strictEqual(results[0].busy, true);
      assert.match(results[0].error ?? '', /a sync of this project is already running/i);
      assert.strictEqual(gh.log.length, 0, 'nothing was sent');
    } finally {
      await held.release();
    }
    const statuses = (await vscode.commands.executeCommand(COMMANDS.syncStatus, { show: false, root: root() })) as ProviderStatus[];
    assert.strictEqual(statuses[0].error, undefined);
  });

  it('a conflict is listed by the status command and on the status bar, and resolving it takes the chosen side', async () => {
    const a = await api();
    const number = frontmatter(story()).sync as { github: number };
    // Open but clean, and changed on disk behind the editor's back: the disk is what counts.
    await vscode.workspace.openTextDocument(story());
    fs.writeFileSync(story(), editFrontmatter(fs.readFileSync(story(), 'utf8'), [{ key: 'title', value: 'PDF invoice (local)' }]).text);
    gh.edit(number.github, { title: 'PDF invoice (remote)' });
    const results = (await vscode.commands.executeCommand(COMMANDS.syncNow, { root: root() })) as RunResult[];
    assert.deepStrictEqual(results[0].summary!.conflicts.map((c) => [c.localId, c.field]), [['BST-0001', 'title']]);
    const statuses = (await vscode.commands.executeCommand(COMMANDS.syncStatus, { show: false, root: root() })) as ProviderStatus[];
    assert.deepStrictEqual(statuses.map((s) => [s.provider, s.linked, s.conflicts.map((c) => `${c.localId} ${c.field} ${c.local} | ${c.remote}`)]), [
      ['github', 2, ['BST-0001 title PDF invoice (local) | PDF invoice (remote)']],
    ]);
    await waitFor(() => a.sync.statusBar().text.includes('1 conflict'), 'the conflict on the status bar');
    assert.ok(a.sync.statusBar().warning, 'the warning background');
    assert.strictEqual(frontmatter(story()).sync_status, 'conflict');
    assert.strictEqual(gh.issues.get(number.github)!.title, 'PDF invoice (remote)');

    // Without a choice: both sides in a diff of read-only documents, then the question; Escape changes nothing.
    const asked = vscode.commands.executeCommand(COMMANDS.syncResolveConflict, { root: root(), provider: 'github', localId: 'BST-0001', field: 'title' });
    const tab = await waitFor(
      () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.original.scheme === 'aitrackdown-sync'),
      'the conflict diff',
    );
    const diff = tab.input as vscode.TabInputTextDiff;
    assert.strictEqual((await vscode.workspace.openTextDocument(diff.original)).getText(), 'PDF invoice (local)');
    assert.strictEqual((await vscode.workspace.openTextDocument(diff.modified)).getText(), 'PDF invoice (remote)');
    assert.ok(tab.label.includes('BST-0001 title'), tab.label);
    let settled = false;
    const answer = Promise.resolve(asked).then((v) => ((settled = true), v));
    // The question opens once the diff is shown: dismiss it as Escape would.
    await waitFor(async () => {
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await new Promise((r) => setTimeout(r, 100));
      return settled;
    }, 'the question dismissed');
    assert.strictEqual(await answer, undefined);
    assert.strictEqual(gh.issues.get(number.github)!.title, 'PDF invoice (remote)');
    assert.strictEqual(frontmatter(story()).sync_status, 'conflict');

    await vscode.commands.executeCommand(COMMANDS.syncResolveConflict, { root: root(), provider: 'github', localId: 'BST-0001', field: 'title', choice: 'local' });
    assert.strictEqual(gh.issues.get(number.github)!.title, 'PDF invoice (local)');
    assert.strictEqual(frontmatter(story()).sync_status, 'synced');
    assert.deepStrictEqual((await loadSyncState(root(), 'github')).conflicts, []);
    await waitFor(() => !a.sync.statusBar().text.includes('conflict'), 'the status bar without the conflict');
  });

  it('an open document with unsaved edits is synced through the editor: the edits stay', async () => {
    const doc = await vscode.workspace.openTextDocument(story());
    await vscode.window.showTextDocument(doc);
    // The document was open before the last sync wrote the file: VS Code reloads it from the disk.
    await waitFor(() => doc.getText() === fs.readFileSync(story(), 'utf8'), 'the editor to catch up with the disk');
    const at = doc.getText().indexOf('\n---\n') + 5;
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, doc.positionAt(at), 'Unsaved note.\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const number = (frontmatter(story()).sync as { github: number }).github;
    gh.edit(number, { labels: ['pdf'] });
    const results = (await vscode.commands.executeCommand(COMMANDS.syncNow, { root: root() })) as RunResult[];
    assert.deepStrictEqual(results[0].summary!.errors, []);
    assert.ok(doc.getText().includes('Unsaved note.'), 'the unsaved edit is still there');
    assert.ok(/tags:\n\s*- pdf/.test(doc.getText()) || doc.getText().includes('tags: [pdf]'), doc.getText());
    // The unsaved body edit is local: it went out as a local change.
    assert.ok(gh.issues.get(number)!.body!.includes('Unsaved note.'));
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
