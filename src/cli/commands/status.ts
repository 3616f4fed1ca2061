/** `trackdown status`: the items that match filters, as a table, JSON or ids; with --watch, each one as it starts to match. */
import { Option } from 'commander';
import type { ProjectConfig } from '../../core/config';
import { assigneeName } from '../../core/filter';
import { compareItems, type Item, itemState, knownStatusWord, LEGACY_STATUSES, type State, STATES, STATUSES, toState } from '../../core/model';
import { defineCommand, type GlobalOptions } from '../command';
import { fieldValue, rawText } from '../fields';
import { CliError, EXIT } from '../exitCodes';
import { itemJson, print, table, terminalText } from '../output';
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
    const items = listItems(loaded, matcher(loaded, opts));
    if (opts.format === 'json') await print(JSON.stringify(items.map((i) => itemJson(loaded.index, i)), null, 2) + '\n');
    else if (opts.format === 'ids') await print(items.map((i) => `${terminalText(i.id)}\n`).join(''));
    else await print(statusTable(items));
    return EXIT.ok;
  },
});

function listItems({ index, project }: Loaded, matches: (i: Item) => boolean): Item[] {
  return [...index.items(project.root)].filter(matches).sort(compareItems);
}

function statusTable(items: Item[]): string {
  if (!items.length) return '';
  return table(
    ['ID', 'TYPE', 'STATE', 'PRIORITY', 'ASSIGNEE', 'TITLE'],
    items.map((i) => [i.id, i.type, i.state ?? i.rawState ?? '-', i.priority ?? '-', i.assignee ?? '-', i.title]),
  );
}

/** The state words a project's files may hold: the unified states, the CLI's statuses, the older ones and the config's own. */
function stateWords(config: ProjectConfig): string[] {
  return [...new Set<string>([...STATES, ...STATUSES, ...LEGACY_STATUSES, ...config.customStatuses])];
}

/**
 * What --state matches: the items in the unified state a word means (`completed` and `done` are one),
 * or, for a status the config declares that spells no state, the items that say it. Anything else is
 * a usage error that lists the words there are.
 */
function stateMatcher(word: string, config: ProjectConfig): (i: Item) => boolean {
  const state: State | undefined = itemState(word, config.customStatuses) ?? toState(knownStatusWord(word));
  if (state) return (i) => i.state === state;
  if (config.customStatuses.includes(word)) return (i) => i.rawState === word;
  throw new CliError(`unknown state '${terminalText(word)}'; valid states: ${stateWords(config).join(', ')}.`, EXIT.usage);
}

function matcher(loaded: Loaded, opts: StatusOptions): (i: Item) => boolean {
  const { project } = loaded;
  const tests: ((i: Item) => boolean)[] = [];
  const word = opts.state ?? opts.status;
  if (word !== undefined) tests.push(stateMatcher(word, project.config));
  tests.push(opts.type ? (i) => i.type === opts.type : (i) => i.type !== 'comment');
  if (opts.assignee !== undefined) {
    const who = opts.assignee.replace(/^@/, '').toLowerCase();
    tests.push((i) => (assigneeName(i) ?? '').toLowerCase() === who);
  }
  const labels = [opts.label, opts.labels, opts.tags].flatMap((l) => l?.split(',') ?? []).map((l) => l.trim().toLowerCase()).filter(Boolean);
  if (labels.length) tests.push((i) => i.labels.some((l) => labels.includes(l.toLowerCase())));
  if (opts.priority !== undefined) {
    const p = opts.priority.toLowerCase();
    tests.push((i) => i.priority?.toLowerCase() === p);
  }
  if (opts.filter !== undefined) tests.push(...fieldTests(loaded, opts.filter));
  return (i) => tests.every((t) => t(i));
}

/**
 * The tests of a --filter expression, as the aitrackdown CLI wrote it (`status=active,priority=high`),
 * for any field: the field's value as show --field prints it equals the value, or, for a list, holds it.
 */
function fieldTests({ index }: Loaded, expression: string): ((i: Item) => boolean)[] {
  return expression.split(',').map((pair) => {
    const at = pair.indexOf('=');
    const key = pair.slice(0, at).trim();
    const want = pair.slice(at + 1).trim();
    if (at < 0 || !key) throw new CliError(`--filter ${terminalText(expression)}: expected key=value pairs separated by commas.`, EXIT.usage);
    return (i) => {
      const value = fieldValue(index, i, key);
      return value !== undefined && (Array.isArray(value) ? value.some((v) => rawText(v) === want) : rawText(value) === want);
    };
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
    for (const item of listItems(loaded, matches)) {
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
