import * as assert from 'assert/strict';
import { STATES } from '../../src/core/model';
import {
  categoryOfType,
  LinearState,
  localStateOf,
  markerSearchText,
  priorityFromLinear,
  priorityToLinear,
  remoteStateFor,
  splitMarker,
  withMarker,
} from '../../src/core/sync/linearMapping';
import { CATEGORY_STATES, stateCategory } from '../../src/core/sync/provider';

const DEFAULT_WORKFLOW: LinearState[] = [
  { id: 's-triage', name: 'Triage', type: 'triage', position: 0 },
  { id: 's-backlog', name: 'Backlog', type: 'backlog', position: 1 },
  { id: 's-todo', name: 'Todo', type: 'unstarted', position: 2 },
  { id: 's-progress', name: 'In Progress', type: 'started', position: 3 },
  { id: 's-done', name: 'Done', type: 'completed', position: 4 },
  { id: 's-canceled', name: 'Canceled', type: 'canceled', position: 5 },
];

describe('linearMapping', () => {
  describe('workflow states', () => {
    it('reads every Linear state type as its category', () => {
      assert.equal(categoryOfType('triage'), 'unstarted');
      assert.equal(categoryOfType('backlog'), 'unstarted');
      assert.equal(categoryOfType('unstarted'), 'unstarted');
      assert.equal(categoryOfType('started'), 'started');
      assert.equal(categoryOfType('completed'), 'completed');
      assert.equal(categoryOfType('canceled'), 'canceled');
    });

    it('reads a state by its type when its name means no finer local state', () => {
      assert.equal(localStateOf({ name: 'Todo', type: 'unstarted' }), 'planning');
      assert.equal(localStateOf({ name: 'Backlog', type: 'backlog' }), 'planning');
      assert.equal(localStateOf({ name: 'Doing', type: 'started' }), 'active');
      assert.equal(localStateOf({ name: 'Shipped', type: 'completed' }), 'done');
      assert.equal(localStateOf({ name: 'Duplicate', type: 'canceled' }), 'won_t_do');
    });

    it('refines by name within the category, ignoring case and punctuation', () => {
      assert.equal(localStateOf({ name: 'Ready for QA', type: 'started' }), 'ready_for_qa');
      assert.equal(localStateOf({ name: 'In Review', type: 'started' }), 'ready_for_qa');
      assert.equal(localStateOf({ name: 'ready for deployment', type: 'started' }), 'ready_for_deployment');
      assert.equal(localStateOf({ name: 'Archived', type: 'completed' }), 'archived');
      // A name in another category does not pull the state out of its type's category.
      assert.equal(localStateOf({ name: 'Done', type: 'started' }), 'active');
    });

    it('writes planning to the backlog, and each other state to a state of its category', () => {
      assert.equal(remoteStateFor('planning', DEFAULT_WORKFLOW)?.id, 's-backlog');
      assert.equal(remoteStateFor('active', DEFAULT_WORKFLOW)?.id, 's-progress');
      assert.equal(remoteStateFor('ready_for_qa', DEFAULT_WORKFLOW)?.id, 's-progress');
      assert.equal(remoteStateFor('done', DEFAULT_WORKFLOW)?.id, 's-done');
      assert.equal(remoteStateFor('archived', DEFAULT_WORKFLOW)?.id, 's-done');
      assert.equal(remoteStateFor('won_t_do', DEFAULT_WORKFLOW)?.id, 's-canceled');
    });

    it('prefers a state named for the local state, and falls back along the preferred types', () => {
      const custom: LinearState[] = [
        ...DEFAULT_WORKFLOW,
        { id: 's-review', name: 'In Review', type: 'started', position: 6 },
        { id: 's-deploy', name: 'Ready for Deployment', type: 'started', position: 7 },
        { id: 's-planning', name: 'Planning', type: 'unstarted', position: 8 },
      ];
      assert.equal(remoteStateFor('ready_for_qa', custom)?.id, 's-review');
      assert.equal(remoteStateFor('ready_for_deployment', custom)?.id, 's-deploy');
      assert.equal(remoteStateFor('planning', custom)?.id, 's-planning');
      const noBacklog = DEFAULT_WORKFLOW.filter((s) => s.type !== 'backlog');
      assert.equal(remoteStateFor('planning', noBacklog)?.id, 's-todo');
      assert.equal(remoteStateFor('won_t_do', DEFAULT_WORKFLOW.filter((s) => s.type !== 'canceled')), undefined);
    });

    it('reads back what it writes as the same category, for every local state', () => {
      for (const state of STATES) {
        const remote = remoteStateFor(state, DEFAULT_WORKFLOW)!;
        const back = localStateOf(remote);
        assert.equal(stateCategory(back), stateCategory(state), state);
        assert.equal(back, CATEGORY_STATES[stateCategory(state)], state);
      }
    });
  });

  describe('priorities', () => {
    it('maps Linear 1–4 to critical, high, medium, low and 0 to none, both ways', () => {
      assert.deepEqual([0, 1, 2, 3, 4].map(priorityFromLinear), [undefined, 'critical', 'high', 'medium', 'low']);
      assert.deepEqual([undefined, 'critical', 'high', 'medium', 'low'].map((p) => priorityToLinear(p as never)), [0, 1, 2, 3, 4]);
      assert.equal(priorityFromLinear(null), undefined);
    });
  });

  describe('the marker', () => {
    it('is the last line, and comes off again with the local id it names', () => {
      const description = withMarker('Fix the login.\n\n- step one\n', 'TSK-0001');
      assert.equal(description, 'Fix the login.\n\n- step one\n\n`ai-trackdown:TSK-0001`');
      assert.deepEqual(splitMarker(description), { body: 'Fix the login.\n\n- step one', localId: 'TSK-0001' });
      assert.ok(description.includes(markerSearchText('TSK-0001')));
    });

    it('stands alone for an empty body', () => {
      assert.equal(withMarker('', 'ISS-0007'), '`ai-trackdown:ISS-0007`');
      assert.deepEqual(splitMarker('`ai-trackdown:ISS-0007`'), { body: '', localId: 'ISS-0007' });
    });

    it('is only a marker on the last line: the same text elsewhere stays part of the body', () => {
      const text = 'See `ai-trackdown:TSK-0002` for context.\n\nMore.';
      assert.deepEqual(splitMarker(text), { body: text });
      assert.deepEqual(splitMarker(null), { body: '' });
      assert.deepEqual(splitMarker('Body\n\n`ai-trackdown:TSK-0003`\n\n'), { body: 'Body', localId: 'TSK-0003' });
    });
  });
});
