/** New items: templates, the text of a new item file in the CLI's key order, and id allocation. */
import * as path from 'path';
import { Document, parse as parseYaml, visit } from 'yaml';
import { FolderType, FOLDER_TYPES, ProjectConfig } from './config';
import { formatId, ID_PATTERN, nextNumber } from './ids';
import { PRIORITIES } from './model';
import { MAX_ALIAS_COUNT } from './parse';

export interface Template {
  name?: string;
  priority?: string;
  contentTemplate?: string;
  raw: Record<string, unknown>;
}

export interface NewItemInput {
  type: FolderType;
  title: string;
  description?: string;
  /** issue: its epic; task/PR: optional epic. */
  epicId?: string;
  /** task/PR: required parent issue. */
  issueId?: string;
  priority?: string;
  assignee?: string;
  labels?: string[];
  now?: Date;
}

/** The body the CLI's own default templates give each type (`{{title}}` and `{{description}}` filled in). */
export const DEFAULT_CONTENT: Record<FolderType, string> = {
  epic: '# Epic: {{title}}\n\n## Overview\n{{description}}\n\n## Objectives\n- [ ] Objective 1\n\n## Acceptance Criteria\n- [ ] Criteria 1\n\n## Notes\n',
  issue: '# Issue: {{title}}\n\n## Description\n{{description}}\n\n## Acceptance Criteria\n- [ ] Criteria 1\n\n## Notes\n',
  task: '# Task: {{title}}\n\n## Description\n{{description}}\n\n## Steps\n1. Step 1\n\n## Acceptance Criteria\n- [ ] Criteria 1\n\n## Notes\n',
  pr: '# PR: {{title}}\n\n## Description\n{{description}}\n\n## Changes\n- Change 1\n\n## Testing\n- [ ] Unit tests pass\n\n## Related\n- Issue: {{issue_id}}\n- Target: {{target_branch}}\n\n## Notes\n',
};

/** A template file the CLI can read: a mapping whose content_template, when present, is text. */
export function parseTemplate(yamlText: string): Template | undefined {
  let raw: unknown;
  try {
    raw = parseYaml(yamlText, { maxAliasCount: MAX_ALIAS_COUNT });
  } catch {
    return undefined;
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const data = raw as Record<string, unknown>;
  if (data.content_template !== undefined && typeof data.content_template !== 'string') return undefined;
  const front = data.frontmatter_template as Record<string, unknown> | undefined;
  const priority = [data.priority, front && typeof front === 'object' ? front.priority : undefined].find(
    (p): p is string => typeof p === 'string' && (PRIORITIES as readonly string[]).includes(p),
  );
  return {
    name: typeof data.name === 'string' ? data.name : undefined,
    priority,
    contentTemplate: data.content_template as string | undefined,
    raw: data,
  };
}

export function templateFile(root: string, config: ProjectConfig, type: FolderType): string {
  return path.join(root, config.tasksDir, config.templatesDir, `${type}-default.yaml`);
}

/** Characters that end a line somewhere (YAML 1.1, editors) or are not printable: only safe inside escapes. */
const NEEDS_ESCAPE = /[\r\u0085\u2028\u2029\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufeff]/;

/**
 * Frontmatter YAML for a document built by us: every string that holds a line break or a control
 * character is double-quoted with escapes, so no value can ever span lines (and so never close the
 * block with a `---` line), whatever the user typed. A block scalar read from a file stays one: its
 * lines are indented, so they cannot close the block either.
 */
export function frontmatterYaml(doc: Document): string {
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value !== 'string') return;
      const block = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
      if (NEEDS_ESCAPE.test(node.value) || (!block && node.value.includes('\n'))) node.type = 'QUOTE_DOUBLE';
    },
  });
  // yaml leaves NEL/LS/PS raw inside double quotes; editors treat them as line ends, so escape them.
  return doc
    .toString({ lineWidth: 0, flowCollectionPadding: false })
    .replace(/\u0085/g, '\\N')
    .replace(/\u2028/g, '\\L')
    .replace(/\u2029/g, '\\P');
}

