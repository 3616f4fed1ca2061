/**
 * `trackdown update ID`: change an item's state, assignee, labels and parent in one operation, through
 * the same operations the editor runs (core/ops): every change is planned before anything is written,
 * and a refused one writes nothing.
 */
import { Option } from 'commander';
import type { Command } from 'commander';
import { defineCommand, GlobalOptions } from '../command';
import { CliError, EXIT, ExitCode } from '../exitCodes';

export interface UpdateOptions {
  state?: string;
  transitionedBy?: string;
  transitionReason?: string;
  reason?: string;
  force?: boolean;
  assignee?: string;
  unassign?: boolean;
  addLabel: string[];
  removeLabel: string[];
  parent?: string;
  epicId?: string;
  dryRun?: boolean;
}

/** A repeatable option that also takes comma-separated lists. */
export const list = (value: string, previous: string[] = []): string[] => [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];

/** The options of update, on `cmd` (also `trackdown issue update` and the other types' words). */
export function defineUpdate(cmd: Command): void {
  cmd
    .description('Change an item: its state, assignee, labels or parent, as one write.')
    .argument('<id>', 'the item id, e.g. ISS-0001')
    .option('--state <state>', 'move to this unified state (ready_for_qa, done…), under the workflow rules')
    .option('--transitioned-by <name>', 'who makes the change, recorded as state_metadata.transitioned_by (default: $TRACKDOWN_USER, git user.name, the OS user)')
    .option('--transition-reason <text>', 'why, recorded as state_metadata.transition_reason')
    .option('--reason <text>', 'the same as --transition-reason')
    .option('--force', 'make a transition the rules refuse, recorded as a manual override; needs a reason')
    .option('--assignee <name>', "assign to this name ('' unassigns)")
    .option('--unassign', 'remove the assignee')
    .option('--add-label <label>', 'add a label (repeatable, or a comma-separated list)', list, [])
    .option('--remove-label <label>', 'remove a label (repeatable, or a comma-separated list)', list, [])
    .addOption(new Option('--add-tags <labels>').hideHelp().argParser(list))
    .addOption(new Option('--remove-tags <labels>').hideHelp().argParser(list))
    .option('--parent <id>', "link to this parent (an issue's epic, a task's or PR's issue; '' unlinks)")
    .addOption(new Option('--epic-id <id>').hideHelp())
    .option('--dry-run', 'print what would change (each file, key: old → new) and write nothing')
    .addHelpText(
      'after',
      `
Prints each file changed with its keys (old → new). A transition the rules refuse exits ${EXIT.refused} with the
allowed next states and writes nothing; so does a file changed by someone else since it was read.

Examples:
  $ trackdown update ISS-0001 --state done --transitioned-by deployment-automation --transition-reason deployed
  $ trackdown update ISS-0001 --state blocked --force --reason "waiting on the vendor"
  $ trackdown update TSK-0003 --assignee alice --add-label backend,api --parent ISS-0002 --dry-run`,
    );
}

interface WithAliases extends UpdateOptions {
  addTags?: string[];
  removeTags?: string[];
}

export async function runUpdate(id: string, opts: WithAliases & GlobalOptions): Promise<ExitCode> {
  const addLabels = [...opts.addLabel, ...(opts.addTags ?? [])];
  const removeLabels = [...opts.removeLabel, ...(opts.removeTags ?? [])];
  const parent = opts.parent ?? opts.epicId;
  const assignee = opts.unassign ? null : opts.assignee === undefined ? undefined : opts.assignee.trim() || null;
  if (opts.unassign && opts.assignee?.trim()) throw new CliError('--assignee and --unassign contradict each other.', EXIT.usage);
  if (opts.state === undefined && assignee === undefined && !addLabels.length && !removeLabels.length && parent === undefined) {
    throw new CliError('nothing to change: give --state, --assignee, --unassign, --add-label, --remove-label or --parent.', EXIT.usage);
  }
  const reason = opts.transitionReason ?? opts.reason;
  if (opts.state === undefined && (opts.force || reason !== undefined || opts.transitionedBy !== undefined)) {
    throw new CliError('--force, --transition-reason and --transitioned-by go with --state.', EXIT.usage);
  }

  const { openItem, openProject } = await import('../project');
  const { findItem } = await import('../findItem');
  // A link reads the parents and, for an issue, its tasks: the whole project. Anything else needs only the item's file.
  const { loaded, item } = parent !== undefined ? await openProject(opts).then((l) => ({ loaded: l, item: findItem(l, id) })) : await openItem(opts, id);
  const { index, project } = loaded;
  const [{ asCli }, { planTogether }, { planChangeState }, { planAssign }, { planAddLabel, planRemoveLabel }, { planLink }, { processUserName }, { writePlan }] = await Promise.all([
    import('../opErrors'),
    import('../../core/ops/together'),
    import('../../core/ops/state'),
    import('../../core/ops/assign'),
    import('../../core/ops/labels'),
    import('../../core/ops/link'),
    import('../../core/userName'),
    import('../writePlan'),
  ]);
  const ref = item.file;
  const now = new Date();
  const plan = await asCli(() =>
    planTogether(index, [
      ...(opts.state !== undefined
        ? [() => planChangeState(index, project, { item: ref, to: opts.state!, by: opts.transitionedBy ?? processUserName(project.root), reason, force: opts.force }, now)]
        : []),
      ...(assignee !== undefined ? [() => planAssign(index, project, { item: ref, assignee }, now)] : []),
      ...addLabels.map((label) => () => planAddLabel(index, project, { item: ref, label }, now)),
      ...removeLabels.map((label) => () => planRemoveLabel(index, project, { item: ref, label }, now)),
      ...(parent !== undefined ? [() => planLink(index, project, { item: ref, parent: parent.trim() || null }, now)] : []),
    ]),
  );
  await asCli(() => writePlan(plan, project.root, !!opts.dryRun));
  return EXIT.ok;
}

export default defineCommand<UpdateOptions>({
  words: ['update'],
  define: defineUpdate,
  run: ({ args, opts }) => runUpdate(String(args[0]), opts),
});

/** The aitrackdown CLI's `trackdown issue update ID …` and its like for each type. */
export const updateByType = (['epic', 'issue', 'task', 'pr'] as const).map((type) =>
  defineCommand<UpdateOptions>({
    words: [type, 'update'],
    define: (cmd) => {
      defineUpdate(cmd);
      cmd.description(`Change a ${type === 'pr' ? 'PR' : type} (trackdown update).`);
    },
    run: ({ args, opts }) => runUpdate(String(args[0]), opts),
  }),
);
