/**
 * New Epic/Issue/Task/PR: the next id from counters.json (never one already on disk), a file named as
 * the CLI's compliance fixer names it, the project's template, the links to its parents, and the
 * parent's related list (create.ts in core has the text and the id rules).
 */
import * as path from 'path';
import { COUNTERS_FILE, FolderType, FOLDER_TYPES, typeFolder } from '../config';
import { allocateId, NewItemInput, newItemText, parseTemplate, templateFile } from '../create';
import { readProjectFileSync } from '../fileRule';
import { fileNameFor } from '../ids';
import { Project, TaskIndex } from '../index';
import { Item, ItemType, PRIORITIES } from '../model';
import { findItem, InvalidInputError, requiredText } from './input';
import { LinkError, relatedListChange } from './link';
import { ItemChanges } from './plan';
import { ItemWriter, Skipped } from './writer';

export type CreateInput = Omit<NewItemInput, 'now'>;

/** What a new item is made from besides the input, as read from the project. */
export interface CreateSources {
  /** The type's template file, if any. */
  template?: string;
  /** counters.json, if any. */
  counters?: string;
}

export interface CreatePlan {
  id: string;
  file: string;
  text: string;
  /** counters.json past the new id (only a project with a config keeps one). */
  counters?: { file: string; before?: string; text: string };
  /** The parent's related list, a convenience copy: optional. */
  related: ItemChanges[];
}

/** Read what a new item of `type` is made from, under the file rule. */
export function readCreateSources(project: Project, type: FolderType): CreateSources {
  return {
    template: readProjectFileSync(project.root, templateFile(project.root, project.config, type)).text,
    counters: readProjectFileSync(project.root, path.join(project.root, COUNTERS_FILE)).text,
  };
}

/** The parent named by `id`, which must be a `type`. */
function parentOf(index: TaskIndex, project: Project, id: string | undefined, type: ItemType): Item | undefined {
  if (!id?.trim()) return undefined;
  const parent = findItem(index, project, id);
  if (parent.type !== type) throw new LinkError(`${parent.id} is not a ${type}.`);
  return parent;
}

/**
 * The new item's file and text and what else it changes. `taken`: ids to skip besides those in the
 * index (ones a create found taken on disk meanwhile).
 */
export function planCreate(index: TaskIndex, project: Project, input: CreateInput, sources: CreateSources, now = new Date(), taken: Iterable<string> = []): CreatePlan {
  const { type } = input;
  if (!FOLDER_TYPES.includes(type)) throw new InvalidInputError(`"${type}" is not a type of item; the types are ${FOLDER_TYPES.join(', ')}.`);
  const title = requiredText(input.title, 'A title');
  if (input.priority !== undefined && !(PRIORITIES as readonly string[]).includes(input.priority)) {
    throw new InvalidInputError(`"${input.priority}" is not a priority; the priorities are ${PRIORITIES.join(', ')}.`);
  }
  const underIssue = type === 'task' || type === 'pr';
  if (type === 'epic' && (input.epicId || input.issueId)) throw new LinkError('An epic has no parent.');
  if (type === 'issue' && input.issueId) throw new LinkError('An issue belongs to an epic, not to another issue.');
  if (underIssue && !input.issueId?.trim()) throw new InvalidInputError(`A ${type} needs the issue it belongs to.`);
  const issue = underIssue ? parentOf(index, project, input.issueId, 'issue') : undefined;
  const epic = type === 'issue' ? parentOf(index, project, input.epicId, 'epic') : undefined;
  // A task or PR carries its issue's epic as a copy (link.ts keeps it in step when the issue moves).
  const epicId = underIssue ? issue!.epicId : epic?.id;
  if (underIssue && input.epicId?.trim() && input.epicId.trim() !== epicId) {
    throw new LinkError(`${issue!.id} belongs to ${epicId ?? 'no epic'}: a ${type} under it belongs there too, not to ${input.epicId.trim()}.`);
  }

  const { id, countersText } = allocateId(project.config, type, sources.counters, [...[...index.items(project.root)].map((i) => i.id), ...taken]);
  const folder = typeFolder(project.root, project.config, type);
  const file = path.join(folder, fileNameFor(id, title));
  if (path.dirname(file) !== folder) throw new InvalidInputError('The title cannot be turned into a safe file name.');
  const template = sources.template ? parseTemplate(sources.template) : undefined;
  const text = newItemText(id, { ...input, title, issueId: issue?.id, epicId, assignee: input.assignee ?? project.config.defaultAssignee, now }, template);
  const related = relatedListChange(issue ?? epic, { type, id }, 'add');
  return {
    id,
    file,
    text,
    counters: project.hasConfig ? { file: path.join(project.root, COUNTERS_FILE), before: sources.counters, text: countersText } : undefined,
    related: related ? [related] : [],
  };
}

export interface Created {
  plan: CreatePlan;
  /** The parent's related list, when it could not be updated. */
  skipped: Skipped[];
  /** counters.json could not be updated (someone else changed it meanwhile); the file is what counts. */
  countersError?: Error;
}

/**
 * Create an item: plan it, make its file (never over one: another writer, the CLI or a teammate's pull,
 * can take the id between the read and the write, and the next id is tried), then counters.json and
 * the parent's related list.
 */
export async function createItem(writer: ItemWriter, index: TaskIndex, project: Project, input: CreateInput, now = new Date()): Promise<Created> {
  const taken = new Set<string>();
  for (let attempt = 0; attempt < 5; attempt++) {
    const plan = planCreate(index, project, input, readCreateSources(project, input.type), now, taken);
    if (!(await writer.createFile(project.root, plan.file, plan.text))) {
      taken.add(plan.id);
      continue;
    }
    let countersError: Error | undefined;
    // The file is what counts (ids on disk are never reused); a counters.json changed meanwhile is left to its writer.
    if (plan.counters) await writer.writeFile(project.root, plan.counters.file, plan.counters.before, plan.counters.text).catch((e: Error) => (countersError = e));
    const skipped = plan.related.length ? await writer.writeItems(plan.related) : [];
    return { plan, skipped, countersError };
  }
  throw new Error(`Could not find a free ${input.type} id: files keep appearing in ${typeFolder(project.root, project.config, input.type)}.`);
}
