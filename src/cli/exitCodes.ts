/**
 * The exit codes of `trackdown`, the one list scripts rely on (the README repeats it):
 *   0 ok · 1 check failed, field missing or files stale · 2 usage error · 3 not found ·
 *   4 refused write · 5 unexpected error.
 */
export const EXIT = {
  ok: 0,
  /** `check` found errors (or more warnings than allowed), `show --field` found no value, `llms --check` found stale files. */
  failed: 1,
  /** An unknown command or flag, a missing argument, a value a flag does not take. */
  usage: 2,
  /** No project, an unknown id, a path that does not exist. */
  notFound: 3,
  /** A write refused: by the workflow rules, or to keep data safe (the file changed meanwhile, or cannot be replaced without loss). */
  refused: 4,
  /** Anything else: a bug, or the system failed. */
  unexpected: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the user can act on: one line on stderr, no stack, and its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
  ) {
    super(message);
  }
}

/** The list --help ends with. */
export const EXIT_HELP = `
Exit codes:
  ${EXIT.ok}  ok
  ${EXIT.failed}  check failed, field missing, or files not up to date
  ${EXIT.usage}  usage error (unknown command or flag, bad value)
  ${EXIT.notFound}  not found (no project, unknown id, missing path)
  ${EXIT.refused}  write refused (the rules refuse it, the file changed meanwhile, or cannot be replaced safely)
  ${EXIT.unexpected}  unexpected error (--debug shows its stack)`;
