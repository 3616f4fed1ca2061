import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { parse as parseYaml } from 'yaml';
import { llmsPaths } from '../../../src/core/llms';
import { isBlocked } from '../../../src/core/model';
import { planLink } from '../../../src/core/ops/link';
import { findFrontmatter, FrontmatterBlock } from '../../../src/core/parse';
import { COMMANDS } from '../../../src/host/commandIds';
import { hostWriter } from '../../../src/host/writer';
import { api, noAutoSave, waitFor, wsFile, wsRoot } from './helpers';
import { indexMatchesDisk, snapshot } from './snapshot';

const read = (rel: string) => fs.readFileSync(wsFile(rel), 'utf8');
function frontmatter(text: string): Record<string, unknown> {
  const b = findFrontmatter(text) as FrontmatterBlock;
  return parseYaml(text.slice(b.start, b.end)) as Record<string, unknown>;
}
/** Lines of `after` that differ from `before`, as [before, after] pairs (same line count assumed where equal). */
function changedLines(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = new Set(after.split('\n'));
  return a.filter((l) => !b.has(l));
}

describe('commands', () => {
  let restore: () => void;
  beforeEach(async () => {
    await api();
    restore = snapshot(wsRoot());
  });
  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    restore();
    await indexMatchesDisk((await api()).index);
  });

  it('changes state along an allowed transition, recording state_metadata and touching nothing else', async () => {
    const rel = 'tasks/issues/ISS-0001-login-form.md';
    const before = read(rel);
    const ok = await vscode.commands.executeCommand(COMMANDS.changeState, wsFile(rel), 'ready_for_qa', { reason: 'form done' });
    assert.strictEqual(ok, true);
    const after = read(rel);
    const fm = frontmatter(after);
    assert.strictEqual(fm.state, 'ready_for_qa');
    assert.strictEqual(fm.status, 'active');
    const meta = fm.state_metadata as Record<string, unknown>;
    assert.strictEqual(meta.previous_state, 'ready_for_engineering');
    assert.strictEqual(meta.transition_reason, 'form done');
    assert.strictEqual(meta.automation_eligible, false);
    assert.ok(!('manual_override' in meta));
    assert.ok(Date.now() - Date.parse(String(meta.transitioned_at)) < 60000);
    // Only state, the metadata block and updated_date changed; comments and the flow list stayed.
    assert.deepStrictEqual(changedLines(before, after), [
      'state: ready_for_engineering',
      '  transitioned_at: 2026-11-18T08:30:00.000Z',
      '  transitioned_by: alice',
      '  previous_state: planning',
      'updated_date: 2026-11-18T08:30:00.000Z',
    ]);
    assert.ok(after.includes('tags: [frontend, auth]  # kept as a flow list\n'));
    assert.ok(after.endsWith('The login form posts to `/api/session`. See TSK-0001 and TSK-0002.\n'));
    const { index } = await api();
    await waitFor(() => index.byId(wsRoot(), 'ISS-0001')[0]?.state === 'ready_for_qa', 'the index to see the new state');
  });

  it('refuses a transition the rules forbid unless forced, and records a forced one as a manual override', async () => {
    const rel = 'tasks/epics/EP-0002-reporting.md';
    const before = read(rel);
    const refused = await vscode.commands.executeCommand(COMMANDS.changeState, wsFile(rel), 'done', { quiet: true });
    assert.strictEqual(refused, undefined);
    assert.strictEqual(read(rel), before);
    const forced = await vscode.commands.executeCommand(COMMANDS.changeState, wsFile(rel), 'done', { force: true, reason: 'shipped elsewhere' });
    assert.strictEqual(forced, true);
    const fm = frontmatter(read(rel));
    assert.strictEqual(fm.state, 'done');
    assert.strictEqual(fm.status, 'completed');
    assert.strictEqual((fm.state_metadata as Record<string, unknown>).manual_override, true);
  });

  it('keeps CRLF and the BOM when editing such files', async () => {
    const crlf = 'tasks/issues/ISS-0003-export-csv.md';
    await vscode.commands.executeCommand(COMMANDS.assign, wsFile(crlf), 'carol');
    const text = read(crlf);
    assert.ok(!/[^\r]\n/.test(text), 'every line end is still CRLF');
    assert.ok(text.includes('\r\nassignee: carol\r\n'));
    const bom = 'tasks/issues/ISS-0004-session-timeout.md';
    await vscode.commands.executeCommand(COMMANDS.addLabel, wsFile(bom), 'security');
    const raw = fs.readFileSync(wsFile(bom));
    assert.deepStrictEqual([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    assert.deepStrictEqual(frontmatter(raw.toString('utf8')).tags, ['security']);
    assert.ok(raw.toString('utf8').includes('description: Log out idle sessions # a comment\n'));
  });

  it('assigns, adds and removes labels, preserving unknown and leaked keys', async () => {
    const rel = 'tasks/tasks/TSK-0002-session-api.md';
    await vscode.commands.executeCommand(COMMANDS.assign, wsFile(rel), '@dave');
    await waitFor(async () => (await api()).index.entry(wsFile(rel))?.item?.assignee === '@dave', 'the index');
    await vscode.commands.executeCommand(COMMANDS.addLabel, wsFile(rel), 'api');
    await waitFor(async () => (await api()).index.entry(wsFile(rel))?.item?.labels.includes('api'), 'the label');
    let fm = frontmatter(read(rel));
    assert.strictEqual(fm.assignee, '@dave');
    assert.ok(read(rel).includes('assignee: "@dave"'), 'an @ value is written quoted');
    assert.deepStrictEqual(fm.tags, ['api']);
    assert.strictEqual(fm.x_agent_run, '7f3a');
    assert.ok(read(rel).includes('x_agent_run: 7f3a  # unknown keys are preserved'));
    await vscode.commands.executeCommand(COMMANDS.removeLabel, wsFile(rel), 'api');
    fm = frontmatter(read(rel));
    assert.deepStrictEqual(fm.tags, []);
    await vscode.commands.executeCommand(COMMANDS.assign, wsFile(rel), null);
    assert.ok(!('assignee' in frontmatter(read(rel))));
  });

  it('links a task to another issue, moving it between the parents\' related lists', async () => {
    const { index } = await api();
    const task = 'tasks/tasks/TSK-0001-form-markup.md';
    const iss2 = read('tasks/issues/ISS-0002-password-reset.md');
    await vscode.commands.executeCommand(COMMANDS.linkToParent, wsFile(task), 'ISS-0002');
    const fm = frontmatter(read(task));
    assert.strictEqual(fm.issue_id, 'ISS-0002');
    assert.strictEqual(fm.epic_id, 'EP-0001');
    // ISS-0002 has a YAML error (@bob), so its list is not touched: the child's link is the truth.
    assert.strictEqual(read('tasks/issues/ISS-0002-password-reset.md'), iss2);
    assert.deepStrictEqual(frontmatter(read('tasks/issues/ISS-0001-login-form.md')).related_tasks, ['TSK-0002']);
    await waitFor(() => index.byId(wsRoot(), 'TSK-0001').some((i) => i.parentId === 'ISS-0002'), 'the index to see the new parent');
  });

  describe('an issue moved to another epic', () => {
    const issue = 'tasks/issues/ISS-0001-login-form.md';
    const openTask = 'tasks/tasks/TSK-0002-session-api.md';
    const closedTask = 'tasks/tasks/TSK-0001-form-markup.md';
    const others = ['tasks/prs/PR-0001-login-form.md', 'tasks/tasks/TSK-0009-copied-file.md'];
    let doc: vscode.TextDocument;

    beforeEach(async () => {
      // Generated on demand below; a regeneration on save must not write after the workspace is restored.
      await vscode.workspace.getConfiguration('aiTrackdown').update('llmsTxt.autoGenerate', false, vscode.ConfigurationTarget.Global);
      // The save asserted is the writer's: VS Code for the web's auto-save, racing it, can make that save report failure.
      await noAutoSave(true);
      doc = await vscode.workspace.openTextDocument(wsFile(openTask));
      await vscode.window.showTextDocument(doc);
      assert.ok(!doc.isDirty);
    });
    afterEach(async () => {
      await vscode.workspace.getConfiguration('aiTrackdown').update('llmsTxt.autoGenerate', undefined, vscode.ConfigurationTarget.Global);
      await noAutoSave(false);
    });

    it('takes its tasks and PRs along in one operation, open documents and closed files alike, and llms-full.txt follows', async () => {
      const { index } = await api();
      const closedBefore = read(closedTask);
      const ok = await vscode.commands.executeCommand(COMMANDS.linkToParent, wsFile(issue), 'EP-0002');
      assert.strictEqual(ok, true);
      assert.strictEqual(frontmatter(read(issue)).epic_id, 'EP-0002');
      for (const rel of [openTask, closedTask, ...others]) assert.strictEqual(frontmatter(read(rel)).epic_id, 'EP-0002', rel);
      assert.strictEqual(frontmatter(doc.getText()).epic_id, 'EP-0002');
      assert.ok(!doc.isDirty, 'the open document was clean, so it is saved');
      assert.deepStrictEqual(changedLines(closedBefore, read(closedTask)), ['epic_id: EP-0001', 'updated_date: 2026-11-15T10:00:00.000Z']);
      assert.deepStrictEqual(frontmatter(read('tasks/epics/EP-0001-user-authentication.md')).related_issues, ['ISS-0002']);
      assert.deepStrictEqual(frontmatter(read('tasks/epics/EP-0002-reporting.md')).related_issues, ['ISS-0001']);

      await indexMatchesDisk(index);
      assert.strictEqual(index.byId(wsRoot(), 'TSK-0002')[0].epicId, 'EP-0002');
      await vscode.commands.executeCommand(COMMANDS.generateLlmsTxt, wsRoot());
      const full = fs.readFileSync(llmsPaths(wsRoot()).full, 'utf8');
      const section = full.slice(full.indexOf('\n### TSK-0002: '), full.indexOf('\n### ', full.indexOf('\n### TSK-0002: ') + 1));
      assert.ok(section.includes('- Links: parent ISS-0001 · epic EP-0002\n'), section);
    });

    it('is one undo step: undo in one editor reverts the other open documents of the relink too', async () => {
      const issueDoc = await vscode.workspace.openTextDocument(wsFile(issue));
      await vscode.window.showTextDocument(issueDoc, vscode.ViewColumn.Two);
      const before = [issueDoc.getText(), doc.getText()];
      assert.strictEqual(await vscode.commands.executeCommand(COMMANDS.linkToParent, wsFile(issue), 'EP-0002'), true);
      assert.ok(issueDoc.getText().includes('epic_id: EP-0002') && doc.getText().includes('epic_id: EP-0002'));
      try {
        await vscode.commands.executeCommand('undo');
        assert.deepStrictEqual([issueDoc.getText(), doc.getText()], before);
      } finally {
        // Both documents were saved with the relink: put them back to what the disk holds before closing them.
        for (const d of [issueDoc, doc]) {
          await vscode.window.showTextDocument(d);
          await vscode.commands.executeCommand('workbench.action.files.revert');
        }
      }
    });

    it('refuses as a whole, writing nothing, when one task (open, clean) changed on disk after the relink was planned', async () => {
      const { index } = await api();
      const files = [issue, openTask, closedTask, ...others, 'tasks/epics/EP-0001-user-authentication.md', 'tasks/epics/EP-0002-reporting.md'];
      await indexMatchesDisk(index);
      const before = new Map(files.map((rel) => [rel, read(rel)]));
      // Planned as the command plans it, then a task changes on disk (the CLI, an agent, git): the plan
      // holds the text it was made on, whenever the file watcher reports the change.
      const plan = planLink(index, index.getProject(wsRoot())!, { item: 'ISS-0001', parent: 'EP-0002' });
      assert.ok(plan.some((p) => p.item.file === wsFile(closedTask)), 'the relink plans the closed task');
      // Open and clean, as other views leave it: VS Code reloads it from the disk some time after the
      // change, and the writer must not put its old text back meanwhile, nor write on the reloaded one.
      const stale = await vscode.workspace.openTextDocument(wsFile(closedTask));
      assert.ok(!stale.isDirty);
      const changed = before.get(closedTask)!.replace('title: Form markup and validation', 'title: Form markup, edited elsewhere');
      fs.writeFileSync(wsFile(closedTask), changed);
      const ws = { index, noteWritten: (f: string, t: string) => index.set(f, t) };
      await assert.rejects(hostWriter(ws as never).writeItems(plan), /TSK-0001-form-markup\.md changed on disk since it was read; nothing was written/);
      for (const rel of files) assert.strictEqual(read(rel), rel === closedTask ? changed : before.get(rel), rel);
      assert.strictEqual(doc.getText(), before.get(openTask));
      assert.ok(!doc.isDirty);
    });
  });

  it('edits an open document through the editor, keeping the user\'s unsaved changes', async () => {
    const rel = 'tasks/epics/EP-0001-user-authentication.md';
    const onDisk = read(rel);
    await noAutoSave(true);
    try {
      const doc = await vscode.workspace.openTextDocument(wsFile(rel));
      const editor = await vscode.window.showTextDocument(doc);
      await editor.edit((e) => e.insert(new vscode.Position(doc.lineCount - 1, 0), 'Unsaved note.\n'));
      assert.ok(doc.isDirty);
      await vscode.commands.executeCommand(COMMANDS.changeState, wsFile(rel), 'ready_for_engineering', { reason: 'planned' });
      assert.ok(doc.isDirty, 'still dirty: the user decides when to save');
      assert.ok(doc.getText().includes('Unsaved note.'));
      assert.strictEqual(frontmatter(doc.getText()).state, 'ready_for_engineering');
      assert.strictEqual(read(rel), onDisk, 'the file on disk is untouched until the user saves');
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await noAutoSave(false);
    }
  });

  it('never replaces an unsaved value: a state change planned on the saved state is refused while the editor holds another', async () => {
    const rel = 'tasks/issues/ISS-0001-login-form.md';
    const onDisk = read(rel);
    await noAutoSave(true);
    try {
      const doc = await vscode.workspace.openTextDocument(wsFile(rel));
      const editor = await vscode.window.showTextDocument(doc);
      const line = doc.getText().split(/\r?\n/).findIndex((l) => l.startsWith('state: '));
      await editor.edit((e) => e.replace(doc.lineAt(line).range, 'state: ready_for_qa'));
      assert.ok(doc.isDirty);
      const { index } = await api();
      const saved = index.byId(wsRoot(), 'ISS-0001')[0];
      assert.strictEqual(saved.state, 'ready_for_engineering', 'the index holds the saved file');

      const result = await vscode.commands.executeCommand(COMMANDS.changeState, wsFile(rel), 'active', { reason: 'back to work', quiet: true });
      assert.strictEqual(result, undefined, 'the command reports the refusal');
      assert.strictEqual(frontmatter(doc.getText()).state, 'ready_for_qa', 'the unsaved value stays');
      assert.ok(doc.isDirty);
      assert.strictEqual(read(rel), onDisk);

      const ws = { index, noteWritten: (f: string, t: string) => index.set(f, t) };
      await assert.rejects(
        hostWriter(ws as never).writeItems([{ item: saved, changes: [{ key: 'state', value: 'active' }] }]),
        /ISS-0001-login-form\.md has unsaved changes to `state`; save or revert them first/,
      );
      assert.strictEqual(frontmatter(doc.getText()).state, 'ready_for_qa');
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await noAutoSave(false);
    }
  });

  it('refuses to write a closed file that changed on disk since it was read', async () => {
    const { index } = await api();
    const rel = 'tasks/epics/EP-0002-reporting.md';
    const stale = index.byId(wsRoot(), 'EP-0002')[0];
    const changed = read(rel) + '\nAdded by someone else.\n';
    fs.writeFileSync(wsFile(rel), changed);
    const ws = { noteWritten: (f: string, t: string) => index.set(f, t) };
    await assert.rejects(hostWriter(ws as never).writeItems([{ item: stale, changes: [{ key: 'priority', value: 'high' }] }]), /changed on disk since it was read/);
    assert.strictEqual(read(rel), changed);
  });

  it('creates items with the next free id, the template body and the parent link', async () => {
    const { index } = await api();
    const file = await vscode.commands.executeCommand<string>(COMMANDS.createTask, wsRoot(), {
      title: 'Hostile ../../title: <img src=x onerror=alert(1)> # not a comment',
      issueId: 'ISS-0001',
    });
    assert.ok(file, 'a file was created');
    assert.strictEqual(path.dirname(file), wsFile('tasks/tasks'));
    assert.match(path.basename(file), /^TSK-0005-hostile-title-img-srcx-onerroralert1-not-a-comment\.md$/);
    const fm = frontmatter(fs.readFileSync(file, 'utf8'));
    assert.strictEqual(fm.task_id, 'TSK-0005');
    assert.strictEqual(fm.title, 'Hostile ../../title: <img src=x onerror=alert(1)> # not a comment');
    assert.strictEqual(fm.issue_id, 'ISS-0001');
    assert.strictEqual(fm.epic_id, 'EP-0001');
    assert.ok(fs.readFileSync(file, 'utf8').includes('## Acceptance Criteria'), 'the body comes from tasks/templates/task-default.yaml');
    assert.strictEqual(JSON.parse(read('.ai-trackdown/counters.json')).task, 6);
    assert.deepStrictEqual(frontmatter(read('tasks/issues/ISS-0001-login-form.md')).related_tasks, ['TSK-0001', 'TSK-0002', 'TSK-0005']);
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.fsPath, file);
    assert.strictEqual(index.entry(file)?.problems.filter((p) => p.severity === 'error' || p.severity === 'warning').length, 0);
  });

  it("names a new item's file as the CLI's compliance fixer would, so the CLI never renames it", async () => {
    const title = 'Support Node.js 22 and snake_case names in a/b tests for the Café team';
    const { index } = await api();
    const counters = read('.ai-trackdown/counters.json');
    const file = await vscode.commands.executeCommand<string>(COMMANDS.createEpic, wsRoot(), { title });
    // Over 50 characters, with `.`, `_`, `/` and an accented letter: the fixer keeps `_`, drops the rest, cuts nothing.
    assert.strictEqual(path.basename(file), 'EP-0003-support-nodejs-22-and-snake_case-names-in-ab-tests-for-the-caf-team.md');
    assert.strictEqual(frontmatter(fs.readFileSync(file, 'utf8')).title, title);
    await waitFor(() => index.entry(file), 'the new epic indexed');
    assert.strictEqual(index.entry(file)?.problems.filter((p) => p.severity === 'error' || p.severity === 'warning').length, 0);
    // Leave the project as the later tests expect it: no EP-0003 yet.
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    fs.rmSync(file);
    fs.writeFileSync(wsFile('.ai-trackdown/counters.json'), counters);
    await waitFor(() => !index.entry(file), 'the epic gone from the index');
  });

  it('never reuses an id that exists on disk, even when counters.json says otherwise', async () => {
    fs.writeFileSync(wsFile('.ai-trackdown/counters.json'), '{"epic":1,"issue":1,"task":1,"pr":1}');
    const file = await vscode.commands.executeCommand<string>(COMMANDS.createEpic, wsRoot(), { title: 'Next epic' });
    assert.strictEqual(path.basename(file), 'EP-0003-next-epic.md');
  });

  it('creates in the project the command was invoked for, with its own prefixes', async () => {
    const billing = wsFile('services/billing');
    const file = await vscode.commands.executeCommand<string>(COMMANDS.createIssue, { kind: 'project', root: billing }, { title: 'Tax rates', epicId: 'BEP-0001' });
    assert.strictEqual(file, path.join(billing, 'work', 'stories', 'BST-0002-tax-rates.md'));
  });

  it('deletes an item to the trash, or permanently where the host has no trash and the user agrees', async () => {
    const rel = 'tasks/prs/PR-0001-login-form.md';
    const toTrash = await vscode.commands.executeCommand(COMMANDS.deleteItem, wsFile(rel), 'trash');
    if (vscode.env.remoteName) {
      // A remote extension host's file system has no trash; the second question is refused in tests.
      assert.strictEqual(toTrash, undefined);
      assert.ok(fs.existsSync(wsFile(rel)), 'nothing is deleted for good without asking');
      assert.strictEqual(await vscode.commands.executeCommand(COMMANDS.deleteItem, wsFile(rel), 'permanent'), true);
    } else {
      assert.strictEqual(toTrash, true);
    }
    assert.ok(!fs.existsSync(wsFile(rel)));
    const { index } = await api();
    assert.strictEqual(index.byId(wsRoot(), 'PR-0001').length, 0);
  });

  it('initializes a project in a folder, compatible with the CLI, and indexes it', async () => {
    const { index } = await api();
    const folder = wsFile('newproject');
    fs.mkdirSync(folder);
    const root = await vscode.commands.executeCommand<string>(COMMANDS.initProject, folder, 'New Project');
    assert.strictEqual(root, folder);
    assert.ok(fs.existsSync(path.join(folder, '.ai-trackdown', 'config.yaml')));
    assert.ok(fs.statSync(path.join(folder, 'tasks', 'epics')).isDirectory());
    await waitFor(() => index.getProject(folder), 'the new project in the index');
    assert.strictEqual(index.getProject(folder)?.config.name, 'New Project');
    const again = await vscode.commands.executeCommand(COMMANDS.initProject, folder, 'Again');
    assert.strictEqual(again, undefined, 'an existing project is not initialized twice');
    fs.rmSync(folder, { recursive: true });
    await waitFor(() => !index.getProject(folder), 'the deleted project to leave the index');
  });

  it('migrates older-format files to the CLI format, keeping bodies and rewriting links', async () => {
    const { index } = await api();
    const n = await vscode.commands.executeCommand<number>(COMMANDS.migrate, wsRoot(), true);
    // TASK-001 names only an epic; the CLI needs an issue for every task, so it stays (reported) and only its link changes.
    assert.strictEqual(n, 1);
    assert.ok(!fs.existsSync(wsFile('tasks/epics/EPIC-001-legacy-onboarding.md')));
    const epic = await waitFor(() => index.byId(wsRoot(), 'EP-0003')[0], 'EPIC-001 to become EP-0003');
    assert.strictEqual(epic.format, 'cli');
    assert.deepStrictEqual(epic.labels, ['onboarding']);
    assert.strictEqual(epic.actualTokens, 1892);
    // Its owner is the assignee; blocked stays open and says so where the CLI keeps it.
    assert.strictEqual(epic.assignee, 'carol');
    assert.deepStrictEqual([epic.state, isBlocked(epic)], ['active', true]);
    const text = fs.readFileSync(epic.file, 'utf8');
    assert.ok(text.includes('\nassignee: carol\n') && !text.includes('owner:'), text);
    assert.match(text, /\nstate_metadata:\n(  .*\n)*  blocked_reason: /);
    assert.ok(text.includes('<!-- AI_CONTEXT_START -->\nNew users need a guided first run.\n<!-- AI_CONTEXT_END -->'));
    const task = read('tasks/tasks/TASK-001-legacy-welcome-email.md');
    assert.ok(task.includes('\nepic: EP-0003\n'), 'the link of the file left behind follows the new id');
    assert.strictEqual(JSON.parse(read('.ai-trackdown/counters.json')).epic, 4, 'the CLI will not hand out EP-0003 again');
    assert.strictEqual(index.byId(wsRoot(), 'EPIC-001').length, 0);
  });
});
