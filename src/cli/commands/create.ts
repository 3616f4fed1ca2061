/**
 * `trackdown create TYPE`: a new epic, issue, task or PR with the id, file name and template the editor's
 * *New …* commands give it (core/ops/create.ts). Also under the aitrackdown CLI's words:
 * `trackdown issue create "Title" --epic EP-0001`, `trackdown task create "Title" --issue ISS-0001`.
 */
import { Command, Option } from 'commander';
import type { FolderType } from '../../core/config';
import { CliCommand, defineCommand, GlobalOptions } from '../command';
import { CliError, EXIT, ExitCode } from '../exitCodes';
import { list } from './update';

const TYPES: readonly FolderType[] = ['epic', 'issue', 'task', 'pr'];

interface CreateOptions {
  title?: string;
  parent?: string;
  epic?: string;
  issue?: string;
  assignee?: string;
  priority?: string;
  label: string[];
  tags?: string[];
  labels?: string[];
  description?: string;
  format: 'ids' | 'json';
  dryRun?: boolean;
}

function defineOptions(cmd: Command): Command {
  return cmd
    .option('--title <text>', 'the title')
    .option('--parent <id>', "an issue's epic; a task's or PR's issue (required for them)")
    .addOption(new Option('-e, --epic <id>').hideHelp())
    .addOption(new Option('-i, --issue <id>').hideHelp())
    .option('-a, --assignee <name>', 'the assignee (default: config.yaml default_assignee)')
    .option('-p, --priority <priority>', 'low, medium, high or critical')
    .option('--label <label>', 'a label (repeatable, or a comma-separated list)', list, [])
    .addOption(new Option('--tags <labels>').hideHelp().argParser(list))
    .addOption(new Option('--labels <labels>').hideHelp().argParser(list))
    .option('-d, --description <text>', 'the description, put into the template')
    .addOption(new Option('--format <format>', 'ids: print the new id; json: {"id", "file"}').choices(['ids', 'json']).default('ids'))
    .option('--dry-run', "print the new file's path and text, and write nothing");
}

async function runCreate(type: string, title: string | undefined, opts: CreateOptions & GlobalOptions): Promise<ExitCode> {
  if (!(TYPES as readonly string[]).includes(type)) throw new CliError(`"${type}" is not a type of item; the types are ${TYPES.join(', ')}.`, EXIT.usage);
  const given = opts.title ?? title;
  if (!given?.trim()) throw new CliError('a title is needed: --title TEXT (or as an argument).', EXIT.usage);
  const parent = opts.parent ?? (type === 'issue' ? opts.epic : opts.issue ?? opts.epic);
  const { openProject } = await import('../project');
  // Every id on disk, so that a new one is never one already taken.
  const { index, project } = await openProject(opts);
  const [{ asCli }, ops, { FsWriter }, path, { print }] = await Promise.all([
    import('../opErrors'),
    import('../../core/ops/create'),
    import('../../core/ops/fsWriter'),
    import('path'),
    import('../output'),
  ]);
  const input = {
    type: type as FolderType,
    title: given,
    description: opts.description,
    ...(type === 'issue' || type === 'epic' ? { epicId: parent } : { issueId: parent }),
    priority: opts.priority,
    assignee: opts.assignee,
    labels: [...opts.label, ...(opts.tags ?? []), ...(opts.labels ?? [])],
  };
  const relative = (file: string) => path.relative(project.root, file).split(path.sep).join('/');
  if (opts.dryRun) {
    const plan = await asCli(() => ops.planCreate(index, project, input, ops.readCreateSources(project, input.type)));
    await print(`${relative(plan.file)}\n${plan.text}`);
    process.stderr.write('trackdown: dry run: nothing was written.\n');
    return EXIT.ok;
  }
  const created = await asCli(() => ops.createItem(new FsWriter({ index }), index, project, input));
  const { id, file } = created.plan;
  if (created.countersError) process.stderr.write(`trackdown: warning: counters.json was not updated: ${created.countersError.message}\n`);
  for (const s of created.skipped) process.stderr.write(`trackdown: warning: ${s.entry.item.id}'s related list was left as it was: ${s.error.message}\n`);
  await print(opts.format === 'json' ? JSON.stringify({ id, file: relative(file) }) + '\n' : `${id}\n`);
  return EXIT.ok;
}

/** `trackdown create TYPE [title]`. */
export const create = defineCommand<CreateOptions>({
  words: ['create'],
  define(cmd) {
    defineOptions(
      cmd
        .description('Create an epic, issue, task or PR, as the editor does: the next id, its file, the template; prints its id.')
        .argument('<type>', TYPES.join(', '))
        .argument('[title]', 'the title (or --title)'),
    ).addHelpText(
      'after',
      `
Examples:
  $ trackdown create issue --title "Checkout fails on Safari" --parent EP-0001 --priority high --label frontend
  $ id=$(trackdown create task --title "Reproduce" --parent ISS-0004) && trackdown update "$id" --state active`,
    );
  },
  run: ({ args, opts }) => runCreate(String(args[0]), args[1] as string | undefined, opts),
});

/** The aitrackdown CLI's `trackdown issue create "Title"` and its like for each type. */
export const createByType: CliCommand<CreateOptions>[] = TYPES.map((type) =>
  defineCommand<CreateOptions>({
    words: [type, 'create'],
    define(cmd) {
      defineOptions(cmd.description(`Create a ${type === 'pr' ? 'PR' : type} (trackdown create ${type}).`).argument('[title]', 'the title (or --title)'));
    },
    run: ({ args, opts }) => runCreate(type, args[0] as string | undefined, opts),
  }),
);
