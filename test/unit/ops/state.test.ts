import * as assert from 'assert/strict';
import { InvalidInputError, InvalidStateError, UnknownItemError } from '../../../src/core/ops/input';
import { FsWriter } from '../../../src/core/ops/fsWriter';
import { planChangeState } from '../../../src/core/ops/state';
import { run } from '../../../src/core/ops/writer';
import { STATES } from '../../../src/core/model';
import { TransitionError } from '../../../src/core/workflow';
import { tempFolders } from '../helpers';
import { NOW, opsProject, original, swapped, TOUCHED } from '../support/opsProject';

const ISS1 = 'tasks/issues/ISS-0001-login.md';
const ISS2 = 'tasks/issues/ISS-0002-reset.md';
const LEGACY = 'tasks/epics/EPIC-001-legacy.md';

describe('core/ops/state', () => {
  const temp = tempFolders();

  it('an allowed transition writes state and state_metadata where the CLI writes them, every other byte as it was', async () => {
    const p = await opsProject(temp);
    const plan = planChangeState(p.index, p.project, { item: 'ISS-0001', to: 'ready_for_engineering', by: 'bob', reason: ' specced ' }, NOW);
    assert.deepEqual(plan[0].reads, ['state', 'status'], 'planned from the state as read: an unsaved other state refuses it');
    await run(new FsWriter(), plan);
    const metadata =
      'state: ready_for_engineering\nstate_metadata:\n  transitioned_at: "2027-01-02T03:04:05.000Z"\n  transitioned_by: bob\n  previous_state: active\n  automation_eligible: false\n  transition_reason: specced\n';
    assert.equal(p.read(ISS1), swapped(original(ISS1), ['status: active\npriority', `status: active\n${metadata}priority`], TOUCHED));
  });

  it('a forced transition needs a reason and is recorded as a manual override; CRLF stays CRLF', async () => {
    const p = await opsProject(temp);
    const input = { item: 'ISS-0002', to: 'done', by: 'bob', force: true };
    assert.throws(() => planChangeState(p.index, p.project, { ...input, reason: '  ' }, NOW), (e: unknown) => e instanceof InvalidInputError && /needs a reason/.test((e as Error).message));
    await run(new FsWriter(), planChangeState(p.index, p.project, { ...input, reason: 'shipped elsewhere' }, NOW));
    const metadata = [
      'state: done',
      'state_metadata:',
      '  transitioned_at: "2027-01-02T03:04:05.000Z"',
      '  transitioned_by: bob',
      '  previous_state: planning',
      '  automation_eligible: false',
      '  transition_reason: shipped elsewhere',
      '  manual_override: true',
      '  automation_source: manual',
    ].join('\r\n');
    assert.equal(p.read(ISS2), swapped(original(ISS2), ['status: planning\r\n', `status: completed\r\n${metadata}\r\n`], ['updated_date: 2026-11-01T09:00:00.000Z', TOUCHED[1]]));
  });

  it('a transition the rules refuse throws a TransitionError carrying the states allowed from there, and writes nothing', async () => {
    const p = await opsProject(temp);
    assert.throws(
      () => planChangeState(p.index, p.project, { item: 'ISS-0002', to: 'done', by: 'bob' }, NOW),
      (e: unknown) => e instanceof TransitionError && e.from === 'planning' && e.to === 'done' && assert.deepEqual(e.allowed, ['ready_for_engineering', 'won_t_do']) === undefined,
    );
    assert.throws(() => planChangeState(p.index, p.project, { item: 'ISS-0001', to: 'active', by: 'bob', force: true, reason: 'r' }, NOW), /already Active/);
    assert.equal(p.read(ISS2), original(ISS2));
  });

  it('names what is wrong with the input: an unknown id, a state that is none, no one making the change', async () => {
    const p = await opsProject(temp);
    assert.throws(() => planChangeState(p.index, p.project, { item: 'ISS-0404', to: 'active', by: 'bob' }), (e: unknown) => e instanceof UnknownItemError && e.id === 'ISS-0404' && /no item ISS-0404 in demo/.test(e.message));
    assert.throws(
      () => planChangeState(p.index, p.project, { item: 'ISS-0001', to: 'shipped', by: 'bob' }),
      (e: unknown) => e instanceof InvalidStateError && e.valid === STATES && e.message === `"shipped" is not a state. The states are ${STATES.join(', ')}.`,
    );
    assert.throws(() => planChangeState(p.index, p.project, { item: 'ISS-0001', to: 'ready_for_engineering', by: ' ' }), InvalidInputError);
  });

  it('an item can be named by its file, and an older-format file gets its own status words and date', async () => {
    const p = await opsProject(temp);
    await run(new FsWriter(), planChangeState(p.index, p.project, { item: LEGACY, to: 'active', by: 'bob', force: true, reason: 'started' }, NOW));
    assert.equal(p.read(LEGACY), swapped(original(LEGACY), ['status: todo', 'status: in-progress'], ['updated: 2025-01-02', 'updated: "2027-01-02"']));
  });
});
