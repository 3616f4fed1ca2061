import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { COMMANDS, VIEWS } from '../../../src/host/commandIds';
import { api, waitFor, wsFile } from './helpers';
import { indexMatchesDisk, snapshot } from './snapshot';

type Provider = vscode.TreeDataProvider<unknown>;

async function rows(p: Provider, node?: unknown): Promise<{ node: unknown; item: vscode.TreeItem }[]> {
  const kids = (await p.getChildren(node)) ?? [];
  return Promise.all(kids.map(async (n) => ({ node: n, item: await p.getTreeItem(n) })));
}
const label = (t: vscode.TreeItem) => (typeof t.label === 'string' ? t.label : t.label?.label ?? '');
async function labels(p: Provider, node?: unknown): Promise<string[]> {
  return (await rows(p, node)).map((r) => label(r.item));
}
async function child(p: Provider, parent: unknown, startsWith: string) {
  const r = (await rows(p, parent)).find((x) => label(x.item).startsWith(startsWith));
  assert.ok(r, `no row starting with ${startsWith} under ${JSON.stringify(await labels(p, parent))}`);
  return r;
}

describe('tree views', () => {
  let h: Provider;
  before(async () => {
    const a = await api();
    h = a.treeProvider(VIEWS.hierarchy)!;
    assert.ok(h, 'hierarchy provider');
  });

  it('shows one node per project when there are several', async () => {
    assert.deepStrictEqual(await labels(h), ['demo-project', 'billing']);
  });

  it('nests epic → issue → task/PR/comment, with state and progress in the description', async () => {
    const project = await child(h, undefined, 'demo-project');
    const top = await labels(h, project.node);
    assert.deepStrictEqual(top, ['EP-0001 User authentication', 'EP-0002 Reporting dashboard', 'EPIC-001 Onboarding (older format)', 'Orphans']);
    const epic = await child(h, project.node, 'EP-0001');
    assert.strictEqual(epic.item.description, 'Active · 1/3 · alice');
    assert.strictEqual(epic.item.contextValue, 'item:epic:active');
    assert.strictEqual(epic.item.collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.deepStrictEqual(await labels(h, epic.node), ['ISS-0001 Login form', 'ISS-0002 Password reset', 'ISS-0004 Session timeout']);
    const issue = await child(h, epic.node, 'ISS-0001');
    assert.deepStrictEqual(await labels(h, issue.node), [
      'TSK-0001 Form markup and validation',
      'TSK-0001 Copy of form markup (duplicate id)',
      'TSK-0002 Session API call',
      'PR-0001 Login form implementation',
      'COMMENT-0001 Comment COMMENT-0001',
    ]);
    assert.strictEqual(issue.item.contextValue, 'item:issue:ready_for_engineering:labelled');
    assert.deepStrictEqual(issue.item.command?.arguments, [wsFile('tasks/issues/ISS-0001-login-form.md')]);
    const legacy = await child(h, project.node, 'EPIC-001');
    assert.match(String(legacy.item.contextValue), /:legacy$/);
    // `status: blocked` is open work held up, `owner:` its assignee.
    assert.strictEqual(legacy.item.description, 'Active (blocked) · 0/1 · carol');
    assert.deepStrictEqual(await labels(h, legacy.node), ['TASK-001 Welcome e-mail (older format)']);
    const orphans = await child(h, project.node, 'Orphans');
    assert.deepStrictEqual(await labels(h, orphans.node), ['ISS-0003 Export to CSV']);
  });

  it('groups by state and by assignee (@bob and bob are one person)', async () => {
    const s = (await api()).treeProvider(VIEWS.byState)!;
    assert.deepStrictEqual(await labels(s), ['Planning', 'Active', 'Ready for Engineering', 'Done']);
    const ready = await child(s, undefined, 'Ready for Engineering');
    assert.deepStrictEqual(await labels(s, ready.node), ['ISS-0001 Login form']);
    const a = (await api()).treeProvider(VIEWS.byAssignee)!;
    assert.deepStrictEqual(await labels(a), ['alice', 'bob', 'carol', 'dave']);
    assert.deepStrictEqual(await labels(a, (await child(a, undefined, 'carol')).node), [
      'EPIC-001 Onboarding (older format)',
      'ISS-0004 Session timeout',
      'TASK-001 Welcome e-mail (older format)',
      'TSK-0003 Rate-limit reset requests',
    ]);
    const bob = await child(a, undefined, 'bob');
    assert.deepStrictEqual(await labels(a, bob.node), [
      'EP-0002 Reporting dashboard',
      'ISS-0002 Password reset',
      'ISS-0003 Export to CSV',
      'TSK-0002 Session API call',
    ]);
  });

  it('filters by text, label and assignee, keeping the path to a match visible', async () => {
    // Read one project's unfiltered tree first: what it learnt must not leak into the filtered one.
    const walk = async (node: unknown): Promise<void> => {
      for (const r of await rows(h, node)) await walk(r.node);
    };
    await walk((await child(h, undefined, 'demo-project')).node);
    try {
      // The filter holds as soon as the command returns, before the tree's debounced refresh.
      await vscode.commands.executeCommand(COMMANDS.filter, { text: 'session api' });
      assert.deepStrictEqual(await labels(h), ['demo-project']);
      const project = await child(h, undefined, 'demo-project');
      assert.deepStrictEqual(await labels(h, project.node), ['EP-0001 User authentication']);
      const epic = await child(h, project.node, 'EP-0001');
      const issue = await child(h, epic.node, 'ISS-0001');
      assert.deepStrictEqual(await labels(h, issue.node), ['TSK-0002 Session API call']);
      await vscode.commands.executeCommand(COMMANDS.filter, { label: 'email' });
      assert.deepStrictEqual(await labels(h, (await child(h, undefined, 'demo-project')).node), ['EPIC-001 Onboarding (older format)']);
      await vscode.commands.executeCommand(COMMANDS.filter, { assignee: 'dave' });
      assert.deepStrictEqual(await labels(h), ['billing']);
    } finally {
      await vscode.commands.executeCommand(COMMANDS.clearFilter);
    }
    assert.strictEqual((await labels(h)).length, 2);
  });

  it('follows files created, changed and deleted on disk', async () => {
    const { index } = await api();
    const restore = snapshot(wsFile(''));
    try {
      const file = wsFile('tasks/epics/EP-0009-new-epic.md');
      fs.writeFileSync(file, '---\nepic_id: EP-0009\ntitle: Appeared on disk\nstatus: planning\n---\n');
      const project = () => child(h, undefined, 'demo-project');
      await waitFor(async () => (await labels(h, (await project()).node)).includes('EP-0009 Appeared on disk'), 'the new epic');
      // The orphan whose epic_id named EP-0009 now hangs under it.
      await waitFor(async () => !(await labels(h, (await project()).node)).includes('Orphans'), 'the orphans group to go');
      const epic = await child(h, (await project()).node, 'EP-0009');
      assert.deepStrictEqual(await labels(h, epic.node), ['ISS-0003 Export to CSV']);
      fs.writeFileSync(file, '---\nepic_id: EP-0009\ntitle: Renamed on disk\nstatus: planning\n---\n');
      await waitFor(async () => (await labels(h, (await project()).node)).includes('EP-0009 Renamed on disk'), 'the changed title');
      fs.rmSync(file);
      await waitFor(async () => (await labels(h, (await project()).node)).includes('Orphans'), 'the orphans group to return');
    } finally {
      restore();
      await indexMatchesDisk(index);
    }
  });
});
