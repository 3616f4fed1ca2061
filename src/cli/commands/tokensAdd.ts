/** `trackdown tokens add ID`: log a use of tokens on an item, as *Log Token Usage* does (core/ops/usage.ts). */
import { InvalidArgumentError } from 'commander';
import { defineCommand } from '../command';
import { EXIT } from '../exitCodes';

interface TokensAddOptions {
  agent?: string;
  model?: string;
  team?: string;
  input: number;
  output: number;
  cached?: number;
  cacheWrite?: number;
  purpose?: string;
  dryRun?: boolean;
}

/** A whole count of tokens; anything else is a usage error (exit 2) before the project is read. */
function count(value: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('a whole number of tokens, 0 or more.');
  return n;
}

export default defineCommand<TokensAddOptions>({
  words: ['tokens', 'add'],
  define(cmd) {
    cmd
      .description("Log a use of tokens on an item: an entry in token_usage, and the item's totals raised.")
      .argument('<id>', 'the item id, e.g. TSK-0001')
      .option('--agent <name>', 'the agent that used them (claude-code, a person…)')
      .option('--model <model>', 'the model, as priced (claude-sonnet-4-5…)')
      .option('--team <team>', 'the team they count against')
      .requiredOption('--input <n>', 'input tokens, not counting cache reads and writes (the API\'s input_tokens)', count)
      .requiredOption('--output <n>', 'output tokens', count)
      .option('--cached <n>', 'input tokens read from the prompt cache', count)
      .option('--cache-write <n>', 'input tokens written to the prompt cache', count)
      .option('--purpose <text>', 'what they were used for')
      .option('--dry-run', 'print what would change and write nothing')
      .addHelpText(
        'after',
        `
The entry's input is --input + --cached + --cache-write, of which --cached is recorded as cached_input:
the API's usage fields, counted as importing Claude Code's logs counts them.

Example:
  $ trackdown tokens add TSK-0001 --agent claude --model claude-sonnet-4-5 --input 1200 --output 340 --purpose "first draft"`,
      );
  },
  async run({ args, opts }) {
    const { openItem } = await import('../project');
    const { loaded, item } = await openItem(opts, String(args[0]));
    const [{ asCli }, { planLogUsage }, { writePlan }] = await Promise.all([import('../opErrors'), import('../../core/ops/usage'), import('../writePlan')]);
    const cached = opts.cached ?? 0;
    const use = { agent: opts.agent, model: opts.model, team: opts.team, purpose: opts.purpose, input: opts.input + cached + (opts.cacheWrite ?? 0), output: opts.output, cachedInput: cached };
    const plan = await asCli(() => planLogUsage(loaded.index, loaded.project, { item: item.file, uses: use }));
    await asCli(() => writePlan(plan, loaded.project.root, !!opts.dryRun));
    return EXIT.ok;
  },
});
