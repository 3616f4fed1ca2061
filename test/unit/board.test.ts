import * as assert from 'assert/strict';
import * as path from 'path';
import { BoardCard, diffCards, menuContext, projectCards, toCard } from '../../src/core/board';
import { defaultConfig } from '../../src/core/config';
import { TaskIndex } from '../../src/core/index';
import { MEMORY_ROOT, withMemoryProject } from './helpers';

const ROOT = MEMORY_ROOT;
const OTHER = path.resolve('/other');
const f = (root: string, ...parts: string[]) => path.join(root, 'tasks', ...parts);

function setup() {
  const index = new TaskIndex();
  for (const root of [ROOT, OTHER]) withMemoryProject(index, defaultConfig(path.basename(root)), root);
  index.set(f(ROOT, 'epics', 'EP-0001-auth.md'), '---\nepic_id: EP-0001\ntitle: Auth\nstatus: active\npriority: high\n---\n');
  index.set(
    f(ROOT, 'issues', 'ISS-0001-login.md'),
    '---\nissue_id: ISS-0001\nepic_id: EP-0001\ntitle: Login form\nstatus: active\nstate: ready_for_qa\npriority: critical\nassignee: "@alice"\ntags: [ui, auth]\nestimated_tokens: 5000\nactual_tokens: "4200"\n---\nbody\n',
  );
  index.set(f(ROOT, 'tasks', 'TSK-0001-button.md'), '---\ntask_id: TSK-0001\nissue_id: ISS-0001\ntitle: Button\nstatus: completed\n---\n');
  index.set(f(ROOT, 'tasks', 'TSK-0002-style.md'), '---\ntask_id: TSK-0002\nissue_id: ISS-0001\ntitle: Style\nstatus: planning\n---\n');
  index.set(f(ROOT, 'tasks', 'TSK-0003-odd.md'), '---\ntask_id: TSK-0003\nissue_id: ISS-0404\ntitle: Odd\nstate: on-hold\n---\n');
  index.set(f(ROOT, 'issues', 'comments', 'ISS-0001', 'COMMENT-0001.md'), '---\nid: COMMENT-0001\nissueId: ISS-0001\nauthor: bob\n---\nhi\n');
  index.set(f(OTHER, 'epics', 'EP-0001-other.md'), '---\nepic_id: EP-0001\ntitle: Other project\nstatus: planning\n---\n');
  return index;
}

const item = (index: TaskIndex, file: string) => index.entry(file)!.item!;

