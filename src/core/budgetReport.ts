/**
 * The token budget report: rows per epic, team, model and week from a project's usage and budget
 * lines, sorting of those rows by any column, and their export as GitHub markdown tables or as CSV.
 * Shared by the budget panel's host (which builds and exports it) and its webview (which sorts and
 * formats it), so it holds no Node-only code.
 */
import type { Project, TaskIndex } from './index';
import { costOf, PriceTable, priceOf } from './prices';
import { budgetLines, budgetRatio, budgetThresholds, projectUsage, ProjectUsage, UsageEntry, usageByPeriod } from './tokens';

/** What a budget line needs to say here (tokens.ts's BudgetLine has this shape). */
export interface ReportBudgetLine {
  kind: 'epic' | 'team';
  key: string;
  used: number;
  budget: number;
}

export interface BudgetReportInput {
  name: string;
  usage: ProjectUsage;
  thresholds: readonly number[];
  lines: readonly ReportBudgetLine[];
}

export interface EpicRow {
  id: string;
  title: string;
  /** The epic's file, so that the webview can ask to open it. */
  file: string;
  used: number;
  estimated: number;
  budget: number | null;
  ratio: number | null;
  /** USD; null when none of its tokens has a known price. */
  cost: number | null;
}

export interface TeamRow {
  team: string;
  used: number;
  budget: number | null;
  ratio: number | null;
}

export interface ModelRow {
  /** As the entries name it; NO_MODEL for entries that name none. */
  model: string;
  tokens: number;
  cost: number | null;
}

export interface AgentRow {
  agent: string;
  tokens: number;
  /** USD of its entries that name a model with a price; null when none does. */
  cost: number | null;
}

export interface WeekRow {
  /** The Monday of the ISO week, UTC. */
  week: string;
  tokens: number;
}

export interface BudgetReport {
  project: string;
  thresholds: number[];
  pricesAsOf: string;
  total: { used: number; estimated: number; cost: number; unpricedTokens: number };
  epics: EpicRow[];
  teams: TeamRow[];
  models: ModelRow[];
  weeks: WeekRow[];
}

export type TableKey = 'epics' | 'teams' | 'models' | 'weeks';
export type RowOf<K extends TableKey> = BudgetReport[K][number];
export type ColumnKind = 'text' | 'tokens' | 'ratio' | 'usd';
export interface ReportColumn<K extends TableKey = TableKey> {
  key: keyof RowOf<K> & string;
  label: string;
  kind: ColumnKind;
}

export const NO_MODEL = '(no model)';

export const TABLE_TITLES: Record<TableKey, string> = {
  epics: 'Epics',
  teams: 'Teams',
  models: 'Models',
  weeks: 'Weeks',
};

export const REPORT_COLUMNS: { [K in TableKey]: ReportColumn<K>[] } = {
  epics: [
    { key: 'id', label: 'Epic', kind: 'text' },
    { key: 'title', label: 'Title', kind: 'text' },
    { key: 'used', label: 'Used', kind: 'tokens' },
    { key: 'estimated', label: 'Estimated', kind: 'tokens' },
    { key: 'budget', label: 'Budget', kind: 'tokens' },
    { key: 'ratio', label: 'Used of budget', kind: 'ratio' },
    { key: 'cost', label: 'Cost (USD)', kind: 'usd' },
  ],
  teams: [
    { key: 'team', label: 'Team', kind: 'text' },
    { key: 'used', label: 'Used', kind: 'tokens' },
    { key: 'budget', label: 'Budget', kind: 'tokens' },
    { key: 'ratio', label: 'Used of budget', kind: 'ratio' },
  ],
  models: [
    { key: 'model', label: 'Model', kind: 'text' },
    { key: 'tokens', label: 'Tokens', kind: 'tokens' },
    { key: 'cost', label: 'Cost (USD)', kind: 'usd' },
  ],
  weeks: [
    { key: 'week', label: 'Week of', kind: 'text' },
    { key: 'tokens', label: 'Tokens', kind: 'tokens' },
  ],
};

export const TABLE_KEYS: readonly TableKey[] = ['epics', 'teams', 'models', 'weeks'];

