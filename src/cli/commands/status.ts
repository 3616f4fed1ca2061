/** `trackdown status`: the items that match filters, as a table, JSON or ids; with --watch, each one as it starts to match. */
import { Option } from 'commander';
import type { Item } from '../../core/model';
import { InvalidStateError } from '../../core/ops/input';
import { type ItemQuery, itemJson, itemMatcher, listItems } from '../../core/ops/query';
import { defineCommand, type GlobalOptions } from '../command';
import { CliError, EXIT } from '../exitCodes';
import { print, table, terminalText } from '../output';
import type { Loaded } from '../project';
import type { Watch } from '../watch';

interface StatusOptions {
  state?: string;
  status?: string;
  type?: Item['type'];
  assignee?: string;
  label?: string;
  labels?: string;
  tags?: string;
  priority?: string;
  filter?: string;
  format: 'table' | 'json' | 'ids';
  watch?: boolean;
}

export default defineCommand<StatusOptions>({
  words: ['status'],
  define(cmd) {
    cmd
      .description('List items by state, type, assignee or label.')
      .option('--state <state>', 'only items in this state: a unified state (ready_for_qa) or a status word (active, done, in-progress…)')
      .addOption(new Option('--status <state>', 'the same as --state').hideHelp())
      .addOption(new Option('--type <type>', 'only items of this type').choices(['epic', 'issue', 'task', 'pr', 'comment']))
      .option('--assignee <name>', 'only items assigned to this person (@name or name)')
      .option('--label <labels>', 'only items with this label (several: comma-separated, any of them)')
      .addOption(new Option('--labels <labels>', 'the same as --label').hideHelp())
      .addOption(new Option('--tags <labels>', 'the same as --label').hideHelp())
      .option('--priority <priority>', 'only items of this priority')
      .option('--filter <fields>', 'only items whose fields have these values: key=value, comma-separated, any field (dotted paths too); a list matches a value it holds')
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'ids']).default('table'))
      .option('--watch', 'keep running: print each item as it starts to match (its id, or with --format json one JSON object per line), until interrupted')
      .addHelpText(
        'after',
        `
Comments are listed only with --type comment. --watch first prints the items that match now.
--filter reads fields as show --field does: service_name=checkout,state_metadata.reviewer=dana.

Examples:
  $ trackdown status --state ready_for_qa --format ids
  $ trackdown status --state ready_for_deployment --format json | jq -r '.[].id'
  $ trackdown status --state ready_for_deployment --watch | while read -r id; do ./deploy.sh "$id"; done`,
      );
  },
  async run({ opts }) {
    if (opts.watch) return watchStatus(opts);
    const { openProject } = await import('../project');
    const loaded = await openProject(opts);
    const items = listItems(loaded.index, loaded.project, matcher(loaded, opts));
    if (opts.format === 'json') await print(JSON.stringify(items.map((i) => itemJson(loaded.index, i)), null, 2) + '\n');
    else if (opts.format === 'ids') await print(items.map((i) => `${terminalText(i.id)}\n`).join(''));
    else await print(statusTable(items));
    return EXIT.ok;
  },
});


function statusTable(items: Item[]): string {
  if (!items.length) return '';
  return table(
    ['ID', 'TYPE', 'STATE', 'PRIORITY', 'ASSIGNEE', 'TITLE'],
    items.map((i) => [i.id, i.type, i.state ?? i.rawState ?? '-', i.priority ?? '-', i.assignee ?? '-', i.title]),
  );
}



/** The query the options ask for; a usage error for a state or filter that cannot match anything. */
function matcher({ index, project }: Loaded, opts: StatusOptions): (i: Item) => boolean {
  const query: ItemQuery = {
    state: opts.state ?? opts.status,
    type: opts.type,
    assignee: opts.assignee,
    labels: [opts.label, opts.labels, opts.tags].flatMap((l) => l?.split(',') ?? []),
    priority: opts.priority,
    fields: opts.filter === undefined ? undefined : fieldPairs(opts.filter),
  };
  try {
    return itemMatcher(index, project, query);
  } catch (e) {
    if (e instanceof InvalidStateError) throw new CliError(`unknown state '${terminalText(e.state)}'; valid states: ${e.valid.join(', ')}.`, EXIT.usage);
    throw e;
  }
}

/** The pairs of a --filter expression, as the aitrackdown CLI wrote it (`status=active,priority=high`). */
function fieldPairs(expression: string): [string, string][] {
  return expression.split(',').map((pair) => {
    const at = pair.indexOf('=');
    const key = pair.slice(0, at).trim();
    if (at < 0 || !key) throw new CliError(`--filter ${terminalText(expression)}: expected key=value pairs separated by commas.`, EXIT.usage);
    return [key, pair.slice(at + 1).trim()];
  });
}

/**
 * Print each matching item once as it starts to match (those that match now first), until SIGINT or
 * SIGTERM; an item that stops matching is printed again if it matches again later.
 */
async function watchStatus(opts: StatusOptions & GlobalOptions): Promise<typeof EXIT.ok> {
  const { openProject } = await import('../project');
  const { watchTasks } = await import('../watch');
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  let indexed!: () => void;
  let emit = () => {};
  let watch: Watch | undefined;
  // Watched from before the files are read: a change made while they are read is seen once they are.
  const loaded = await openProject(opts, (found) => (watch = watchTasks(found.index, found.project, () => emit(), new Promise((r) => (indexed = r)))));
  const matches = matcher(loaded, opts);
  const json = opts.format === 'json';
  let shown = new Set<string>();
  emit = () => {
    const now = new Set<string>();
    const lines: string[] = [];
    for (const item of listItems(loaded.index, loaded.project, matches)) {
      if (now.has(item.id)) continue;
      now.add(item.id);
      if (!shown.has(item.id)) lines.push(json ? JSON.stringify(itemJson(loaded.index, item)) : terminalText(item.id));
    }
    shown = now;
    if (lines.length) process.stdout.write(lines.join('\n') + '\n');
  };
  emit();
  indexed();
  process.stderr.write(`trackdown: watching ${loaded.project.root} (Ctrl+C to stop)\n`);
  await stopped;
  watch?.close();
  return EXIT.ok;
}
