import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { attribute, idsInBranch, readClaudeCodeLog } from '../../src/core/usageImport';
import { REPO } from './helpers';

const LOGS = path.join(REPO, 'test', 'fixtures', 'claude-code', '-work-demo');
const read = (name: string) => readClaudeCodeLog(fs.readFileSync(path.join(LOGS, name), 'utf8'));

describe('Claude Code usage import', () => {
  it('reads each assistant message once (logged again per content block), with cache reads as cached input', () => {
    const { records, problems } = read('0b6f1d3e-tagged.jsonl');
    assert.deepEqual(problems, [{ line: 6, message: 'not a JSON record' }]);
    assert.deepEqual(records, [
      {
        key: 'msg_01AbCdEf:req_011CAbc',
        sessionId: '0b6f1d3e-5b8e-4c7a-9a61-2f4f1c9e8d10',
        at: '2026-11-20T09:00:05.000Z',
        model: 'claude-sonnet-4-5-20250929',
        cwd: '/work/demo',
        gitBranch: 'main',
        input: 12 + 4200 + 11000,
        cachedInput: 11000,
        output: 350,
        tags: ['ISS-0001'],
      },
      {
        key: 'msg_01GhIjKl:req_011CDef',
        sessionId: '0b6f1d3e-5b8e-4c7a-9a61-2f4f1c9e8d10',
        at: '2026-11-20T09:01:00.000Z',
        model: 'claude-sonnet-4-5-20250929',
        cwd: '/work/demo',
        gitBranch: 'main',
        input: 8 + 15200,
        cachedInput: 15200,
        output: 120,
        tags: ['ISS-0001'],
      },
    ]);
  });

  it('takes tags only from what the user typed, not from tool results', () => {
    assert.ok(read('0b6f1d3e-tagged.jsonl').records.every((r) => !r.tags.includes('ISS-0404')));
  });

  it('finds ids in branch names, any case', () => {
    assert.deepEqual(idsInBranch('task/TSK-0002-session-api'), ['TSK-0002']);
    assert.deepEqual(idsInBranch('feature/iss-0004'), ['ISS-0004']);
    assert.deepEqual(idsInBranch('main'), []);
    assert.deepEqual(idsInBranch(undefined), []);
  });

  it('attributes by tag, else branch, else the chosen task; skips what was imported before', () => {
    const known = new Set(['ISS-0001', 'TSK-0002', 'EP-0001']);
    const records = ['0b6f1d3e-tagged.jsonl', '5c2a9e70-branch.jsonl', '9e8d7c6b-untagged.jsonl'].flatMap((f) => read(f).records);
    const a = attribute(records, (id) => known.has(id));
    assert.deepEqual([...a.byId.keys()], ['ISS-0001', 'TSK-0002']);
    assert.deepEqual(a.byId.get('TSK-0002')!.map((e) => [e.model, e.input, e.output]), [['claude-opus-4-5-20251101', 900, 640], ['claude-haiku-4-5-20251001', 300, 40]]);
    assert.deepEqual(a.byId.get('ISS-0001')![0], {
      agent: 'claude-code',
      at: '2026-11-20T09:00:05.000Z',
      model: 'claude-sonnet-4-5-20250929',
      input: 15212,
      output: 350,
      cachedInput: 11000,
      sourceKey: 'msg_01AbCdEf:req_011CAbc',
    });
    assert.deepEqual(a.unattributed.map((r) => r.key), ['msg_03UvWx:req_033CMno']);

    const chosen = attribute(records, (id) => known.has(id), { chosen: 'EP-0001', already: new Set(['msg_01AbCdEf:req_011CAbc']) });
    assert.deepEqual(chosen.byId.get('EP-0001')!.map((e) => e.sourceKey), ['msg_03UvWx:req_033CMno']);
    assert.equal(chosen.byId.get('ISS-0001')!.length, 1, 'the record imported before is left out');
    assert.deepEqual(chosen.unattributed, []);
  });

  it('a tag naming no item falls through to the branch', () => {
    const log = [
      JSON.stringify({ type: 'user', message: { role: 'user', content: 'see #ISS-0999' }, timestamp: '2026-11-23T10:00:00Z' }),
      JSON.stringify({ type: 'assistant', gitBranch: 'fix/TSK-0002', requestId: 'r', message: { id: 'm', usage: { input_tokens: 5, output_tokens: 1 } } }),
    ].join('\n');
    const a = attribute(readClaudeCodeLog(log).records, (id) => id === 'TSK-0002');
    assert.deepEqual([...a.byId.keys()], ['TSK-0002']);
  });

  it('survives hostile input: empty, non-objects, wrong types, huge numbers', () => {
    const log = ['', '[]', 'null', '"x"', JSON.stringify({ type: 'assistant', message: { id: 1, usage: { input_tokens: -5, output_tokens: 1e400, cache_read_input_tokens: 'x' } } })].join('\n');
    const { records, problems } = readClaudeCodeLog(log);
    assert.deepEqual(problems, []);
    assert.deepEqual(records, [], 'nothing usable: no tokens');
  });
});
