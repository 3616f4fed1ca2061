/**
 * What every `trackdown` start loads: main.ts and what it imports statically. The writer and the
 * write operations must come only through the dynamic imports of the commands that write, so that
 * --version, status and show stay fast (the queries status and show run, and their errors, are light). Bundled here as the build bundles it, with the dynamic imports left out.
 */
import * as assert from 'assert/strict';
import * as esbuild from 'esbuild';
import * as path from 'path';
import { REPO } from '../helpers';

describe('trackdown start', function () {
  this.timeout(30000);

  it('does not load the operations or the writer: only the commands that write import them, when they run', async () => {
    const result = await esbuild.build({
      entryPoints: [path.join(REPO, 'src', 'cli', 'main.ts')],
      bundle: true,
      write: false,
      platform: 'node',
      metafile: true,
      logLevel: 'silent',
      define: { TRACKDOWN_VERSION: '"0"' },
      plugins: [{ name: 'no-dynamic', setup: (b) => b.onResolve({ filter: /.*/ }, (a) => (a.kind === 'dynamic-import' ? { path: a.path, external: true } : undefined)) }],
    });
    const loaded = Object.keys(result.metafile!.inputs).map((f) => f.split(path.sep).join('/'));
    assert.ok(loaded.includes('src/cli/commands/update.ts'), 'the write commands are defined at start');
    const heavy = loaded.filter((f) => /^src\/core\/(ops\/(?!query\.ts|input\.ts)|atomicWrite|writeLock|edit\.ts|userName)/.test(f) || f === 'src/cli/writePlan.ts' || f === 'src/cli/opErrors.ts');
    assert.deepEqual(heavy, []);
  });
});