/** Columns of agentRows(), which the panel does not show. */
export const AGENT_COLUMNS: { key: keyof AgentRow & string; label: string; kind: ColumnKind }[] = [
  { key: 'agent', label: 'Agent', kind: 'text' },
  { key: 'tokens', label: 'Tokens', kind: 'tokens' },
  { key: 'cost', label: 'Cost (USD)', kind: 'usd' },
];

const tokensOf = (e: UsageEntry) => e.input + e.output;

/** The cost of entries, or null when not one of them has a known price. */
function pricedCost(entries: readonly UsageEntry[], table: PriceTable): number | null {
  if (!entries.some((e) => priceOf(table, e.model))) return null;
  return costOf(entries, table).total;
}

export function buildBudgetReport(input: BudgetReportInput, prices: PriceTable): BudgetReport {
  const { usage } = input;
  const epicBudgets = new Map(input.lines.filter((l) => l.kind === 'epic').map((l) => [l.key, l.budget]));
  const epics: EpicRow[] = usage.epics.map((e) => {
    const budget = epicBudgets.get(e.epic.id) ?? e.budget ?? null;
    return {
      id: e.epic.id,
      title: e.epic.title,
      file: e.epic.file,
      used: e.usage.used,
      estimated: e.usage.estimated,
      budget,
      ratio: budget === null ? null : budgetRatio(e.usage.used, budget),
      cost: pricedCost(e.usage.entries, prices),
    };
  });

  const teamBudgets = new Map(input.lines.filter((l) => l.kind === 'team').map((l) => [l.key, l]));
  const teamNames = new Set([...teamBudgets.keys(), ...Object.keys(usage.total.byTeam)]);
  const teams: TeamRow[] = [...teamNames].map((team) => {
    const line = teamBudgets.get(team);
    const used = line?.used ?? usage.total.byTeam[team] ?? 0;
    const budget = line?.budget ?? null;
    return { team, used, budget, ratio: budget === null ? null : budgetRatio(used, budget) };
  });

  const byModel = new Map<string, UsageEntry[]>();
  for (const e of usage.total.entries) {
    const key = e.model ?? NO_MODEL;
    byModel.set(key, [...(byModel.get(key) ?? []), e]);
  }
  const models: ModelRow[] = [...byModel].map(([model, list]) => ({
    model,
    tokens: list.reduce((n, e) => n + tokensOf(e), 0),
    cost: pricedCost(list, prices),
  }));

  const weeks: WeekRow[] = usageByPeriod(usage.total.entries, 'week').map(([week, tokens]) => ({ week, tokens }));
  const total = costOf(usage.total.entries, prices);
  return {
    project: input.name,
    thresholds: [...input.thresholds],
    pricesAsOf: prices.asOf,
    total: { used: usage.total.used, estimated: usage.total.estimated, cost: total.total, unpricedTokens: total.unpricedTokens },
    epics: sortRows(epics, 'id', 'ascending'),
    teams: sortRows(teams, 'team', 'ascending'),
    models: sortRows(models, 'tokens', 'descending'),
    weeks,
  };
}

/** The report of a project as the index holds it now (what the budget panel shows). */
export function projectReport(index: TaskIndex, project: Project, prices: PriceTable): { report: BudgetReport; usage: ProjectUsage } {
  const usage = projectUsage(index, project.root, project.config);
  const input = { name: project.config.name, usage, thresholds: budgetThresholds(project.config), lines: budgetLines(usage, project.config) };
  return { report: buildBudgetReport(input, prices), usage };
}

/**
 * Tokens per agent (by_agent as written, else summed from the entries, rolled up over the project),
 * most first, with what the entries that name the agent cost.
 */
export function agentRows(usage: ProjectUsage, prices: PriceTable): AgentRow[] {
  const rows = Object.entries(usage.total.byAgent).map(([agent, tokens]) => ({
    agent,
    tokens,
    cost: pricedCost(usage.total.entries.filter((e) => e.agent === agent), prices),
  }));
  return sortRows(rows, 'tokens', 'descending');
}

// ---- sorting

export type SortDirection = 'ascending' | 'descending';

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/**
 * The rows sorted by one column (a copy): numbers by value, text in natural order (ISS-2 before
 * ISS-10); empty cells last in either direction; ties keep their order.
 */
