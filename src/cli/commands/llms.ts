/** `trackdown llms [--check]`: write llms.txt and docs/llms-full.txt as the editor does, or tell whether they are stale. */
import { defineCommand } from '../command';
import { EXIT } from '../exitCodes';
import { print } from '../output';
import { relativePath } from '../../core/paths';

interface LlmsOptions {
  check?: boolean;
}

export default defineCommand<LlmsOptions>({
  words: ['llms'],
  define(cmd) {
    cmd
      .description('Write llms.txt and docs/llms-full.txt at the project root (only files whose text changes).')
      .option('--check', 'write nothing; exit 1 and list the files that are not up to date')
      .addHelpText(
        'after',
        `
Examples:
  $ trackdown llms
  $ trackdown llms --check || echo "run trackdown llms and commit the result"`,
      );
  },
  async run({ opts }) {
    const { openProject } = await import('../project');
    const { staleLlmsFiles, writeLlmsFiles } = await import('../../core/llmsFiles');
    const { index, project } = await openProject(opts);
    const rel = (file: string) => relativePath(project.root, file);
    if (opts.check) {
      const stale = await staleLlmsFiles(index, project);
      if (!stale.length) return EXIT.ok;
      process.stderr.write(`trackdown: ${stale.length} file${stale.length === 1 ? ' is' : 's are'} not up to date; run trackdown llms.\n`);
      await print(stale.map((f) => `${rel(f)}\n`).join(''));
      return EXIT.failed;
    }
    const result = await writeLlmsFiles(index, project);
    await print(
      [...result.written.map((f) => `wrote ${rel(f)}\n`), ...result.unchanged.map((f) => `unchanged ${rel(f)}\n`)].join(''),
    );
    return EXIT.ok;
  },
});
