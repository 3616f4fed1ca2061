import * as assert from 'assert/strict';
import * as path from 'path';
import { parseItem } from '../../src/core/parse';
import { applyLocal, itemFields, syncIds } from '../../src/core/sync/localFields';
import { contextFor, corpusConfig, readCorpus } from './helpers';

const NOW = new Date('2026-12-01T10:00:00.000Z');

function parse(rel: string[], type: 'issue' | 'task', text = readCorpus(...rel)) {
  const project = rel[0];
  const config = corpusConfig(project);
  const ctx = contextFor(path.basename(rel[rel.length - 1]), type, config);
  const item = parseItem(text, ctx).item!;
  return { text, item };
}

describe('sync local fields', () => {
  it('reads the sync fields of a CLI file', () => {
    const { text, item } = parse(['cli', 'tasks', 'issues', 'ISS-0001-cart-page.md'], 'issue');
    const f = itemFields(item, text);
    assert.equal(f.title, 'Cart page');
    assert.equal(f.state, 'ready_for_qa');
    assert.deepEqual(f.labels, ['frontend']);
    assert.equal(f.assignee, 'alice');
    assert.equal(f.priority, 'high');
    assert.ok(f.body.startsWith('# Issue: Cart page\n'));
  });

  it('a remote state change writes status, state and state_metadata as a sync, every other byte kept', () => {
    const { text, item } = parse(['cli', 'tasks', 'issues', 'ISS-0001-cart-page.md'], 'issue');
    const out = applyLocal(text, item, { changes: { state: 'done' }, provider: 'github', by: 'GitHub Issues', remoteId: '145', syncStatus: 'synced', now: NOW });
    const again = parse(['cli', 'tasks', 'issues', 'ISS-0001-cart-page.md'], 'issue', out).item;
    assert.equal(again.state, 'done');
    assert.equal(again.data.status, 'completed');
    assert.deepEqual(again.data.state_metadata, {
      transitioned_at: NOW.toISOString(),
      transitioned_by: 'GitHub Issues',
      previous_state: 'ready_for_qa',
      automation_eligible: false,
      automation_source: 'sync',
    });
    assert.deepEqual(again.data.sync, { github: 145 });
    assert.equal(again.data.sync_status, 'synced');
    assert.equal(out.slice(out.indexOf('\n---\n')), text.slice(text.indexOf('\n---\n')), 'body unchanged');
    assert.deepEqual(syncIds(again), { github: '145' });
  });

  it('replaces the body keeping CRLF line ends and other providers’ ids', () => {
    const text = '---\r\nid: ISSUE-001\r\ntype: issue\r\ntitle: JWT\r\nstatus: todo\r\nsync: {jira: AUTH-234}\r\n---\r\n\r\nOld body\r\n';
    const { item } = parse(['legacy', 'tasks', 'issues', 'ISSUE-001-jwt-service.md'], 'issue', text);
    const out = applyLocal(text, item, { changes: { body: 'New\nbody\n', state: 'ready_for_qa' }, provider: 'github', by: 'GitHub Issues', remoteId: '7' });
    assert.equal(out, '---\r\nid: ISSUE-001\r\ntype: issue\r\ntitle: JWT\r\nstatus: in-review\r\nsync: {jira: AUTH-234, github: 7}\r\n---\r\n\r\nNew\r\nbody\r\n');
  });

  it('labels go to tags in the CLI format and to labels in the older one', () => {
    const cli = parse(['cli', 'tasks', 'issues', 'ISS-0002-wallet-payments.md'], 'issue');
    const out = applyLocal(cli.text, cli.item, { changes: { labels: ['payments'] }, provider: 'github', by: 'x', now: NOW });
    assert.match(out, /\ntags:\n  - payments\n/);
    const text = '---\nid: ISSUE-001\ntype: issue\ntitle: JWT\nlabels: [a]\n---\nBody\n';
    const legacy = parse(['legacy', 'tasks', 'issues', 'ISSUE-001-jwt-service.md'], 'issue', text);
    assert.equal(applyLocal(text, legacy.item, { changes: { labels: ['a', 'b'] }, provider: 'github', by: 'x' }), '---\nid: ISSUE-001\ntype: issue\ntitle: JWT\nlabels: [a, b]\n---\nBody\n');
  });

  it("an older file's owner is its assignee: read, changed and cleared where it is, never beside it", () => {
    const text = '---\nid: ISSUE-001\ntype: issue\ntitle: JWT\nstatus: cancelled\nowner: sarah # lead\n---\nBody\n';
    const { item } = parse(['legacy', 'tasks', 'issues', 'ISSUE-001-jwt-service.md'], 'issue', text);
    assert.deepEqual([itemFields(item, text).assignee, itemFields(item, text).state], ['sarah', 'won_t_do']);
    assert.equal(applyLocal(text, item, { changes: { assignee: 'alex' }, provider: 'github', by: 'x' }), text.replace('owner: sarah', 'owner: alex'));
    assert.equal(applyLocal(text, item, { changes: { assignee: undefined }, provider: 'github', by: 'x' }), text.replace('owner: sarah # lead\n', ''));
  });
});
