/**
 * Token usage: what each item used (in total, by agent, team and model, and entry by entry), rolled up
 * task → issue → epic → project, set against the budgets of epics and teams, and the alert thresholds
 * those budgets are watched at. Reads every shape real files have:
 *   estimated_tokens / actual_tokens          numbers, or numeric strings (the CLI's `ai track-tokens`)
 *   token_usage: {total, by_agent, by_team}   the older architecture document's form
 *   token_usage.entries: [{at, agent, model, team, input, output, cached_input, purpose}]
 *                                             one record per logged use, which by_model and periods need
 */
import type { ProjectConfig } from './config';
import type { FrontmatterChange } from './edit';
import type { TaskIndex } from './index';
import type { Item, Problem } from './model';

export interface UsageEntry {
  /** ISO timestamp. */
  at?: string;
  agent?: string;
  model?: string;
  team?: string;
  input: number;
  output: number;
  /** Input tokens read from a prompt cache (part of `input`). */
  cachedInput: number;
  purpose?: string;
  /** Where an imported entry came from (a log record's key), so that importing again adds nothing. */
  sourceKey?: string;
}

export interface Usage {
  used: number;
  estimated: number;
  byAgent: Record<string, number>;
  byTeam: Record<string, number>;
  byModel: Record<string, number>;
  entries: UsageEntry[];
}

const emptyUsage = (): Usage => ({ used: 0, estimated: 0, byAgent: {}, byTeam: {}, byModel: {}, entries: [] });

/** A whole, non-negative token count from a number or a numeric string; undefined for anything else. */
export function tokenCount(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : undefined;
  if (typeof v === 'string' && /^\s*\d+\s*$/.test(v)) {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

const record = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

function counts(v: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, n] of Object.entries(record(v) ?? {})) {
    const c = tokenCount(n);
    if (c !== undefined) out[k] = c;
  }
  return out;
}

function entries(v: unknown): UsageEntry[] {
  if (!Array.isArray(v)) return [];
  const out: UsageEntry[] = [];
  for (const raw of v) {
    const r = record(raw);
    if (!r) continue;
    const input = tokenCount(r.input) ?? 0;
    const output = tokenCount(r.output) ?? 0;
    const e: UsageEntry = { input, output, cachedInput: Math.min(tokenCount(r.cached_input) ?? 0, input) };
    const at = text(r.at);
    if (at && !Number.isNaN(Date.parse(at))) e.at = at;
    for (const k of ['agent', 'model', 'team', 'purpose'] as const) {
      const s = text(r[k]);
      if (s) e[k] = s;
    }
    const source = text(r.source_key);
    if (source) e.sourceKey = source;
    out.push(e);
  }
  return out;
}

function add(into: Record<string, number>, from: Record<string, number>) {
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n;
}

/**
 * What one item itself used. The total is actual_tokens, else token_usage.total (as the parser reads
 * them), else the sum of the entries; by_agent and by_team as written, else summed from the entries;
 * by model only from the entries.
 */
export function itemUsage(item: Pick<Item, 'data' | 'actualTokens' | 'estimatedTokens'>): Usage {
  const d = item.data;
  const tu = record(d.token_usage) ?? {};
  const list = entries(tu.entries);
  const sum = (key: 'agent' | 'team' | 'model') => {
    const out: Record<string, number> = {};
    for (const e of list) if (e[key]) out[e[key]!] = (out[e[key]!] ?? 0) + e.input + e.output;
    return out;
  };
  const written = (v: unknown, key: 'agent' | 'team') => {
    const c = counts(v);
    return Object.keys(c).length ? c : sum(key);
  };
  return {
    // A negative or fractional count in a file counts as none.
    used: tokenCount(item.actualTokens) ?? list.reduce((n, e) => n + e.input + e.output, 0),
    estimated: tokenCount(item.estimatedTokens) ?? 0,
    byAgent: written(tu.by_agent, 'agent'),
    byTeam: written(tu.by_team, 'team'),
    byModel: sum('model'),
    entries: list,
  };
}

/**
 * An item's usage with everything below it: its own plus its children's, recursively. Comments hold
 * no tokens. An item is counted once even where broken data makes it its own ancestor.
 */
export function rolledUsage(index: TaskIndex, item: Item, memo = new Map<string, Usage>()): Usage {
  return roll(index, item, memo, new Set());
}

function roll(index: TaskIndex, item: Item, memo: Map<string, Usage>, path: Set<string>): Usage {
  const done = memo.get(item.file);
  if (done) return done;
  path.add(item.file);
  const own = itemUsage(item);
  const total: Usage = { ...own, byAgent: { ...own.byAgent }, byTeam: { ...own.byTeam }, byModel: { ...own.byModel }, entries: [...own.entries] };
  for (const child of index.children(item)) {
    if (child.type === 'comment' || path.has(child.file)) continue;
    merge(total, roll(index, child, memo, path));
  }
  path.delete(item.file);
  memo.set(item.file, total);
  return total;
}

function merge(into: Usage, from: Usage) {
  into.used += from.used;
  into.estimated += from.estimated;
  add(into.byAgent, from.byAgent);
  add(into.byTeam, from.byTeam);
  add(into.byModel, from.byModel);
  into.entries.push(...from.entries);
}

