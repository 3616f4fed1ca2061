/**
 * What the operations refuse, as exit codes: loaded only by the commands that write, with the
 * operations, so that reading commands never load them.
 */
import { EditError } from '../core/edit';
import { InvalidInputError, InvalidStateError, UnknownItemError } from '../core/ops/input';
import { LinkError } from '../core/ops/link';
import { UsageInputError } from '../core/tokens';
import { TransitionError } from '../core/workflow';
import { CliError, EXIT } from './exitCodes';

/** The CliError for an operation's refusal; any other error as it is. */
export function cliErrorOf(e: unknown): unknown {
  if (e instanceof TransitionError) {
    const next = e.allowed.length ? e.allowed.join(', ') : 'none';
    const hint = e.from === e.to ? '' : ' (--force with --transition-reason makes it anyway, recorded as a manual override)';
    return new CliError(`${e.message}\nallowed next states from ${e.from}: ${next}${hint}`, EXIT.refused);
  }
  if (e instanceof UnknownItemError) return new CliError(e.message, EXIT.notFound);
  if (e instanceof InvalidStateError || e instanceof InvalidInputError || e instanceof UsageInputError) return new CliError(e.message, EXIT.usage);
  if (e instanceof LinkError || e instanceof EditError) return new CliError(e.message, EXIT.refused);
  return e;
}

/** Run `fn`, turning an operation's refusal into its CliError. */
export async function asCli<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw cliErrorOf(e);
  }
}
