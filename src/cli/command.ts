/**
 * What a `trackdown` command is: the words that call it, its arguments and options, and what it does.
 * One file per command under commands/, listed once in main.ts. define() runs on every start, so it
 * stays light; run() imports what the command needs (the index, SARIF, the tokenizer…) when it runs.
 */
import type { Command } from 'commander';
import type { ExitCode } from './exitCodes';

/** Options every command takes. */
export interface GlobalOptions {
  /** Where to look for the project instead of the working folder. */
  project?: string;
  projectDir?: string;
  /** Show the stack of an unexpected error. */
  debug?: boolean;
}

export interface RunContext<O> {
  /** The positional arguments, as commander parsed them. */
  args: unknown[];
  opts: O & GlobalOptions;
}

export interface CliCommand<O = Record<string, unknown>> {
  /** The words that call it: ['status'], or ['tokens', 'report'] for a command of a group. */
  readonly words: readonly string[];
  /** Its description, arguments, options and help text. */
  define(cmd: Command): void;
  /** Resolves to the exit code; throws a CliError for what the user can fix. */
  run(ctx: RunContext<O>): Promise<ExitCode>;
}

/** Typed options for a command's run(). */
export function defineCommand<O>(command: CliCommand<O>): CliCommand<O> {
  return command;
}
