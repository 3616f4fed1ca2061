/** zod schemas for the frontmatter of both formats and for config.yaml. Lenient where real files are. */
import * as z from 'zod';
import {
  ItemFormat,
  ItemType,
  LEGACY_STATUSES,
  LEGACY_TYPES,
  legacyStatusWords,
  PR_STATUSES,
  PRIORITIES,
  STATES,
  STATUSES,
  SYNC_STATUSES,
} from './model';

const daysIn = (y: number, m: number) => (m === 2 ? (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31);

/**
 * A calendar date, optionally with a time of day and an offset, each field in its range (2026-02-30 is
 * not a date): `YYYY-MM-DD`, then `T` or a space, `hh:mm`, `:ss`, `.fraction`, `Z` or `±hh[:]mm`. Read
 * character by character: every date of every file of an index passes here, and a regular expression's
 * match would allocate its groups each time.
 */
export function isIsoDate(s: string): boolean {
  const n = s.length;
  /** The two-digit number at `i`, or -1. */
  const two = (i: number) => {
    const a = s.charCodeAt(i) - 48;
    const b = s.charCodeAt(i + 1) - 48;
    return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
  };
  if (n < 10 || s[4] !== '-' || s[7] !== '-') return false;
  const century = two(0);
  const year = two(2);
  const month = two(5);
  const day = two(8);
  if (century < 0 || year < 0 || month < 1 || month > 12 || day < 1 || day > daysIn(century * 100 + year, month)) return false;
  if (n === 10) return true;
  if (s[10] !== 'T' && s[10] !== ' ') return false;
  const hour = two(11);
  const minute = two(14);
  if (s[13] !== ':' || hour < 0 || hour > 23 || minute < 0 || minute > 59) return false;
  let i = 16;
  if (s[i] === ':') {
    const second = two(i + 1);
    if (second < 0 || second > 59) return false;
    i += 3;
    if (s[i] === '.') {
      const digits = ++i;
      while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
      if (i === digits) return false;
    }
  }
  if (i === n) return true;
  if (s[i] === 'Z') return i + 1 === n;
  if (s[i] !== '+' && s[i] !== '-') return false;
  const offsetHour = two(i + 1);
  i += s[i + 3] === ':' ? 4 : 3;
  const offsetMinute = two(i);
  return i + 2 === n && offsetHour >= 0 && offsetHour <= 23 && offsetMinute >= 0 && offsetMinute <= 59;
}

const idRef = z.string().min(1);
const date = z.string().refine(isIsoDate, { message: 'not an ISO 8601 date (e.g. 2026-11-22T03:08:57.490Z)' });
/** The CLI's `ai track-tokens` writes counts as quoted strings; both are read. */
const tokenCount = z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/, 'not a whole number')]);
const stringList = z.array(z.string()).nullable();
const idList = z.array(idRef).nullable();
const text = z.string().nullable();

const common = {
  title: z.string().min(1, 'title is empty'),
  description: text.optional(),
  priority: z.enum(PRIORITIES).optional(),
  assignee: text.optional(),
  created_date: date.optional(),
  updated_date: date.optional(),
  estimated_tokens: tokenCount.optional(),
  actual_tokens: tokenCount.optional(),
  ai_context: stringList.optional(),
  sync_status: z.enum(SYNC_STATUSES).optional(),
  tags: stringList.optional(),
  labels: stringList.optional(),
  milestone: text.optional(),
  dependencies: idList.optional(),
  blocked_by: idList.optional(),
  blocks: idList.optional(),
  status: z.enum(STATUSES).optional(),
  state: z.enum(STATES).optional(),
  state_metadata: z
    .looseObject({
      transitioned_at: date.optional(),
      transitioned_by: text.optional(),
      previous_state: z.string().nullable().optional(),
      automation_eligible: z.boolean().optional(),
      automation_source: text.optional(),
      transition_reason: text.optional(),
      reviewer: text.optional(),
    })
    .nullable()
    .optional(),
  completion_percentage: z.number().min(0).max(100).optional(),
};

export const epicSchema = z.looseObject({
  ...common,
  epic_id: idRef,
  related_issues: idList.optional(),
});

export const issueSchema = z.looseObject({
  ...common,
  issue_id: idRef,
  epic_id: idRef.optional(),
  related_tasks: idList.optional(),
  related_issues: idList.optional(),
  related_prs: idList.optional(),
});

export const taskSchema = z.looseObject({
  ...common,
  task_id: idRef,
  issue_id: idRef,
  epic_id: idRef.optional(),
  subtasks: idList.optional(),
  time_estimate: z.union([z.string(), z.number()]).nullable().optional(),
  time_spent: z.union([z.string(), z.number()]).nullable().optional(),
});

export const prSchema = z.looseObject({
  ...common,
  pr_id: idRef,
  issue_id: idRef,
  epic_id: idRef.optional(),
  pr_status: z.enum(PR_STATUSES).optional(),
  branch_name: text.optional(),
  source_branch: text.optional(),
  target_branch: text.optional(),
  repository_url: text.optional(),
  reviewers: stringList.optional(),
  approvals: stringList.optional(),
  related_prs: idList.optional(),
  template_used: text.optional(),
});

