import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { BoardCard } from '../../src/core/board';
import {
  adjacentColumn,
  allowedDropTargets,
  BoardSettings,
  compareCards,
  DEFAULT_COLUMNS,
  isBoardFilterActive,
  keyboardTarget,
  layoutBoard,
  matchesBoardFilter,
  NO_ASSIGNEE,
  NO_EPIC,
  normalizeBoardSettings,
  planMove,
  shownColumns,
} from '../../src/core/boardLayout';
import { State, STATES } from '../../src/core/model';
import { REPO } from './helpers';

function card(id: string, state: State, extra: Partial<BoardCard> = {}): BoardCard {
  const type = id.startsWith('EP') ? 'epic' : id.startsWith('TSK') ? 'task' : id.startsWith('PR') ? 'pr' : 'issue';
  return { file: `/p/${id}.md`, id, title: `Title of ${id}`, type, state, labels: [], menu: `item:${type}:${state}`, hash: id, ...extra };
}

const settings: BoardSettings = { columns: [...DEFAULT_COLUMNS], wipLimits: { active: 2 } };
const cards = [
  card('EP-0001', 'active', { epicId: 'EP-0001', priority: 'high' }),
  card('ISS-0002', 'active', { epicId: 'EP-0001', assignee: '@alice', labels: ['UI'], priority: 'low' }),
  card('ISS-0010', 'active', { epicId: 'EP-0001', assignee: 'alice', priority: 'critical' }),
  card('ISS-0003', 'planning', { assignee: 'bob', labels: ['backend'] }),
  card('TSK-0001', 'done', { epicId: 'EP-0009', title: 'Write the <script> docs' }),
  card('PR-0001', 'archived'),
];
const ids = (list: BoardCard[]) => list.map((c) => c.id);

