/** `trackdown show ID`: one item, as its file's text, as JSON, or one field's raw value for scripts. */
import { Option } from 'commander';
import type { TaskIndex } from '../../core/index';
import type { Item } from '../../core/model';
import { defineCommand } from '../command';
import { CliError, EXIT } from '../exitCodes';
import { itemJson, type ItemDetailJson, print } from '../output';

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

const own = (o: unknown, key: string): unknown =>
  o !== null && typeof o === 'object' && Object.hasOwn(o, key) ? (o as Record<string, unknown>)[key] : undefined;

/** A dotted path into plain data; list items by number (tags.0). */
function dig(data: unknown, path: string[]): unknown {
  let at = data;
  for (const key of path) at = own(at, key);
  return at;
}

/** A field's value, or undefined when it has none (null counts as none). */
export function fieldValue(index: TaskIndex, item: Item, field: string): unknown {
  const path = field.split('.');
  const shape = itemJson(index, item) as unknown as Record<string, unknown>;
  const single = path.length === 1;
  const candidates: (() => unknown)[] = [
    () => (single && field === 'state' ? shape.state : undefined),
    () => dig(item.data, path),
    () => (single ? own(shape, field) : undefined),
    () => (single ? own(item.data.state_metadata, field) : undefined),
  ];
  for (const c of candidates) {
    const v = c();
    if (v !== undefined && v !== null) return v;
  }
  return undefined;
}

/** As a shell script wants it: text as is, true/false, numbers, and lists or maps as JSON. */
function rawText(value: unknown): string {
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