export interface EpicUsage {
  epic: Item;
  usage: Usage;
  budget?: number;
}

export interface ProjectUsage {
  /** Every item of the project counted once. */
  total: Usage;
  epics: EpicUsage[];
  /** Items under no epic of the project (orphans, or a chain that ends before an epic). */
  outsideEpics: Usage;
}

/** The project's usage: in all, per epic (with its budget), and what lies outside every epic. */
export function projectUsage(index: TaskIndex, root: string, config: ProjectConfig): ProjectUsage {
  const memo = new Map<string, Usage>();
  const total = emptyUsage();
  const epics: EpicUsage[] = [];
  const inEpics = new Set<string>();
  const collect = (item: Item) => {
    if (inEpics.has(item.file)) return;
    inEpics.add(item.file);
    for (const c of index.children(item)) if (c.type !== 'comment') collect(c);
  };
  for (const item of index.items(root)) {
    if (item.type === 'comment') continue;
    merge(total, itemUsage(item));
    if (item.type !== 'epic') continue;
    epics.push({ epic: item, usage: rolledUsage(index, item, memo), budget: epicBudget(item, config) });
    collect(item);
  }
  const outsideEpics = emptyUsage();
  for (const item of index.items(root)) if (item.type !== 'comment' && !inEpics.has(item.file)) merge(outsideEpics, itemUsage(item));
  return { total, epics, outsideEpics };
}

// ---- budgets and alerts

/** An epic's budget: its own token_budget, else the project's default_epic_budget. */
export function epicBudget(epic: Pick<Item, 'data'>, config: ProjectConfig): number | undefined {
  const raw = config.raw as Record<string, unknown>;
  return tokenCount(epic.data.token_budget) ?? tokenCount(record(raw.project)?.default_epic_budget) ?? tokenCount(raw.default_epic_budget);
}

/** Each team's budget from config.yaml `teams: {<name>: {token_budget}}`. */
export function teamBudgets(config: ProjectConfig): Record<string, number> {
  return counts(Object.fromEntries(Object.entries(config.raw.teams ?? {}).map(([name, t]) => [name, t?.token_budget])));
}

export interface BudgetLine {
  /** What the budget belongs to: an epic, or a team of the project. */
  kind: 'epic' | 'team';
  key: string;
  label: string;
  used: number;
  budget: number;
  ratio: number;
  epic?: Item;
}

/** Every epic and team of a project that has a budget, with what it used against it. */
export function budgetLines(usage: ProjectUsage, config: ProjectConfig): BudgetLine[] {
  const lines: BudgetLine[] = [];
  for (const e of usage.epics) {
    if (e.budget === undefined) continue;
    lines.push({ kind: 'epic', key: e.epic.id, label: `${e.epic.id} ${e.epic.title}`, used: e.usage.used, budget: e.budget, ratio: budgetRatio(e.usage.used, e.budget), epic: e.epic });
  }
  for (const [team, budget] of Object.entries(teamBudgets(config))) {
    const used = usage.total.byTeam[team] ?? 0;
    lines.push({ kind: 'team', key: team, label: `team ${team}`, used, budget, ratio: budgetRatio(used, budget) });
  }
  return lines;
}

export const DEFAULT_THRESHOLDS: readonly number[] = [0.75, 0.9, 1];

/** The alert thresholds: config.yaml `automation.budget_alerts: [{threshold}]`, else the defaults; sorted, each once. */
export function budgetThresholds(config: ProjectConfig): number[] {
  const alerts = record(config.raw.automation)?.budget_alerts;
  const list = Array.isArray(alerts)
    ? alerts.map((a) => record(a)?.threshold).filter((t): t is number => typeof t === 'number' && Number.isFinite(t) && t > 0)
    : [];
  return [...new Set(list.length ? list : DEFAULT_THRESHOLDS)].sort((a, b) => a - b);
}

const fmt = (n: number) => n.toLocaleString('en');

/**
 * The problem an epic has when it and everything under it used more than its budget: at its
 * token_budget value when the file names one, else at its id.
 */
export function overBudgetProblem(epic: Item, used: number, budget: number | undefined): Problem | undefined {
  if (budget === undefined || used <= budget) return undefined;
  const at = epic.keys.get('token_budget')?.value ?? epic.keys.get(epic.format === 'legacy' ? 'id' : 'epic_id')?.value;
  const pct = budget > 0 ? ` (${Math.round((used / budget) * 100)}%)` : '';
  const own = epic.keys.has('token_budget') ? 'its' : "the project's default";
  return {
    code: 'over-budget',
    severity: 'warning',
    message: `${epic.id} and its items used ${fmt(used)} tokens, over ${own} budget of ${fmt(budget)}${pct}.`,
    range: at ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 3 } },
    data: { value: epic.id },
  };
}

/** How much of a budget is used (0 when there is no budget to speak of). */
export function budgetRatio(used: number, budget: number | undefined): number {
  return budget && budget > 0 ? used / budget : 0;
}

