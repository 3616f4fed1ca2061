import * as assert from 'assert/strict';
import { FsWriter } from '../../../src/core/ops/fsWriter';
import { planLogUsage } from '../../../src/core/ops/usage';
import { run } from '../../../src/core/ops/writer';
import { UsageInputError } from '../../../src/core/tokens';
import { tempFolders } from '../helpers';
import { NOW, opsProject, original, swapped, TOUCHED } from '../support/opsProject';

const TSK1 = 'tasks/tasks/TSK-0001-form.md';

describe('core/ops/usage', () => {
  const temp = tempFolders();

  it('appends an entry and raises actual_tokens, written as a number where the CLI wrote a string', async () => {
    const p = await opsProject(temp);
    const use = { input: 1200, output: 300, cachedInput: 200, agent: 'claude-code', model: 'claude-sonnet-4-5', purpose: 'form' };
    await run(new FsWriter(), planLogUsage(p.index, p.project, { item: 'TSK-0001', uses: use }, NOW));
    const usage = [
      'actual_tokens: 1850',
      'token_usage:',
      '  by_agent:',
      '    claude-code: 1500',
      '  entries:',
      '    - at: "2027-01-02T03:04:05.000Z"',
      '      agent: claude-code',
      '      model: claude-sonnet-4-5',
      '      input: 1200',
      '      output: 300',
      '      cached_input: 200',
      '      purpose: form',
    ].join('\n');
    assert.equal(p.read(TSK1), swapped(original(TSK1), ['actual_tokens: "350"', usage], TOUCHED));
  });

  it('refuses counts that are not whole numbers of tokens, writing nothing', async () => {
    const p = await opsProject(temp);
    for (const uses of [{ input: -1, output: 5 }, { input: 1.5, output: 0 }, { input: Number.NaN, output: 1 }, { input: 0, output: 0 }, { input: 5, output: 1, cachedInput: 6 }, []]) {
      assert.throws(() => planLogUsage(p.index, p.project, { item: 'TSK-0001', uses }, NOW), UsageInputError, JSON.stringify(uses));
    }
    assert.equal(p.read(TSK1), original(TSK1));
  });
});
