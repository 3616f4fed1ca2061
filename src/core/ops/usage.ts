/** Log Token Usage: uses of tokens by an agent and model, appended to an item's file (tokens.ts has the rule). */
import { Project, TaskIndex } from '../index';
import { logUsageChanges, NewUsage } from '../tokens';
import { findItem, ItemRef } from './input';
import { ItemChanges } from './plan';

export interface LogUsageInput {
  item: ItemRef;
  uses: NewUsage | readonly NewUsage[];
}

/** The changes that log the uses; a UsageInputError for numbers that are not whole counts of tokens. */
export function planLogUsage(index: TaskIndex, project: Project, input: LogUsageInput, now = new Date()): ItemChanges[] {
  const item = findItem(index, project, input.item);
  return [{ item, changes: logUsageChanges(item, input.uses, now) }];
}
