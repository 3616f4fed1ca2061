/**
 * `trackdown`: the ai-trackdown project of the working folder, for pipelines and scripts. Parses the
 * command line (commander), runs the command, and turns what went wrong into one line on stderr and
 * an exit code (exitCodes.ts). This file loads only what every start needs: each command imports its
 * own heavy modules when it runs, so `status` and `show` start fast.
 */
import { Command, CommanderError, Option } from 'commander';
import type { CliCommand } from './command';
import check from './commands/check';
import context from './commands/context';
import { create, createByType } from './commands/create';
import llms from './commands/llms';
import metrics from './commands/metrics';
import show from './commands/show';
import status from './commands/status';
import tokensReport from './commands/tokensReport';
import tokensAdd from './commands/tokensAdd';
import update, { updateByType } from './commands/update';
import { CliError, EXIT, EXIT_HELP, type ExitCode } from './exitCodes';

/** Every command, in the order --help lists them. A new command is one file in commands/ and one line here. */
const COMMANDS: CliCommand<never>[] = [
  status,
  show,
  update,
  create,
  check,
  context,
  llms,
  metrics,
  tokensReport,
  tokensAdd,
  ...createByType,
  ...updateByType,
];

/** Descriptions of the words that group commands (`trackdown tokens report`). */
const GROUPS: Record<string, string> = {
  tokens: 'Token usage and budgets.',
  epic: 'The aitrackdown CLI\'s words for epics: create, update.',
  issue: 'The aitrackdown CLI\'s words for issues: create, update.',
  task: 'The aitrackdown CLI\'s words for tasks: create, update.',
  pr: 'The aitrackdown CLI\'s words for PRs: create, update.',
};

function program(done: (code: ExitCode) => void): Command {
  const root = new Command('trackdown')
    .description('Read and change an ai-trackdown project (tasks/ of markdown files) from scripts and pipelines.')
    .version(TRACKDOWN_VERSION, '-V, --version', 'print the version')
    .option('--project <dir>', 'the project folder (default: found from the working folder upward)')
    .addOption(new Option('--project-dir <dir>', 'the same as --project').hideHelp())
    .option('--debug', 'print the stack of an unexpected error')
    // Scripts written for the aitrackdown CLI pass it; the output has no colour anyway.
    .addOption(new Option('--no-color').hideHelp())
    .addHelpText('after', EXIT_HELP)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`trackdown: ${text.replace(/^error: /, '')}`) });
  for (const c of COMMANDS) {
    let parent = root;
    for (const word of c.words.slice(0, -1)) {
      parent = parent.commands.find((x) => x.name() === word) ?? parent.command(word).description(GROUPS[word] ?? '');
    }
    const cmd = parent.command(c.words[c.words.length - 1]);
    c.define(cmd);
    cmd.action(async (...args: unknown[]) => {
      const self = args[args.length - 1] as Command;
      done(await c.run({ args: self.processedArgs, opts: self.optsWithGlobals() as never }));
    });
  }
  return root;
}

/** Run with these arguments (as process.argv: node, script, …); resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok;
  const cli = program((c) => (code = c));
  try {
    await cli.parseAsync(argv as string[]);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (e instanceof CliError) {
      process.stderr.write(`trackdown: ${e.message}\n`);
      return e.exitCode;
    }
    // Only a command that writes has loaded the writer: its errors are looked for only now.
    const { StaleFileError, WriteRefusedError } = await import('../core/atomicWrite');
    if (e instanceof StaleFileError || e instanceof WriteRefusedError) {
      process.stderr.write(`trackdown: ${(e as Error).message}\n`);
      return EXIT.refused;
    }
    const debug = cli.opts().debug || argv.includes('--debug');
    process.stderr.write(`trackdown: unexpected error: ${debug ? ((e as Error)?.stack ?? String(e)) : ((e as Error)?.message ?? String(e))}${debug ? '' : ' (--debug shows where)'}\n`);
    return EXIT.unexpected;
  }
}

if (require.main === module) {
  // A reader that goes away (`| head`) is not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? EXIT.ok : EXIT.unexpected));
  void main(process.argv).then((code) => {
    // Exit once stdout is flushed: a worker or watcher still open must not keep a finished command alive.
    process.stdout.write('', () => process.exit(code));
  });
}