describe('board cards', () => {
  it('a card carries what the board shows: state, priority, assignee, labels, tokens, epic and child progress', () => {
    const index = setup();
    const card = toCard(item(index, f(ROOT, 'issues', 'ISS-0001-login.md')), index)!;
    assert.deepEqual(card, {
      file: f(ROOT, 'issues', 'ISS-0001-login.md'),
      id: 'ISS-0001',
      title: 'Login form',
      type: 'issue',
      state: 'ready_for_qa',
      priority: 'critical',
      assignee: '@alice',
      labels: ['ui', 'auth'],
      epicId: 'EP-0001',
      parentId: 'EP-0001',
      estimatedTokens: 5000,
      actualTokens: 4200,
      progress: { done: 1, total: 2 },
      menu: 'item:issue:ready_for_qa:labelled',
      hash: item(index, f(ROOT, 'issues', 'ISS-0001-login.md')).hash,
    });
  });

  it('a task names its epic through its parent issue; an epic is in its own epic', () => {
    const index = setup();
    assert.equal(toCard(item(index, f(ROOT, 'tasks', 'TSK-0001-button.md')), index)!.epicId, 'EP-0001');
    assert.equal(toCard(item(index, f(ROOT, 'epics', 'EP-0001-auth.md')), index)!.epicId, 'EP-0001');
  });

  it('an unknown state word sits in planning and is named; a parent that does not exist leaves no epic', () => {
    const index = setup();
    const card = toCard(item(index, f(ROOT, 'tasks', 'TSK-0003-odd.md')), index)!;
    assert.equal(card.state, 'planning');
    assert.equal(card.unknownState, 'on-hold');
    assert.equal(card.epicId, undefined);
    assert.equal(card.parentId, 'ISS-0404');
  });

  it('blocked work sits in its open column and is marked: the older status word and the CLI blocked_reason alike', () => {
    const index = setup();
    const legacy = f(ROOT, 'tasks', 'TASK-001-held.md');
    index.set(legacy, '---\nid: TASK-001\ntype: task\ntitle: Held\nstatus: blocked\nowner: sarah\n---\n');
    const cli = f(ROOT, 'tasks', 'TSK-0009-held.md');
    index.set(cli, '---\ntask_id: TSK-0009\nissue_id: ISS-0001\ntitle: Held\nstatus: active\nstate: active\nstate_metadata:\n  blocked_reason: waiting for keys\n---\n');
    const cancelled = f(ROOT, 'tasks', 'TASK-002-dropped.md');
    index.set(cancelled, '---\nid: TASK-002\ntype: task\ntitle: Dropped\nstatus: cancelled\n---\n');
    const [a, b, c] = [legacy, cli, cancelled].map((file) => toCard(item(index, file), index)!);
    assert.deepEqual([a.state, a.blocked, a.unknownState, a.assignee], ['active', true, undefined, 'sarah']);
    assert.deepEqual([b.state, b.blocked], ['active', true]);
    assert.deepEqual([c.state, c.blocked], ['won_t_do', undefined]);
    assert.equal(toCard(item(index, f(ROOT, 'issues', 'ISS-0001-login.md')), index)!.blocked, undefined);
  });

  it('a project has one card per epic, issue, task and PR of its own, and no comment cards', () => {
    const index = setup();
    const { cards, epics } = projectCards(index, ROOT);
    assert.deepEqual(cards.map((c) => c.id).sort(), ['EP-0001', 'ISS-0001', 'TSK-0001', 'TSK-0002', 'TSK-0003']);
    assert.deepEqual(epics, [{ id: 'EP-0001', title: 'Auth' }]);
    assert.deepEqual(projectCards(index, OTHER).epics, [{ id: 'EP-0001', title: 'Other project' }]);
  });

  it('menu context matches the trees: type, state, labelled, legacy', () => {
    const index = setup();
    assert.equal(menuContext(item(index, f(ROOT, 'tasks', 'TSK-0002-style.md'))), 'item:task:planning');
    assert.equal(menuContext(item(index, f(ROOT, 'tasks', 'TSK-0003-odd.md'))), 'item:task:none');
  });

  describe('diffCards', () => {
    it('sends every card first, then only changed and removed ones; a child change also updates its parent', () => {
      const index = setup();
      const sent = new Map<string, string>();
      assert.equal(diffCards(sent, projectCards(index, ROOT).cards).upserts.length, 5);
      assert.deepEqual(diffCards(sent, projectCards(index, ROOT).cards), { upserts: [], removes: [] });

      index.set(f(ROOT, 'tasks', 'TSK-0002-style.md'), '---\ntask_id: TSK-0002\nissue_id: ISS-0001\ntitle: Style\nstatus: completed\n---\n');
      const d = diffCards(sent, projectCards(index, ROOT).cards);
      assert.deepEqual(d.upserts.map((c: BoardCard) => c.id).sort(), ['ISS-0001', 'TSK-0002']);
      assert.deepEqual(d.upserts.find((c) => c.id === 'ISS-0001')!.progress, { done: 2, total: 2 });

      index.remove(f(ROOT, 'tasks', 'TSK-0001-button.md'));
      const r = diffCards(sent, projectCards(index, ROOT).cards);
      assert.deepEqual(r.removes, [f(ROOT, 'tasks', 'TSK-0001-button.md')]);
      assert.deepEqual(r.upserts.map((c) => c.id), ['ISS-0001']);
      assert.equal(sent.has(f(ROOT, 'tasks', 'TSK-0001-button.md')), false);
    });
  });
});