/** Fill a content template. Lists of a new item are empty, so mustache list sections render as nothing. */
function renderBody(template: string, values: Record<string, string>): string {
  const filled = template
    .replace(/\r\n?/g, '\n')
    .replace(/\{\{#(\w+)\}\}[\s\S]*?\{\{\/\1\}\}\n?/g, '')
    .replace(/\{\{(\w+)\}\}/g, (whole, name: string) => values[name] ?? whole);
  const content = filled.replace(/^\s*\n/, '').trimEnd();
  // A body that starts with `---` would read as a second frontmatter block to some tools.
  return content.startsWith('---') ? `\\${content}` : content;
}

function required(value: string | undefined, what: string): string {
  if (!value || !value.trim()) throw new Error(`A new item needs ${what}.`);
  return value;
}

/** The full text of a new item file in the CLI's key order (FORMAT.md table), body from the template. */
export function newItemText(id: string, input: NewItemInput, template?: Template): string {
  const { type } = input;
  if (!ID_PATTERN.test(id)) throw new Error(`"${id}" is not an item id.`);
  const title = required(input.title, 'a title');
  const priority = input.priority ?? template?.priority ?? 'medium';
  if (!(PRIORITIES as readonly string[]).includes(priority)) throw new Error(`Priority "${priority}" is not one of ${PRIORITIES.join(', ')}.`);
  const issueId = type === 'task' || type === 'pr' ? required(input.issueId, 'a parent issue') : undefined;
  const epicId = type === 'epic' ? undefined : input.epicId || undefined;
  const description = input.description ?? '';
  const now = (input.now ?? new Date()).toISOString();
  const tags = input.labels?.length ? input.labels : undefined;
  const common = {
    title,
    description,
    status: 'planning',
    ...(type === 'pr' ? { pr_status: 'draft' } : {}),
    priority,
    assignee: input.assignee?.trim() || 'unassigned',
    created_date: now,
    updated_date: now,
    estimated_tokens: 0,
    actual_tokens: 0,
    ai_context: [],
    sync_status: 'local',
  };
  let data: Record<string, unknown>;
  switch (type) {
    case 'epic':
      data = { epic_id: id, ...common, related_issues: [], tags, dependencies: [], completion_percentage: 0 };
      break;
    case 'issue':
      data = {
        issue_id: id,
        epic_id: epicId,
        ...common,
        related_tasks: [],
        related_issues: [],
        tags,
        completion_percentage: 0,
        blocked_by: [],
        blocks: [],
        related_prs: [],
      };
      break;
    case 'task':
      data = { task_id: id, issue_id: issueId, epic_id: epicId, ...common, subtasks: [], tags, blocked_by: [], blocks: [] };
      break;
    case 'pr':
      data = {
        pr_id: id,
        issue_id: issueId,
        epic_id: epicId,
        ...common,
        target_branch: 'main',
        approvals: [],
        tags,
        blocked_by: [],
        blocks: [],
        related_prs: [],
        template_used: 'default',
      };
      break;
  }
  for (const k of Object.keys(data)) if (data[k] === undefined) delete data[k];
  const body = renderBody(template?.contentTemplate ?? DEFAULT_CONTENT[type], {
    // A heading is one line: a title's line breaks become spaces there (the frontmatter keeps them).
    title: title.replace(/\s*[\r\n]+\s*/g, ' '),
    description,
    id,
    issue_id: issueId ?? '',
    epic_id: epicId ?? '',
    branch_name: '',
    target_branch: 'main',
  });
  // The CLI's layout: `---`, the YAML, `---`, an empty line, the content, a final newline.
  return `---\n${frontmatterYaml(new Document(data))}---\n\n${body}\n`;
}

/**
 * Allocate the next id (counters.json NEXT value, never reusing any id already on disk) and the new
 * counters.json text (other keys kept).
 */
export function allocateId(
  config: ProjectConfig,
  type: FolderType,
  countersText: string | undefined,
  takenIds: Iterable<string>,
): { id: string; countersText: string } {
  const taken = [...takenIds];
  let counters: Record<string, unknown> | undefined;
  try {
    const parsed = countersText === undefined ? undefined : (JSON.parse(countersText) as unknown);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) counters = parsed as Record<string, unknown>;
  } catch {
    // corrupt: rebuilt below from the ids on disk
  }
  const counterOf = (t: FolderType) => {
    const v = counters?.[t];
    return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
  };
  const n = nextNumber(counterOf(type), taken, config.prefixes[type]);
  let next: Record<string, unknown>;
  if (counters) {
    next = { ...counters, [type]: n + 1 };
  } else {
    // No usable counters.json: give every type a counter past what is on disk, so the CLI does not reuse ids either.
    next = Object.fromEntries(FOLDER_TYPES.map((t) => [t, nextNumber(undefined, taken, config.prefixes[t])]));
    next[type] = n + 1;
  }
  const indent = counters ? /\n([ \t]+)"/.exec(countersText!)?.[1] : '  ';
  const eol = !counters || countersText!.endsWith('\n') ? '\n' : '';
  return { id: formatId(config.prefixes[type], n), countersText: JSON.stringify(next, null, indent) + eol };
}