/** The highest threshold a ratio has reached, if any. */
export function thresholdReached(ratio: number, thresholds: readonly number[]): number | undefined {
  let hit: number | undefined;
  for (const t of thresholds) if (ratio >= t) hit = t;
  return hit;
}

/** The thresholds a change of ratio crosses upwards: one alert each, however far it jumps. */
export function thresholdsCrossed(before: number, after: number, thresholds: readonly number[]): number[] {
  return thresholds.filter((t) => before < t && after >= t);
}

// ---- over time

export type Period = 'day' | 'week' | 'month';

/** The period an ISO timestamp falls in, in UTC: 2026-11-22, the Monday of its ISO week, or 2026-11. */
export function periodOf(at: string, period: Period): string | undefined {
  const t = Date.parse(at);
  if (Number.isNaN(t)) return undefined;
  const d = new Date(t);
  if (period === 'month') return d.toISOString().slice(0, 7);
  if (period === 'week') d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

/** Tokens per period, oldest first; entries without a time are left out. */
export function usageByPeriod(list: readonly UsageEntry[], period: Period): [string, number][] {
  const out = new Map<string, number>();
  for (const e of list) {
    const key = e.at && periodOf(e.at, period);
    if (key) out.set(key, (out.get(key) ?? 0) + e.input + e.output);
  }
  return [...out].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

// ---- logging usage

export interface NewUsage {
  input: number;
  output: number;
  cachedInput?: number;
  agent?: string;
  model?: string;
  team?: string;
  purpose?: string;
  /** ISO time of the use; now when absent. */
  at?: string;
  sourceKey?: string;
}

export class UsageInputError extends Error {}

function entryRecord(u: NewUsage, now: string): Record<string, unknown> {
  const counted = (n: number | undefined, what: string) => {
    if (n === undefined) return 0;
    if (!Number.isSafeInteger(n) || n < 0) throw new UsageInputError(`${what} must be a whole number of tokens, 0 or more.`);
    return n;
  };
  const input = counted(u.input, 'Input tokens');
  const output = counted(u.output, 'Output tokens');
  const cached = counted(u.cachedInput, 'Cached input tokens');
  if (input + output === 0) throw new UsageInputError('Nothing to log: input and output are both 0.');
  if (cached > input) throw new UsageInputError('Cached input tokens are part of the input: they cannot be more than it.');
  const at = text(u.at);
  const entry: Record<string, unknown> = { at: at && !Number.isNaN(Date.parse(at)) ? at : now };
  for (const k of ['agent', 'model', 'team'] as const) if (text(u[k])) entry[k] = text(u[k]);
  Object.assign(entry, { input, output });
  if (cached) entry.cached_input = cached;
  if (text(u.purpose)) entry.purpose = text(u.purpose);
  if (text(u.sourceKey)) entry.source_key = text(u.sourceKey);
  return entry;
}

/**
 * The frontmatter changes that log uses of tokens on an item: entries appended to
 * token_usage.entries, and the totals they feed raised — actual_tokens (written as a number, also
 * where the CLI wrote a string) in the CLI's files, token_usage.total in the older format's, and
 * by_agent / by_team where an agent or team is given.
 */
export function logUsageChanges(item: Item, uses: NewUsage | readonly NewUsage[], now = new Date()): FrontmatterChange[] {
  const list = Array.isArray(uses) ? uses : [uses as NewUsage];
  if (!list.length) throw new UsageInputError('Nothing to log.');
  const at = now.toISOString();
  const added = list.map((u) => entryRecord(u, at));
  const tu = record(item.data.token_usage) ?? {};
  const usage: Record<string, unknown> = { ...tu };
  let tokens = 0;
  const byAgent = counts(tu.by_agent);
  const byTeam = counts(tu.by_team);
  for (const e of added) {
    const n = (e.input as number) + (e.output as number);
    tokens += n;
    if (e.agent) byAgent[e.agent as string] = (byAgent[e.agent as string] ?? 0) + n;
    if (e.team) byTeam[e.team as string] = (byTeam[e.team as string] ?? 0) + n;
  }
  if (added.some((e) => e.agent)) usage.by_agent = byAgent;
  if (added.some((e) => e.team)) usage.by_team = byTeam;
  usage.entries = [...(Array.isArray(tu.entries) ? tu.entries : []), ...added];
  const legacy = item.format === 'legacy';
  if (legacy || tu.total !== undefined) usage.total = (tokenCount(tu.total) ?? 0) + tokens;

  const has = (k: string) => k in item.data;
  if (legacy) {
    const updated = item.data.updated;
    const dateOnly = typeof updated === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(updated);
    return [
      { key: 'token_usage', value: usage, after: has('token_budget') ? 'token_budget' : has('labels') ? 'labels' : 'status' },
      { key: 'updated', value: dateOnly ? at.slice(0, 10) : at, after: 'created' },
    ];
  }
  return [
    { key: 'actual_tokens', value: (tokenCount(item.actualTokens) ?? 0) + tokens, after: 'estimated_tokens' },
    { key: 'token_usage', value: usage, after: 'actual_tokens' },
    { key: 'updated_date', value: at, after: 'created_date' },
  ];
}
