/** What a frontmatter value may be, for completions: a fixed set of words, or ids of items of some types. */
import { TaskIndex } from './index';
import {
  Item,
  ItemFormat,
  ItemType,
  legacyStatusWords,
  LEGACY_TYPES,
  PR_STATUSES,
  PRIORITIES,
  STATES,
  STATUSES,
  SYNC_STATUSES,
} from './model';

export type ValueChoices = { kind: 'words'; words: readonly string[] } | { kind: 'ids'; types: readonly ItemType[] };

const WORDS: Record<string, readonly string[]> = {
  state: STATES,
  priority: PRIORITIES,
  pr_status: PR_STATUSES,
  sync_status: SYNC_STATUSES,
};
/** Keys holding one id. `epic` and `issue` are the older format's names. */
const ID_KEYS: Record<string, ItemType> = { epic_id: 'epic', issue_id: 'issue', epic: 'epic', issue: 'issue' };
const ALL: readonly ItemType[] = ['epic', 'issue', 'task', 'pr'];
/** Keys holding a list of ids. */
const ID_LIST_KEYS: Record<string, readonly ItemType[]> = {
  related_issues: ['issue'],
  related_tasks: ['task'],
  related_prs: ['pr'],
  subtasks: ['task'],
  dependencies: ALL,
  blocked_by: ALL,
  blocks: ALL,
};

/**
 * The choices for the value of a top-level key (`inList`: an item of a list value), or undefined when it
 * is free. `customStatuses`: the status words the project's config declares for older-format files.
 */
export function choicesFor(key: string, format: ItemFormat, inList: boolean, customStatuses: readonly string[] = []): ValueChoices | undefined {
  if (inList) {
    const types = ID_LIST_KEYS[key];
    return types && { kind: 'ids', types };
  }
  if (key === 'status') return { kind: 'words', words: format === 'legacy' ? legacyStatusWords(customStatuses) : STATUSES };
  if (key === 'type' && format === 'legacy') return { kind: 'words', words: LEGACY_TYPES };
  if (WORDS[key]) return { kind: 'words', words: WORDS[key] };
  const type = ID_KEYS[key];
  return type && { kind: 'ids', types: [type] };
}

const byId = new Intl.Collator('en', { numeric: true });

/** Items of the given types in one project, in display order, leaving out the item being edited. */
export function idChoices(index: TaskIndex, root: string, types: readonly ItemType[], exceptFile?: string): Item[] {
  const out: Item[] = [];
  for (const item of index.items(root)) if (types.includes(item.type) && item.file !== exceptFile) out.push(item);
  return out.sort((a, b) => types.indexOf(a.type) - types.indexOf(b.type) || byId.compare(a.id, b.id));
}