export const commentSchema = z.looseObject({
  id: idRef,
  issueId: idRef,
  author: z.string().optional(),
  createdAt: date.optional(),
  updatedAt: date.optional(),
});

const legacyDate = z.union([date, z.date()]);
export const legacySchema = z.looseObject({
  id: idRef,
  type: z.enum(LEGACY_TYPES),
  title: z.string().min(1, 'title is empty'),
  status: z.enum(LEGACY_STATUSES).optional(),
  state: z.enum(STATES).optional(),
  priority: z.enum(PRIORITIES).optional(),
  epic: idRef.nullable().optional(),
  issue: idRef.nullable().optional(),
  assignee: text.optional(),
  created: legacyDate.optional(),
  updated: legacyDate.optional(),
  labels: stringList.optional(),
  estimate: z.union([z.string(), z.number()]).nullable().optional(),
  token_budget: z.number().nonnegative().optional(),
  token_usage: z
    .looseObject({
      total: z.number().nonnegative().optional(),
      by_agent: z.record(z.string(), z.number()).optional(),
      by_team: z.record(z.string(), z.number()).optional(),
    })
    .nullable()
    .optional(),
  // Real files hold ids, null placeholders and nested maps (github: {milestone_id: 15}) here.
  sync: z.record(z.string(), z.unknown()).nullable().optional(),
});

/** Per list of a project's custom statuses (one list per loaded config): the older format's schema that accepts them too. */
const legacyWithCustom = new WeakMap<readonly string[], z.ZodType>();

/** The schema of a file; `customStatuses`: the project's config-declared status words, valid in older-format files. */
export function schemaFor(type: ItemType, format: ItemFormat, customStatuses: readonly string[] = []): z.ZodType {
  if (format === 'legacy') {
    if (!customStatuses.length) return legacySchema;
    let schema = legacyWithCustom.get(customStatuses);
    if (!schema) {
      const words = legacyStatusWords(customStatuses) as [string, ...string[]];
      legacyWithCustom.set(customStatuses, (schema = legacySchema.extend({ status: z.enum(words).optional() })));
    }
    return schema;
  }
  switch (type) {
    case 'epic':
      return epicSchema;
    case 'issue':
      return issueSchema;
    case 'task':
      return taskSchema;
    case 'pr':
      return prSchema;
    case 'comment':
      return commentSchema;
  }
}

/** Keys the CLI leaks into frontmatter when it updates a file; tolerated, never written by us. */
export const LEAKED_KEYS = ['content', 'file_path'] as const;

/** One provider's sync settings; older configs write `github: true` or leave it empty, which stays readable. */
function syncSection(shape: Record<string, z.ZodType>) {
  return z
    .union([
      z.looseObject({
        ...shape,
        users: z.record(z.string(), z.string()).optional(),
        push: z.array(z.enum(['epic', 'issue', 'task', 'pr'])).optional(),
      }),
      z.boolean(),
      z.null(),
    ])
    .optional();
}

/** Both config shapes: the CLI's `aitrackdown init` output and the older architecture document's. */
export const configSchema = z.looseObject({
  name: z.string().optional(),
  description: z.string().nullable().optional(),
  version: z.union([z.string(), z.number()]).optional(),
  tasks_directory: z.string().min(1).optional(),
  structure: z
    .looseObject({
      epics_dir: z.string().optional(),
      issues_dir: z.string().optional(),
      tasks_dir: z.string().optional(),
      prs_dir: z.string().optional(),
      templates_dir: z.string().optional(),
    })
    .optional(),
  naming_conventions: z
    .looseObject({
      epic_prefix: z.string().optional(),
      issue_prefix: z.string().optional(),
      task_prefix: z.string().optional(),
      pr_prefix: z.string().optional(),
      file_extension: z.string().optional(),
    })
    .optional(),
  default_assignee: z.string().nullable().optional(),
  ai_context_templates: z.array(z.string()).optional(),
  automation: z.looseObject({}).optional(),
  project: z
    .looseObject({ name: z.string().optional(), id_prefix: z.string().optional(), default_epic_budget: z.number().optional() })
    .optional(),
  sync: z
    .looseObject({
      github: syncSection({ repo: z.string().optional(), api_url: z.string().optional() }),
      jira: syncSection({ site: z.string().optional(), project: z.string().optional(), email: z.string().optional(), issue_type: z.string().optional() }),
      linear: syncSection({ team: z.string().optional(), api_url: z.string().optional() }),
    })
    .nullable()
    .optional(),
  ai: z.looseObject({}).nullable().optional(),
  git: z.looseObject({}).nullable().optional(),
  workflows: z.unknown().optional(),
  teams: z.record(z.string(), z.looseObject({ token_budget: z.number().optional(), lead: z.string().optional() })).nullable().optional(),
});
export type RawConfig = z.infer<typeof configSchema>;
