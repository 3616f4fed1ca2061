/** `trackdown context ID`: the AI context the editor's *Copy AI Context for Task* puts together, on stdout. */
import { InvalidArgumentError } from 'commander';
import { defineCommand } from '../command';
import { EXIT } from '../exitCodes';
import { findItem } from '../findItem';
import { print } from '../output';

interface ContextOptions {
  budget: number;
  depth: number;
}

/** The editor's settings' bounds (aiTrackdown.aiContext.tokenBudget and .depth). */
const MIN_BUDGET = 256;
const MAX_DEPTH = 5;

function whole(min: number, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}.`);
    return n;
  };
}

export default defineCommand<ContextOptions>({
  words: ['context'],
  define(cmd) {
    cmd
      .description('Print the AI context of an item: it, its parents, children and linked items, fitted to a token budget.')
      .argument('<id>', 'the item id, e.g. TSK-0001')
      .option('--budget <tokens>', `most tokens to put together (at least ${MIN_BUDGET})`, whole(MIN_BUDGET), 8000)
      .option('--depth <links>', `how many links away related items are included (0–${MAX_DEPTH})`, whole(0, MAX_DEPTH), 2)
      .addHelpText(
        'after',
        `
Tokens are counted with cl100k_base. History goes first, then the farthest relations, to fit; the
item's own header and AI_CONTEXT blocks are never cut.

Examples:
  $ trackdown context TSK-0001 --budget 4000 | pbcopy`,
      );
  },
  async run({ args, opts }) {
    const { openProject } = await import('../project');
    const { buildContext } = await import('../../core/context');
    const { readIndexedFile } = await import('../../core/project');
    const { loadTokenizer } = await import('../../core/loadTokenizer');
    const loaded = await openProject(opts);
    const item = findItem(loaded, String(args[0]));
    const built = buildContext(loaded.index, item, {
      depth: opts.depth,
      tokenBudget: opts.budget,
      readText: (file) => readIndexedFile(loaded.index, file).text,
      countTokens: loadTokenizer(),
    });
    await print(built.text.endsWith('\n') ? built.text : `${built.text}\n`);
    return EXIT.ok;
  },
});
