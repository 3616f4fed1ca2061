import * as assert from 'assert/strict';
import {
  assigneeKey,
  idKey,
  isBlocked,
  isClosed,
  itemState,
  knownStatusWord,
  ITEM_TYPES,
  LEGACY_STATUSES,
  legacyStatusForState,
  State,
  STATE_LABELS,
  STATES,
  statusForState,
  stateText,
  STATUSES,
  toState,
} from '../../src/core/model';

describe('model', () => {
  describe('toState', () => {
    it('keeps every unified state as it is', () => {
      for (const s of STATES) assert.equal(toState(s), s);
    });

    it('maps the CLI status words (completed is done)', () => {
      assert.deepEqual(
        STATUSES.map((s) => toState(s)),
        ['planning', 'active', 'done', 'archived'],
      );
    });

    it('maps the older format status words', () => {
      assert.deepEqual(
        LEGACY_STATUSES.map((s) => toState(s)),
        ['planning', 'planning', 'active', 'ready_for_qa', 'done', 'active', 'won_t_do'],
      );
    });

    it('gives undefined for unknown words and for anything that is not a string', () => {
      for (const w of ['closed', 'in_progress', 'Done', '', ' active', null, undefined, 3, ['active'], { state: 'done' }]) {
        assert.equal(toState(w), undefined, String(w));
      }
    });

    it('does not treat inherited object keys as statuses', () => {
      for (const w of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) assert.equal(toState(w), undefined, w);
    });
  });

  describe('statusForState', () => {
    it('writes the CLI status word that goes with each state', () => {
      const expected: Record<State, string> = {
        planning: 'planning',
        active: 'active',
        ready_for_engineering: 'active',
        ready_for_qa: 'active',
        ready_for_deployment: 'active',
        done: 'completed',
        won_t_do: 'archived',
        archived: 'archived',
      };
      for (const s of STATES) assert.equal(statusForState(s), expected[s], s);
    });

    it('round-trips through toState for the states a status can name', () => {
      for (const s of ['planning', 'active', 'done', 'archived'] as const) assert.equal(toState(statusForState(s)), s);
    });
  });

  describe('legacyStatusForState', () => {
    it('has an older-format word only where one fits exactly', () => {
      const got = Object.fromEntries(STATES.map((s) => [s, legacyStatusForState(s)]));
      assert.deepEqual(got, {
        planning: 'todo',
        active: 'in-progress',
        ready_for_engineering: undefined,
        ready_for_qa: 'in-review',
        ready_for_deployment: undefined,
        done: 'done',
        won_t_do: 'cancelled',
        archived: undefined,
      });
    });

    it('round-trips through toState', () => {
      for (const s of STATES) {
        const word = legacyStatusForState(s);
        if (word) assert.equal(toState(word), s);
      }
    });
  });

  describe('custom status words', () => {
    it('knownStatusWord reads a word by name, whatever its case, spaces, dashes and underscores', () => {
      const got = ['Ready for QA', 'in progress', 'In_Progress', 'Blocked', ' DONE ', 'won-t-do', 'security-review', 'constructor', '__proto__', ''];
      assert.deepEqual(got.map(knownStatusWord), ['ready_for_qa', 'in-progress', 'in-progress', 'blocked', 'done', 'won_t_do', undefined, undefined, undefined, undefined]);
    });

    it('itemState maps a declared word by its name, leaves one that names no state without one, and ignores undeclared words', () => {
      const declared = ['Ready for QA', 'Blocked', 'security-review', 'constructor'];
      assert.equal(itemState('Ready for QA', declared), 'ready_for_qa');
      assert.equal(itemState('Blocked', declared), 'active');
      assert.equal(itemState('security-review', declared), undefined);
      assert.equal(itemState('constructor', declared), undefined);
      assert.equal(itemState('Ready for QA'), undefined, 'another project does not declare it');
      assert.equal(itemState('cancelled'), 'won_t_do');
      assert.equal(itemState(undefined, declared), undefined);
    });
  });

  describe('blocked work', () => {
    const item = (state: State | undefined, rawState: string | undefined, data: Record<string, unknown> = {}) => ({ state, rawState, data });

    it('is the older `blocked` (or a declared word spelling it) and the CLI blocked_reason, on open work only', () => {
      assert.equal(isBlocked(item('active', 'blocked')), true);
      assert.equal(isBlocked(item('active', 'Blocked')), true);
      assert.equal(isBlocked(item('active', 'active', { state_metadata: { blocked_reason: 'waiting for the API key' } })), true);
      assert.equal(isBlocked(item('active', 'in-progress')), false);
      assert.equal(isBlocked(item('active', 'active', { state_metadata: { blocked_reason: '  ' } })), false);
      assert.equal(isBlocked(item('active', 'active', { state_metadata: null })), false);
      assert.equal(isBlocked(item('done', 'done', { state_metadata: { blocked_reason: 'old' } })), false);
      assert.equal(isBlocked(item(undefined, 'blocked')), false);
    });

    it('stateText marks it beside the state, and has nothing for a word that names no state', () => {
      assert.equal(stateText(item('active', 'blocked')), 'Active (blocked)');
      assert.equal(stateText(item('won_t_do', 'cancelled')), "Won't Do");
      assert.equal(stateText(item(undefined, 'security-review')), undefined);
    });
  });

  it('assigneeKey: an older file reads its owner when it names no assignee; the CLI format has only assignee', () => {
    assert.equal(assigneeKey('legacy', { owner: 'sarah' }), 'owner');
    assert.equal(assigneeKey('legacy', { owner: 'sarah', assignee: 'alex' }), 'assignee');
    assert.equal(assigneeKey('legacy', { owner: 'sarah', assignee: ' ' }), 'owner');
    assert.equal(assigneeKey('legacy', { owner: 7 }), 'assignee');
    assert.equal(assigneeKey('legacy', {}), 'assignee');
    assert.equal(assigneeKey('cli', { owner: 'sarah' }), 'assignee');
  });

  it('isClosed: done, won_t_do and archived; an unknown state is open', () => {
    assert.deepEqual(
      STATES.filter((s) => isClosed(s)),
      ['done', 'won_t_do', 'archived'],
    );
    assert.equal(isClosed(undefined), false);
  });

  it('STATE_LABELS names every state', () => {
    assert.deepEqual(Object.keys(STATE_LABELS).sort(), [...STATES].sort());
    for (const s of STATES) assert.ok(STATE_LABELS[s].length > 0);
    assert.equal(STATE_LABELS.won_t_do, "Won't Do");
  });

  it('idKey: <type>_id in the CLI format, id for comments and for the older format', () => {
    assert.deepEqual(
      ITEM_TYPES.map((t) => idKey(t, 'cli')),
      ['epic_id', 'issue_id', 'task_id', 'pr_id', 'id'],
    );
    for (const t of ITEM_TYPES) assert.equal(idKey(t, 'legacy'), 'id');
  });
});
