/** Branch names for tasks, from `git.branch_pattern`, always valid (and harmless) git ref names. */
import { ProjectConfig } from '../config';
import { Item } from '../model';
import { gitSection } from './refs';

export const DEFAULT_BRANCH_PATTERN = '{type}/{id}-{slug}';
/** `{title}` is the slug too: a raw title is never safe in a ref name. */
const PLACEHOLDERS = ['type', 'id', 'slug', 'title'] as const;
const SLUG_MAX = 40;

export interface BranchPattern {
  pattern: string;
  error?: string;
}

/**
 * Why a name is not a valid branch name (`git check-ref-format --branch` rules), or undefined when it is.
 * Stricter than git in one way: `HEAD` and names starting with `-` are refused, since git commands
 * would read them as something else.
 */
export function refFormatError(name: string): string | undefined {
  if (!name) return 'the name is empty';
  if (name === '@' || name === 'HEAD') return `"${name}" is reserved`;
  if (name.startsWith('-')) return 'it starts with "-"';
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return 'it contains a space, a control character or one of ~ ^ : ? * [ \\';
  if (name.includes('..')) return 'it contains ".."';
  if (name.includes('@{')) return 'it contains "@{"';
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//')) return 'it has an empty path component';
  if (name.endsWith('.')) return 'it ends with "."';
  for (const part of name.split('/')) {
    if (part.startsWith('.')) return `the component "${part}" starts with "."`;
    if (part.endsWith('.lock')) return `the component "${part}" ends with ".lock"`;
  }
  return undefined;
}

/** `git.branch_pattern` (the older config's `git` section), checked once against sample values. */
export function branchPattern(config: ProjectConfig): BranchPattern {
  const value = gitSection(config)?.branch_pattern;
  if (value === undefined || value === null || value === '') return { pattern: DEFAULT_BRANCH_PATTERN };
  if (typeof value !== 'string') return { pattern: DEFAULT_BRANCH_PATTERN, error: `git.branch_pattern must be a string; using "${DEFAULT_BRANCH_PATTERN}"` };
  const unknown = [...value.matchAll(/\{([^}]*)\}/g)].map((m) => m[1]).filter((p) => !(PLACEHOLDERS as readonly string[]).includes(p));
  if (unknown.length) {
    return { pattern: DEFAULT_BRANCH_PATTERN, error: `git.branch_pattern: unknown placeholder {${unknown[0]}} (use {type}, {id}, {slug}); using "${DEFAULT_BRANCH_PATTERN}"` };
  }
  if (!value.includes('{id}')) {
    return { pattern: DEFAULT_BRANCH_PATTERN, error: `git.branch_pattern "${value}" has no {id}, so its branches could not be linked to tasks; using "${DEFAULT_BRANCH_PATTERN}"` };
  }
  const sample = fill(value, 'task', 'TSK-0001', 'sample');
  const bad = refFormatError(sample);
  if (bad) return { pattern: DEFAULT_BRANCH_PATTERN, error: `git.branch_pattern "${value}" gives invalid branch names (${bad}); using "${DEFAULT_BRANCH_PATTERN}"` };
  return { pattern: value };
}

/** A title as a ref-safe slug: lowercase ASCII letters, digits and single hyphens, bounded, never empty. */
export function branchSlug(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, SLUG_MAX)
    .replace(/-+$/g, '');
  return slug || 'work';
}

function fill(pattern: string, type: string, id: string, slug: string): string {
  return pattern.replace(/\{(type|id|slug|title)\}/g, (_, p: string) => (p === 'type' ? type : p === 'id' ? id : slug));
}

/** The branch for an item under a (checked) pattern; throws if the result is somehow not a valid name. */
export function branchNameFor(item: Pick<Item, 'id' | 'type' | 'title'>, pattern: string = DEFAULT_BRANCH_PATTERN): string {
  const name = fill(pattern, item.type, item.id, branchSlug(item.title));
  const bad = refFormatError(name);
  if (bad) throw new Error(`The branch name "${name}" for ${item.id} is not valid: ${bad}.`);
  return name;
}
