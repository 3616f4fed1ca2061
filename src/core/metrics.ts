/**
 * A project's figures for monitoring (Prometheus gauges): items per state, items automation may take,
 * open items stuck in their state, and tokens, budgets and cost per epic, team and model, from the same
 * roll-up and prices as the budget panel.
 */
import type { Project, TaskIndex } from './index';
import { projectReport } from './budgetReport';
import { STATES } from './model';
import type { PriceTable } from './prices';
import { isOpen } from './workflow';

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  help: string;
  type: 'gauge';
  samples: Sample[];
}

export interface MetricsOptions {
  now: Date;
  /** An open item whose state_metadata.transitioned_at is older than this is stuck. */
  stuckHours: number;
  prices: PriceTable;
}

const gauge = (name: string, help: string, samples: Sample[]): MetricFamily => ({ name, help, type: 'gauge', samples });
const record = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

export function projectMetrics(index: TaskIndex, project: Project, options: MetricsOptions): MetricFamily[] {
  const items = [...index.items(project.root)].filter((i) => i.type !== 'comment');
  const byState = new Map<string, number>(STATES.map((s) => [s, 0]));
  const stuck = new Map<string, number>(STATES.filter(isOpen).map((s) => [s, 0]));
  const cutoff = options.now.getTime() - options.stuckHours * 3600_000;
  let eligible = 0;
  for (const item of items) {
    const meta = record(item.data.state_metadata);
    if (meta?.automation_eligible === true) eligible++;
    if (!item.state) continue;
    byState.set(item.state, byState.get(item.state)! + 1);
    const since = typeof meta?.transitioned_at === 'string' ? Date.parse(meta.transitioned_at) : NaN;
    if (isOpen(item.state) && since < cutoff) stuck.set(item.state, stuck.get(item.state)! + 1);
  }

  const { report } = projectReport(index, project, options.prices);
  // Two epics with one id (a duplicate, reported by check) would make one series twice, which spoils the scrape.
  const epics = report.epics.filter((e, i, all) => all.findIndex((o) => o.id === e.id) === i);
  const byEpic = (value: (e: (typeof epics)[number]) => number | null) =>
    epics.flatMap((e) => (value(e) === null ? [] : [{ labels: { epic: e.id }, value: value(e)! }]));
  const byTeam = (value: (t: (typeof report.teams)[number]) => number | null) =>
    report.teams.flatMap((t) => (value(t) === null ? [] : [{ labels: { team: t.team }, value: value(t)! }]));
  const byModel = (value: (m: (typeof report.models)[number]) => number | null) =>
    report.models.flatMap((m) => (value(m) === null ? [] : [{ labels: { model: m.model }, value: value(m)! }]));

  return [
    gauge('aitrackdown_tickets_by_state', 'Items (epics, issues, tasks, PRs) in each state.', [...byState].map(([state, value]) => ({ labels: { state }, value }))),
    gauge('aitrackdown_automation_eligible', 'Items whose state_metadata.automation_eligible is true.', [{ labels: {}, value: eligible }]),
    gauge(
      'aitrackdown_stuck_tickets',
      `Open items in their state for more than ${options.stuckHours} hours (by state_metadata.transitioned_at).`,
      [...stuck].map(([state, value]) => ({ labels: { state }, value })),
    ),
    gauge('aitrackdown_tokens_used', 'Tokens used by all items of the project.', [{ labels: {}, value: report.total.used }]),
    gauge('aitrackdown_cost_usd', `Cost in USD of the logged token usage with a known price (prices as of ${report.pricesAsOf}).`, [{ labels: {}, value: report.total.cost }]),
    gauge('aitrackdown_unpriced_tokens', 'Logged tokens of models without a known price, left out of the cost.', [{ labels: {}, value: report.total.unpricedTokens }]),
    gauge('aitrackdown_epic_tokens_used', 'Tokens used by each epic and everything under it.', byEpic((e) => e.used)),
    gauge('aitrackdown_epic_token_budget', 'Token budget of each epic that has one.', byEpic((e) => e.budget)),
    gauge('aitrackdown_epic_cost_usd', 'Cost in USD of each epic and everything under it, where prices are known.', byEpic((e) => e.cost)),
    gauge('aitrackdown_team_tokens_used', 'Tokens used by each team.', byTeam((t) => t.used)),
    gauge('aitrackdown_team_token_budget', 'Token budget of each team that has one.', byTeam((t) => t.budget)),
    gauge('aitrackdown_model_tokens', 'Logged tokens per model.', byModel((m) => m.tokens)),
    gauge('aitrackdown_model_cost_usd', 'Cost in USD per model, where its price is known.', byModel((m) => m.cost)),
  ];
}