export function sortRows<T extends object>(rows: readonly T[], key: keyof T, direction: SortDirection = 'ascending'): T[] {
  const sign = direction === 'ascending' ? 1 : -1;
  return rows
    .map((row, i) => ({ row, i }))
    .sort((a, b) => {
      const x = a.row[key] as unknown;
      const y = b.row[key] as unknown;
      const xEmpty = x === null || x === undefined || x === '';
      const yEmpty = y === null || y === undefined || y === '';
      if (xEmpty || yEmpty) return xEmpty === yEmpty ? a.i - b.i : xEmpty ? 1 : -1;
      const c = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
      return c ? sign * c : a.i - b.i;
    })
    .map((r) => r.row);
}

// ---- formatting and export

const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const usd = new Intl.NumberFormat('en', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A cell as people read it: 12,345 · 93% · $1.23; empty cells as an em dash. */
export function formatCell(value: unknown, kind: ColumnKind): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value !== 'number') return String(value);
  switch (kind) {
    case 'tokens':
      return integer.format(value);
    case 'ratio':
      return `${Math.round(value * 100)}%`;
    case 'usd':
      return value > 0 && value < 0.005 ? '< $0.01' : usd.format(value);
    default:
      return String(value);
  }
}

/** A markdown table cell: backslashes and pipes escaped, line breaks as spaces, no raw HTML. */
export function markdownCell(s: string): string {
  return s
    .replace(/[\\|`<>]/g, (c) => `\\${c}`)
    .replace(/\r\n|\r|\n/g, ' ');
}

function markdownTable<K extends TableKey>(key: K, rows: readonly RowOf<K>[]): string {
  const cols = REPORT_COLUMNS[key] as ReportColumn<K>[];
  const head = `| ${cols.map((c) => markdownCell(c.label)).join(' | ')} |`;
  const rule = `|${cols.map((c) => (c.kind === 'text' ? ':--' : '--:')).join('|')}|`;
  const body = rows.map((r) => `| ${cols.map((c) => markdownCell(formatCell(r[c.key], c.kind))).join(' | ')} |`);
  return [head, rule, ...body].join('\n');
}

/** The report as markdown: a heading, the totals, and one GitHub table per non-empty section. */
export function reportMarkdown(report: BudgetReport): string {
  const out = [`# Token budgets: ${markdownCell(report.project)}`, ''];
  const t = report.total;
  out.push(
    `${formatCell(t.used, 'tokens')} tokens used` +
      (t.estimated ? ` of ${formatCell(t.estimated, 'tokens')} estimated` : '') +
      `; cost ${formatCell(t.cost, 'usd')} at prices as of ${markdownCell(report.pricesAsOf)}` +
      (t.unpricedTokens ? ` (${formatCell(t.unpricedTokens, 'tokens')} tokens without a known price)` : '') +
      '.',
  );
  for (const key of TABLE_KEYS) {
    const rows = report[key] as RowOf<typeof key>[];
    if (!rows.length) continue;
    out.push('', `## ${TABLE_TITLES[key]}`, '', markdownTable(key, rows));
  }
  return `${out.join('\n')}\n`;
}

/** Text a spreadsheet would run as a formula (=, +, -, @, or a tab or CR first) gets a leading apostrophe. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const CSV_HEADER = ['section', 'name', 'title', 'used', 'estimated', 'budget', 'ratio', 'cost_usd'] as const;

const round = (n: number | null, digits: number) => (n === null ? null : Number(n.toFixed(digits)));

/**
 * The report as one CSV table (RFC 4180: CRLF line ends, fields quoted where they must be): a row per
 * epic, team, model and week, its section in the first column; numbers unformatted.
 */
export function reportCsv(report: BudgetReport): string {
  const rows: (string | number | null)[][] = [[...CSV_HEADER]];
  for (const e of report.epics) rows.push(['epic', e.id, e.title, e.used, e.estimated, e.budget, round(e.ratio, 4), round(e.cost, 4)]);
  for (const t of report.teams) rows.push(['team', t.team, null, t.used, null, t.budget, round(t.ratio, 4), null]);
  for (const m of report.models) rows.push(['model', m.model, null, m.tokens, null, null, null, round(m.cost, 4)]);
  for (const w of report.weeks) rows.push(['week', w.week, null, w.tokens, null, null, null, null]);
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
