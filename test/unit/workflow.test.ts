import * as assert from 'assert/strict';
import { parse as parseYaml } from 'yaml';
import { editFrontmatter } from '../../src/core/edit';
import { Item, State, STATES } from '../../src/core/model';
import { parseItem } from '../../src/core/parse';
import {
  allowedTargets,
  canTransition,
  currentState,
  describeRefusal,
  isOpen,
  TransitionError,
  transitionChanges,
} from '../../src/core/workflow';
import { contextFor, corpus, corpusConfig, readCorpus } from './helpers';

/** The transitions FORMAT.md lists as the ones the CLI accepts. */
const ALLOWED: [State, State][] = [
  ['planning', 'ready_for_engineering'],
  ['active', 'ready_for_engineering'],
  ['ready_for_engineering', 'ready_for_qa'],
  ['ready_for_engineering', 'active'],
  ['ready_for_qa', 'ready_for_deployment'],
  ['ready_for_qa', 'active'],
  ['ready_for_qa', 'ready_for_engineering'],
  ['ready_for_deployment', 'done'],
  ['ready_for_deployment', 'ready_for_qa'],
  ['done', 'archived'],
  ['won_t_do', 'archived'],
  // any open state → won_t_do
  ['planning', 'won_t_do'],
  ['active', 'won_t_do'],
  ['ready_for_engineering', 'won_t_do'],
  ['ready_for_qa', 'won_t_do'],
  ['ready_for_deployment', 'won_t_do'],
];
const isAllowed = (from: State, to: State) => ALLOWED.some(([f, t]) => f === from && t === to);

const NOW = new Date('2026-11-22T03:08:57.490Z');

function itemOf(text: string, name = 'ISS-0009-x.md', type: 'issue' | 'task' = 'issue'): Item {
  const { item } = parseItem(text, contextFor(name, type));
  assert.ok(item);
  return item;
}

function cliIssue(state: State | undefined, extra = ''): Item {
  const stateLine = state ? `state: ${state}\n` : '';
  return itemOf(`---\nissue_id: ISS-0009\ntitle: x\ndescription: d\nstatus: active\n${stateLine}created_date: 2026-01-01T00:00:00.000Z\nupdated_date: 2026-01-01T00:00:00.000Z\n${extra}---\n`);
}

/** Apply a transition to a text and read the result back. */
function transition(text: string, item: Item, to: State, extra: { force?: boolean; reason?: string } = {}) {
  const changes = transitionChanges(item, { to, by: 'alice', now: NOW, ...extra });
  const { text: after } = editFrontmatter(text, changes);
  const reread = parseItem(after, { file: item.file, root: item.root, type: item.type, config: contextFor('x.md', 'issue').config });
  return { changes, after, reread };
}

