/**
 * What an operation accepts from any front door: an item named by id, by file or as it was read, and
 * plain values, checked here so that the editor, the CLI and agents get the same errors, naming what
 * is wrong and what would be right.
 */
import * as path from 'path';
import { Project, TaskIndex } from '../index';
import { Item, State, STATES } from '../model';

/** An item by id (`ISS-0001`), by its file's path, or as read (its `hash` is the text the caller saw). */
export type ItemRef = string | Item;

export class UnknownItemError extends Error {
  constructor(
    readonly id: string,
    project: Project,
  ) {
    super(`There is no item ${id} in ${project.config.name}.`);
  }
}

export class InvalidStateError extends Error {
  /** `valid`: the words that would be understood where this one was given. */
  constructor(
    readonly state: string,
    readonly valid: readonly string[] = STATES,
  ) {
    super(`"${state}" is not a state. The states are ${valid.join(', ')}.`);
  }
}

/** A value an operation cannot take (an empty title, a label of spaces, a forced move without a reason…). */
export class InvalidInputError extends Error {}

const isFileRef = (ref: string) => ref.endsWith('.md') || ref.includes('/') || ref.includes(path.sep);

/** The item a reference names in the project; UnknownItemError when there is none. */
export function findItem(index: TaskIndex, project: Project, ref: ItemRef): Item {
  if (typeof ref !== 'string') {
    if (ref.root !== project.root) throw new InvalidInputError(`${ref.id} is an item of another project.`);
    return ref;
  }
  const key = ref.trim();
  if (isFileRef(key)) {
    const item = index.entry(path.resolve(project.root, key))?.item;
    if (!item || item.root !== project.root) throw new UnknownItemError(key, project);
    return item;
  }
  const found = index.byId(project.root, key);
  if (!found.length) throw new UnknownItemError(key, project);
  if (found.length > 1) {
    throw new InvalidInputError(`${key} is the id of ${found.length} files (${found.map((i) => path.basename(i.file)).join(', ')}); name the file instead.`);
  }
  return found[0];
}

/** A state by its name in the files (`ready_for_qa`); InvalidStateError naming the valid ones otherwise. */
export function parseState(value: string): State {
  const state = value.trim();
  if (!(STATES as readonly string[]).includes(state)) throw new InvalidStateError(value);
  return state as State;
}

/** A piece of text an operation needs, trimmed; InvalidInputError when it is empty. */
export function requiredText(value: string | undefined, what: string): string {
  const text = value?.trim();
  if (!text) throw new InvalidInputError(`${what} is needed.`);
  return text;
}