describe('board layout', () => {
  describe('columns', () => {
    it('follow the settings; archived is hidden unless asked for, and then comes last if not configured', () => {
      assert.deepEqual(shownColumns(settings, false), DEFAULT_COLUMNS);
      assert.deepEqual(shownColumns(settings, true), [...DEFAULT_COLUMNS, 'archived']);
      assert.deepEqual(shownColumns({ columns: ['done', 'archived', 'planning'], wipLimits: {} }, false), ['done', 'planning']);
      assert.deepEqual(shownColumns({ columns: ['done', 'archived', 'planning'], wipLimits: {} }, true), ['done', 'archived', 'planning']);
    });

    it('hold their cards by state, most urgent first then by id as numbers; a card in no shown column is counted as outside', () => {
      const view = layoutBoard(cards, settings);
      assert.equal(view.lanes.length, 1);
      const cell = (s: State) => ids(view.lanes[0].cells[view.columns.findIndex((c) => c.state === s)]);
      assert.deepEqual(cell('active'), ['ISS-0010', 'EP-0001', 'ISS-0002']);
      assert.deepEqual(cell('planning'), ['ISS-0003']);
      assert.deepEqual(cell('done'), ['TSK-0001']);
      assert.equal(view.shown, 5);
      assert.equal(view.outside, 1);
      assert.deepEqual(ids(layoutBoard(cards, settings, { showArchived: true }).lanes[0].cells[7]), ['PR-0001']);
    });

    it('mark a column over its WIP limit, counting every card in it, filtered or not', () => {
      const view = layoutBoard(cards, settings, { filter: { assignee: 'bob' } });
      const active = view.columns.find((c) => c.state === 'active')!;
      assert.deepEqual(active, { state: 'active', label: 'Active', total: 3, shown: 0, limit: 2, overLimit: true });
      assert.equal(view.columns.find((c) => c.state === 'planning')!.overLimit, false);
      const atLimit = layoutBoard(cards.slice(1), settings).columns.find((c) => c.state === 'active')!;
      assert.equal(atLimit.overLimit, false, 'two cards at a limit of two are not over it');
    });

    it('with nothing to show there is still one empty lane to drop into', () => {
      const view = layoutBoard([], settings);
      assert.equal(view.lanes.length, 1);
      assert.ok(view.lanes[0].cells.every((c) => c.length === 0));
    });
  });

  describe('filters', () => {
    const keep = (filter: Parameters<typeof matchesBoardFilter>[1]) => ids(cards.filter((c) => matchesBoardFilter(c, filter)));
    it('text matches id or title, any case; blank text matches all', () => {
      assert.deepEqual(keep({ text: 'iss-000' }), ['ISS-0002', 'ISS-0003']);
      assert.deepEqual(keep({ text: '<SCRIPT>' }), ['TSK-0001']);
      assert.equal(keep({ text: '   ' }).length, cards.length);
    });
    it('types, label (any case), assignee (with or without @, or unassigned), epic (or none)', () => {
      assert.deepEqual(keep({ types: ['task', 'pr'] }), ['TSK-0001', 'PR-0001']);
      assert.deepEqual(keep({ label: 'ui' }), ['ISS-0002']);
      assert.deepEqual(keep({ assignee: '@alice' }), ['ISS-0002', 'ISS-0010']);
      assert.deepEqual(keep({ assignee: NO_ASSIGNEE }), ['EP-0001', 'TSK-0001', 'PR-0001']);
      assert.deepEqual(keep({ epic: 'EP-0001' }), ['EP-0001', 'ISS-0002', 'ISS-0010']);
      assert.deepEqual(keep({ epic: NO_EPIC }), ['ISS-0003', 'PR-0001']);
    });
    it('all parts must match', () => {
      assert.deepEqual(keep({ assignee: 'alice', text: '0010' }), ['ISS-0010']);
      assert.deepEqual(keep({ assignee: 'alice', types: ['epic'] }), []);
    });
    it('is active only when some part is set', () => {
      assert.equal(isBoardFilterActive({}), false);
      assert.equal(isBoardFilterActive({ text: ' ', types: [] }), false);
      assert.equal(isBoardFilterActive({ types: ['pr'] }), true);
    });
  });

  describe('swimlanes', () => {
    it('by epic: one lane per epic with its title, a lane for an epic that does not exist, "No epic" last', () => {
      const view = layoutBoard(cards, settings, { swimlane: 'epic', epics: [{ id: 'EP-0001', title: 'Auth' }] });
      assert.deepEqual(view.lanes.map((l) => [l.label, l.count]), [['EP-0001 Auth', 3], ['EP-0009 (not found)', 1], ['No epic', 1]]);
      assert.deepEqual(ids(view.lanes[0].cells[1]), ['ISS-0010', 'EP-0001', 'ISS-0002']);
    });
    it('by assignee: @alice and alice are one lane, "Unassigned" last', () => {
      const view = layoutBoard(cards, settings, { swimlane: 'assignee' });
      assert.deepEqual(view.lanes.map((l) => [l.label, l.count]), [['alice', 2], ['bob', 1], ['Unassigned', 2]]);
    });
    it('only lanes with cards the filter keeps', () => {
      const view = layoutBoard(cards, settings, { swimlane: 'assignee', filter: { text: 'ISS-0003' } });
      assert.deepEqual(view.lanes.map((l) => l.label), ['bob']);
    });
  });

  describe('moves', () => {
    it('follow the workflow transition rules', () => {
      assert.deepEqual(planMove({ state: 'active' }, 'active'), { kind: 'none' });
      assert.deepEqual(planMove({ state: 'active' }, 'ready_for_engineering'), { kind: 'allowed' });
      assert.deepEqual(planMove({ state: 'ready_for_qa' }, 'won_t_do'), { kind: 'allowed' });
      const refused = planMove({ state: 'planning' }, 'done');
      assert.equal(refused.kind, 'refused');
      assert.match((refused as { message: string }).message, /Planning → Done is not an allowed transition\. From Planning an item may go to Ready for Engineering, Won't Do/);
      assert.equal(planMove({ state: 'archived' }, 'planning').kind, 'refused');
    });
    it('drop targets are the allowed next states', () => {
      assert.deepEqual(allowedDropTargets({ state: 'ready_for_deployment' }), ['done', 'ready_for_qa', 'won_t_do']);
      assert.deepEqual(allowedDropTargets({ state: 'archived' }), []);
    });
    it('adjacent columns either way, and nothing past the ends', () => {
      const cols = shownColumns(settings, false);
      assert.equal(adjacentColumn(cols, 'active', 1), 'ready_for_engineering');
      assert.equal(adjacentColumn(cols, 'active', -1), 'planning');
      assert.equal(adjacentColumn(cols, 'planning', -1), undefined);
      assert.equal(adjacentColumn(cols, 'won_t_do', 1), undefined);
      assert.equal(adjacentColumn(cols, 'archived', 1), undefined);
    });
    it('keyboard moves go to the nearest allowed column that way, else the adjacent one (refused, to be forced)', () => {
      const cols = shownColumns(settings, false);
      assert.equal(keyboardTarget(cols, { state: 'planning' }, 1), 'ready_for_engineering', 'skips Active, which Planning may not go to');
      assert.equal(keyboardTarget(cols, { state: 'ready_for_qa' }, -1), 'ready_for_engineering');
      assert.equal(keyboardTarget(cols, { state: 'ready_for_engineering' }, -1), 'active');
      assert.equal(keyboardTarget(cols, { state: 'done' }, -1), 'ready_for_deployment', 'nothing allowed to the left: the adjacent column');
      assert.equal(keyboardTarget(shownColumns(settings, true), { state: 'done' }, 1), 'archived', 'skips Won\'t Do');
      assert.equal(keyboardTarget(cols, { state: 'won_t_do' }, 1), undefined);
    });
  });

  it('compareCards puts unknown priorities after known ones', () => {
    const list = [card('ISS-2', 'active', { priority: 'urgent' }), card('ISS-1', 'active'), card('ISS-3', 'active', { priority: 'low' })];
    assert.deepEqual(ids(list.sort(compareCards)), ['ISS-3', 'ISS-1', 'ISS-2']);
  });

  describe('settings', () => {
    it('package.json offers every state as a column and defaults to the board\'s own columns', () => {
      const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
      const columns = pkg.contributes.configuration.properties['aiTrackdown.board.columns'];
      assert.deepEqual(columns.items.enum, STATES);
      assert.deepEqual(columns.default, DEFAULT_COLUMNS);
      assert.deepEqual(Object.keys(pkg.contributes.configuration.properties['aiTrackdown.board.wipLimits'].properties), STATES);
    });
    it('keep known states once each and whole non-negative WIP limits; anything else falls back to the defaults', () => {
      assert.deepEqual(normalizeBoardSettings(['done', 'nope', 'done', 'active'], { active: 3, done: -1, qa: 2, planning: 1.5 }, STATES), {
        columns: ['done', 'active'],
        wipLimits: { active: 3 },
      });
      assert.deepEqual(normalizeBoardSettings('done', null, STATES), { columns: [...DEFAULT_COLUMNS], wipLimits: {} });
      assert.deepEqual(normalizeBoardSettings([], { constructor: 1, __proto__: 2 }, STATES).wipLimits, {});
    });
  });
});