describe('workflow', () => {
  describe('the transition table', () => {
    it('allows exactly the transitions of FORMAT.md', () => {
      for (const from of STATES) {
        for (const to of STATES) {
          assert.equal(canTransition(from, to), isAllowed(from, to), `${from} → ${to}`);
        }
      }
    });

    it('allowedTargets lists them', () => {
      for (const from of STATES) {
        assert.deepEqual([...allowedTargets(from)].sort(), ALLOWED.filter(([f]) => f === from).map(([, t]) => t).sort(), from);
      }
      assert.deepEqual(allowedTargets('archived'), []);
    });

    it('isOpen: the five states before done, won_t_do and archived', () => {
      assert.deepEqual(
        STATES.filter(isOpen),
        ['planning', 'active', 'ready_for_engineering', 'ready_for_qa', 'ready_for_deployment'],
      );
    });

    it('currentState: a file without a state is planning', () => {
      assert.equal(currentState({ state: undefined }), 'planning');
      assert.equal(currentState({ state: 'done' }), 'done');
    });

    it('describeRefusal names where the item may go instead', () => {
      assert.equal(
        describeRefusal('planning', 'done'),
        'Planning → Done is not an allowed transition. From Planning an item may go to Ready for Engineering, Won\'t Do.',
      );
      assert.match(describeRefusal('archived', 'active'), /may go to no other state\.$/);
    });
  });

  describe('transitionChanges on CLI files', () => {
    for (const [from, to] of ALLOWED) {
      it(`${from} → ${to}`, () => {
        const text = `---\nissue_id: ISS-0009\ntitle: x\ndescription: d\nstatus: active\nstate: ${from}\ncreated_date: 2026-01-01T00:00:00.000Z\nupdated_date: 2026-01-01T00:00:00.000Z\n---\nbody\n`;
        const item = itemOf(text);
        const { after, reread } = transition(text, item, to);
        assert.equal(reread.item?.state, to);
        assert.deepEqual(reread.problems, []);
        const data = reread.item!.data;
        assert.deepEqual(data.state_metadata, {
          transitioned_at: NOW.toISOString(),
          transitioned_by: 'alice',
          previous_state: from,
          automation_eligible: false,
        });
        assert.equal(data.updated_date, NOW.toISOString());
        assert.equal(data.created_date, '2026-01-01T00:00:00.000Z');
        assert.ok(after.endsWith('---\nbody\n'));
      });
    }

    for (const from of STATES) {
      for (const to of STATES) {
        if (from === to || isAllowed(from, to)) continue;
        it(`${from} → ${to} is refused`, () => {
          assert.throws(
            () => transitionChanges(cliIssue(from), { to, by: 'alice', now: NOW }),
            (e: unknown) => e instanceof TransitionError && e.from === from && e.to === to && e.message === describeRefusal(from, to),
          );
        });
      }
    }

    it('the same state again is refused, even with force', () => {
      for (const s of STATES) {
        assert.throws(() => transitionChanges(cliIssue(s), { to: s, by: 'a', force: true }), (e: unknown) => e instanceof TransitionError && /already/.test((e as Error).message));
      }
    });

    it('writes status to match: completed for done, archived for won_t_do, active for the ready states', () => {
      const expected: Partial<Record<State, string>> = {
        ready_for_engineering: 'active',
        won_t_do: 'archived',
      };
      for (const [to, status] of Object.entries(expected)) {
        const changes = transitionChanges(cliIssue('planning'), { to: to as State, by: 'a', now: NOW });
        assert.deepEqual(changes.find((c) => c.key === 'status'), { key: 'status', value: status, after: 'description' });
      }
      const done = transitionChanges(cliIssue('ready_for_deployment'), { to: 'done', by: 'a', now: NOW });
      assert.equal((done.find((c) => c.key === 'status') as { value: string }).value, 'completed');
    });

    it('a reason is recorded as transition_reason', () => {
      const text = readCorpus('cli', 'tasks', 'issues', 'ISS-0002-wallet-payments.md');
      const item = parseItem(text, { file: corpus('cli', 'tasks', 'issues', 'ISS-0002-wallet-payments.md'), root: corpus('cli'), type: 'issue', config: corpusConfig('cli') }).item!;
      const { reread } = transition(text, item, 'ready_for_engineering', { reason: 'Design signed off' });
      assert.equal((reread.item!.data.state_metadata as Record<string, unknown>).transition_reason, 'Design signed off');
    });

    it('force accepts a refused transition and records it as a manual override', () => {
      const text = `---\nissue_id: ISS-0009\ntitle: x\nstatus: planning\n---\n`;
      const item = itemOf(text);
      const { reread } = transition(text, item, 'done', { force: true });
      assert.equal(reread.item?.state, 'done');
      assert.deepEqual(reread.item!.data.state_metadata, {
        transitioned_at: NOW.toISOString(),
        transitioned_by: 'alice',
        previous_state: 'planning',
        automation_eligible: false,
        manual_override: true,
        automation_source: 'manual',
      });
    });

    it('force on an allowed transition is not an override', () => {
      const changes = transitionChanges(cliIssue('planning'), { to: 'ready_for_engineering', by: 'a', force: true, now: NOW });
      const meta = (changes.find((c) => c.key === 'state_metadata') as { value: Record<string, unknown> }).value;
      assert.equal('manual_override' in meta, false);
    });

    it('an existing state_metadata is replaced whole, its old free keys dropped', () => {
      const text = readCorpus('cli', 'tasks', 'issues', 'ISS-0001-cart-page.md');
      const item = parseItem(text, { file: corpus('cli', 'tasks', 'issues', 'ISS-0001-cart-page.md'), root: corpus('cli'), type: 'issue', config: corpusConfig('cli') }).item!;
      const { after, reread } = transition(text, item, 'ready_for_deployment');
      const meta = reread.item!.data.state_metadata as Record<string, unknown>;
      assert.equal(meta.previous_state, 'ready_for_qa');
      assert.equal('security_scan_passed' in meta, false);
      // Key order stays as the CLI wrote it: state_metadata where it was.
      const keys = Object.keys(parseYaml(after.split('---')[1]) as object);
      assert.deepEqual(keys.slice(0, 8), ['issue_id', 'epic_id', 'title', 'description', 'status', 'state', 'state_metadata', 'priority']);
    });

    it('a file with only status gets state and state_metadata right after it', () => {
      const text = readCorpus('cli', 'tasks', 'tasks', 'TSK-0001-cart-markup.md');
      const item = parseItem(text, { file: corpus('cli', 'tasks', 'tasks', 'TSK-0001-cart-markup.md'), root: corpus('cli'), type: 'task', config: corpusConfig('cli') }).item!;
      assert.equal(item.state, 'done');
      const { after, reread } = transition(text, item, 'archived');
      assert.ok(after.includes('\nstatus: archived\nstate: archived\nstate_metadata:\n  transitioned_at: "2026-11-22T03:08:57.490Z"\n  transitioned_by: alice\n  previous_state: done\n  automation_eligible: false\npriority: high\n'));
      assert.deepEqual(reread.problems, []);
    });

    it('a file with neither status nor state: both inserted after description, in the CLI order', () => {
      const text = '---\nissue_id: ISS-0009\ntitle: x\ndescription: d\npriority: low\n---\n';
      const { after } = transition(text, itemOf(text), 'ready_for_engineering');
      assert.ok(after.startsWith('---\nissue_id: ISS-0009\ntitle: x\ndescription: d\nstatus: active\nstate: ready_for_engineering\nstate_metadata:\n'));
      assert.ok(after.endsWith(`priority: low\nupdated_date: "${NOW.toISOString()}"\n---\n`));
    });

    it('keeps CRLF, BOM and the body of the file', () => {
      const text = '\uFEFF' + readCorpus('cli', 'tasks', 'tasks', 'TSK-0004-wallet-button.md');
      const item = parseItem(text, { file: corpus('cli', 'tasks', 'tasks', 'TSK-0004-wallet-button.md'), root: corpus('cli'), type: 'task', config: corpusConfig('cli') }).item!;
      const { after, reread } = transition(text, item, 'ready_for_engineering');
      assert.ok(after.startsWith('\uFEFF---\r\n'));
      assert.equal(after.split(/(?<!\r)\n/).length, 1, 'no bare LF');
      assert.ok(after.endsWith('---\r\n\r\n# Task: Wallet button (CRLF line ends)\r\n\r\nEdited on Windows.\r\n'));
      assert.equal(reread.item?.state, 'ready_for_engineering');
    });

    it('uses the current time when none is given', () => {
      const before = Date.now();
      const changes = transitionChanges(cliIssue('planning'), { to: 'won_t_do', by: 'a' });
      const at = Date.parse((changes.find((c) => c.key === 'updated_date') as { value: string }).value);
      assert.ok(at >= before && at <= Date.now());
    });
  });

  describe('transitionChanges on older-format files', () => {
    const legacy = (status: string, updated = '2025-01-02') =>
      `---\nid: TASK-001\ntype: task\ntitle: x\nstatus: ${status}\nepic: EPIC-001\ncreated: 2025-01-01\nupdated: ${updated}\nlabels: [a]\n---\n\n<!-- AI_CONTEXT_START -->\nctx\n<!-- AI_CONTEXT_END -->\n`;

    it('a state with an older-format word is written as status, nothing else added', () => {
      const text = legacy('todo');
      const item = itemOf(text, 'TASK-001-x.md', 'task');
      assert.equal(item.state, 'planning');
      const changes = transitionChanges(item, { to: 'ready_for_engineering', by: 'a', now: NOW });
      assert.deepEqual(changes, [
        { key: 'state', value: 'ready_for_engineering', after: 'status' },
        { key: 'updated', value: '2026-11-22', after: 'created' },
      ]);
      // Won't do is the older document's `cancelled`.
      assert.deepEqual(transitionChanges(item, { to: 'won_t_do', by: 'a', now: NOW }).slice(0, 2), [
        { key: 'status', value: 'cancelled', after: 'type' },
        { key: 'state', remove: true },
      ]);
      const r = editFrontmatter(legacy('in-review'), transitionChanges(itemOf(legacy('in-review'), 'TASK-001-x.md', 'task'), { to: 'ready_for_deployment', by: 'a', now: NOW }));
      assert.ok(r.text.includes('\nstatus: in-review\nstate: ready_for_deployment\n'));
    });

    it('in-review → done writes status: done and keeps `updated` a date without time (quoted, so no YAML reader makes it a Date)', () => {
      const text = legacy('in-review');
      const item = itemOf(text, 'TASK-001-x.md', 'task');
      const changes = transitionChanges(item, { to: 'done', by: 'a', now: NOW, force: true });
      const { text: after } = editFrontmatter(text, changes);
      assert.equal(after, text.replace('status: in-review', 'status: done').replace('updated: 2025-01-02', 'updated: "2026-11-22"'));
      const reread = parseItem(after, contextFor('TASK-001-x.md', 'task'));
      assert.equal(reread.item?.state, 'done');
      assert.equal(reread.item?.format, 'legacy');
    });

    it('a full timestamp in `updated` gets a full timestamp', () => {
      const text = legacy('in-progress', '2025-01-02T09:30:00Z');
      const changes = transitionChanges(itemOf(text, 'TASK-001-x.md', 'task'), { to: 'ready_for_engineering', by: 'a', now: NOW });
      assert.deepEqual(changes.find((c) => c.key === 'updated'), { key: 'updated', value: NOW.toISOString(), after: 'created' });
    });

    it('back to a state with an older-format word removes the extra state key', () => {
      const text = legacy('in-progress').replace('status: in-progress\n', 'status: in-progress\nstate: ready_for_engineering\n');
      const item = itemOf(text, 'TASK-001-x.md', 'task');
      assert.equal(item.state, 'ready_for_engineering');
      const { text: after } = editFrontmatter(text, transitionChanges(item, { to: 'ready_for_qa', by: 'a', now: NOW }));
      assert.ok(after.includes('\nstatus: in-review\nepic: EPIC-001\n'));
      assert.ok(!after.includes('state:'));
      assert.ok(after.endsWith('<!-- AI_CONTEXT_START -->\nctx\n<!-- AI_CONTEXT_END -->\n'));
    });

    it('every allowed transition of an older-format file reads back as the target state, no errors', () => {
      for (const [from, to] of ALLOWED) {
        const text = legacy('todo').replace('status: todo\n', `status: todo\nstate: ${from}\n`);
        const item = itemOf(text, 'TASK-001-x.md', 'task');
        const { text: after } = editFrontmatter(text, transitionChanges(item, { to, by: 'a', now: NOW }));
        const reread = parseItem(after, contextFor('TASK-001-x.md', 'task'));
        assert.equal(reread.item?.state, to, `${from} → ${to}`);
        assert.deepEqual(reread.problems.map((p) => p.code), ['legacy-format'], `${from} → ${to}`);
      }
    });
  });
});
