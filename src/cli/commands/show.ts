/** `trackdown show ID`: one item, as its file's text, as JSON, or one field's raw value for scripts. */
import { Option } from 'commander';
import { defineCommand } from '../command';
import { CliError, EXIT } from '../exitCodes';
import { fieldValue, itemJson, type ItemDetailJson, rawText } from '../../core/ops/query';
import { print } from '../output';

interface ShowOptions {
  field?: string;
  format: 'md' | 'json';
}

export default defineCommand<ShowOptions>({
  words: ['show'],
  define(cmd) {
    cmd
      .description("Print an item: its file's text, its JSON, or one field's value.")
      .argument('<id>', 'the item id, e.g. ISS-0001')
      .option('--field <path>', 'print only this frontmatter field (dotted path, e.g. state_metadata.automation_eligible); exit 1 when it has no value')
      .addOption(new Option('--format <format>', 'md: the file as written; json: the item as JSON').choices(['md', 'json']).default('md'))
      .addHelpText(
        'after',
        `
--field prints strings and numbers as they are, booleans as true/false, lists and maps as JSON.
\`state\` is the unified state (what status --state matches); a name not found at the top level
is looked up among the item's JSON fields (id, labels, parent, epic…), then in state_metadata.

Examples:
  $ trackdown show ISS-0001 --field state
  $ [ "$(trackdown show ISS-0001 --field state_metadata.automation_eligible)" = true ] && ./deploy.sh ISS-0001
  $ trackdown show ISS-0001 --format json | jq .state_metadata`,
      );
  },
  async run({ args, opts }) {
    const { openItem } = await import('../project');
    const { loaded, item } = await openItem(opts, String(args[0]));
    if (opts.field !== undefined) {
      const value = fieldValue(loaded.index, item, opts.field);
      if (value === undefined) return EXIT.failed;
      await print(`${rawText(value)}\n`);
      return EXIT.ok;
    }
    const { readIndexedFile } = await import('../../core/project');
    const { text, error } = readIndexedFile(loaded.index, item.file);
    if (text === undefined) throw new CliError(`cannot read ${item.file}: ${error ?? 'unknown error'}`, EXIT.notFound);
    if (opts.format === 'md') {
      await print(text);
      return EXIT.ok;
    }
    const { bodyOf } = await import('../../core/llms');
    const json: ItemDetailJson = { ...itemJson(loaded.index, item), frontmatter: item.data, body: bodyOf(text) };
    await print(JSON.stringify(json, null, 2) + '\n');
    return EXIT.ok;
  },
});
