/** `trackdown context ID`: the text the editor's Copy AI Context for Task builds, with the same tokenizer. */
import * as assert from 'assert/strict';
import { buildContext } from '../../../src/core/context';
import { TaskIndex } from '../../../src/core/index';
import { countTokens } from '../../../src/core/tokenizer';
import { indexProject, loadProject, readIndexedFile } from '../../../src/core/project';
import { tempFolders } from '../helpers';
import { trackdown, writeProject } from './run';

describe('trackdown context', () => {
  const temp = tempFolders();
  let root: string;
  before(() => {
    root = writeProject(temp('aitd-cli-context'), {
      'tasks/tasks/TSK-0002-long.md': `---\ntask_id: TSK-0002\nissue_id: ISS-0001\ntitle: Long\nstatus: active\n---\n<!-- AI_CONTEXT_START -->\nKeep this.\n<!-- AI_CONTEXT_END -->\n${'A long paragraph of notes. '.repeat(400)}\n`,
    });
  });

  async function built(id: string, tokenBudget: number, depth: number) {
    const project = await loadProject(root);
    const index = new TaskIndex();
    index.setProject(project);
    await indexProject(index, project);
    const item = index.byId(root, id)[0];
    return buildContext(index, item, { depth, tokenBudget, readText: (f) => readIndexedFile(index, f).text, countTokens });
  }

  it('prints the AI context of the item, as the editor builds it, within the budget', async () => {
    const r = trackdown(root, 'context', 'ISS-0001');
    assert.equal(r.code, 0, r.stderr);
    const expected = await built('ISS-0001', 8000, 2);
    assert.equal(r.stdout, expected.text.endsWith('\n') ? expected.text : `${expected.text}\n`);
    assert.match(r.stdout, /^# AI context for ISS-0001: Cart/);
    assert.match(r.stdout, /TSK-0002/);
  });

  it('fits --budget and --depth', async () => {
    const r = trackdown(root, 'context', 'TSK-0002', '--budget', '300', '--depth', '0');
    assert.equal(r.code, 0, r.stderr);
    const expected = await built('TSK-0002', 300, 0);
    assert.ok(expected.tokens <= 300 || expected.overBudget);
    assert.equal(r.stdout.trimEnd(), expected.text.trimEnd());
    assert.match(r.stdout, /Keep this\./);
  });

  it('refuses a budget under 256, a depth over 5 and an unknown id', () => {
    assert.equal(trackdown(root, 'context', 'ISS-0001', '--budget', '100').code, 2);
    assert.equal(trackdown(root, 'context', 'ISS-0001', '--depth', '6').code, 2);
    const r = trackdown(root, 'context', 'ISS-0404');
    assert.deepEqual([r.code, r.stdout], [3, '']);
  });
});
