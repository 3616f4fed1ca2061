/**
 * Change State: the unified workflow's transition rules (workflow.ts), `state_metadata`, and a forced
 * transition recorded as a manual override, which needs a reason.
 */
import { Project, TaskIndex } from '../index';
import { canTransition, currentState, transitionChanges } from '../workflow';
import { findItem, InvalidInputError, ItemRef, parseState, requiredText } from './input';
import { ItemChanges } from './plan';

export interface ChangeStateInput {
  item: ItemRef;
  /** The state's name in the files (`ready_for_qa`). */
  to: string;
  /** Who makes the change (a user name or an agent), recorded as `transitioned_by`. */
  by: string;
  reason?: string;
  /** Make a transition the rules refuse; recorded as a manual override, with the reason. */
  force?: boolean;
}

/**
 * The changes of a state change; a TransitionError (carrying the allowed states) when the rules refuse
 * it and it is not forced, or when the item is in that state already.
 */
export function planChangeState(index: TaskIndex, project: Project, input: ChangeStateInput, now = new Date()): ItemChanges[] {
  const item = findItem(index, project, input.item);
  const to = parseState(input.to);
  const by = requiredText(input.by, 'Who makes the change');
  const reason = input.reason?.trim() || undefined;
  const from = currentState(item);
  if (input.force && from !== to && !canTransition(from, to) && !reason) throw new InvalidInputError('A forced transition needs a reason.');
  const changes = transitionChanges(item, { to, by, reason, force: input.force, now });
  // Planned from the state the file holds: an unsaved other state in an editor refuses the write.
  return [{ item, changes, reads: ['state', 'status'] }];
}
