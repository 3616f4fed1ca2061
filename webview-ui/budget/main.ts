/**
 * The token budget panel in the webview: charts drawn as SVG (usage against budget per epic and team,
 * cost by model, tokens per week), the report's tables sortable by any column, and the export buttons.
 * The report comes whole from the host; the sort order is kept with setState. Every text from a task
 * file or config goes into the page as a text node or an attribute value, never as markup.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import {
  BudgetReport,
  ColumnKind,
  formatCell,
  REPORT_COLUMNS,
  ReportColumn,
  RowOf,
  SortDirection,
  sortRows,
  TABLE_KEYS,
  TABLE_TITLES,
  TableKey,
} from '../../src/core/budgetReport';
import type { BudgetHostMessage, BudgetViewState, BudgetWebviewMessage, ProjectRef } from '../shared/protocol';

interface VsCodeApi {
  postMessage(m: BudgetWebviewMessage): void;
  getState(): BudgetViewState | undefined;
  setState(s: BudgetViewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api = acquireVsCodeApi();
const post = (m: BudgetWebviewMessage) => api.postMessage(m);
let view: BudgetViewState = { sort: {}, ...api.getState() };
let project: ProjectRef | undefined;
let report: BudgetReport | undefined;
const saveState = () => api.setState({ ...view, root: project?.root });

// ---- DOM helpers

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined) node.textContent = text;
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
function svg(tag: string, attrs: Record<string, string | number> = {}, text?: string): SVGElement {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

const tokens = (n: number) => formatCell(n, 'tokens');
const pct = (r: number) => formatCell(r, 'ratio');
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** An accessible chart: role img, its summary as aria-label and as the SVG's own <title>. */
function chartSvg(width: number, height: number, label: string, cls: string): SVGElement {
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': label, class: `chart ${cls}` });
  root.append(svg('title', {}, label));
  return root;
}

// ---- page skeleton

const app = document.getElementById('app')!;
const header = el('header', 'header');
const heading = el('h1', 'title', 'Token budgets');
const summary = el('p', 'summary');
const actions = el('div', 'actions');
const exportMd = el('vscode-button' as 'button', 'export-markdown');
exportMd.textContent = 'Export Markdown';
const exportCsv = el('vscode-button' as 'button', 'export-csv');
exportCsv.textContent = 'Export CSV';
exportCsv.setAttribute('secondary', '');
for (const b of [exportMd, exportCsv]) b.setAttribute('icon', 'export');
actions.append(exportMd, exportCsv);
const status = el('div', 'status');
status.setAttribute('role', 'status');
status.setAttribute('aria-live', 'polite');
header.append(heading, summary, actions, status);
const charts = el('div', 'charts');
const tables = el('div', 'tables');
app.append(header, charts, tables);

exportMd.addEventListener('click', () => post({ type: 'export', format: 'markdown' }));
exportCsv.addEventListener('click', () => post({ type: 'export', format: 'csv' }));

// ---- charts

const CHART_WIDTH = 720;
const LABEL_WIDTH = 200;
const VALUE_WIDTH = 190;
const ROW_HEIGHT = 26;
const BAR_HEIGHT = 14;

interface BudgetBar {
  kind: 'epic' | 'team';
  key: string;
  label: string;
  used: number;
  budget: number | null;
  ratio: number | null;
}

function barClass(b: BudgetBar, thresholds: readonly number[]): string {
  if (b.ratio === null) return 'used';
  if (b.ratio > 1) return 'used over';
  const warn = thresholds.filter((t) => t < 1);
  return warn.length && b.ratio >= warn[warn.length - 1] ? 'used near' : 'used';
}

function budgetChart(r: BudgetReport): HTMLElement {
  const bars: BudgetBar[] = [
    ...r.epics.map((e) => ({ kind: 'epic' as const, key: e.id, label: `${e.id} ${e.title}`, used: e.used, budget: e.budget, ratio: e.ratio })),
    ...r.teams.map((t) => ({ kind: 'team' as const, key: t.team, label: `team ${t.team}`, used: t.used, budget: t.budget, ratio: t.ratio })),
  ];
  const section = chartSection('Usage against budget', 'usage-budget');
  if (!bars.length) return emptyChart(section, 'No epic or team yet.');
  const describe = (b: BudgetBar) =>
    b.budget === null ? `${b.label}: ${tokens(b.used)} tokens, no budget` : `${b.label}: ${tokens(b.used)} of ${tokens(b.budget)} tokens (${pct(b.ratio ?? 0)})${(b.ratio ?? 0) > 1 ? ', over budget' : ''}`;
  const label = `Usage against budget. ${bars.map(describe).join('; ')}.`;
  const height = bars.length * ROW_HEIGHT + 8;
  const root = chartSvg(CHART_WIDTH, height, label, 'budget-chart');
  const span = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const max = Math.max(1, ...bars.map((b) => Math.max(b.used, b.budget ?? 0)));
  const x = (n: number) => LABEL_WIDTH + (n / max) * span;
  bars.forEach((b, i) => {
    const y = 4 + i * ROW_HEIGHT;
    const g = svg('g', { class: `bar-row ${b.kind}`, 'data-key': b.key });
    g.append(svg('title', {}, describe(b)));
    g.append(svg('text', { x: LABEL_WIDTH - 8, y: y + ROW_HEIGHT / 2, 'text-anchor': 'end', 'dominant-baseline': 'middle', class: 'label' }, clip(b.label, 26)));
    const top = y + (ROW_HEIGHT - BAR_HEIGHT) / 2;
    if (b.budget !== null) g.append(svg('rect', { x: LABEL_WIDTH, y: top, width: Math.max(0, x(b.budget) - LABEL_WIDTH), height: BAR_HEIGHT, class: 'budget' }));
    g.append(svg('rect', { x: LABEL_WIDTH, y: top + 3, width: Math.max(b.used > 0 ? 1 : 0, x(b.used) - LABEL_WIDTH), height: BAR_HEIGHT - 6, class: barClass(b, r.thresholds) }));
    if (b.budget !== null) {
      for (const t of r.thresholds) {
        const tx = x(b.budget * t);
        g.append(svg('line', { x1: tx, x2: tx, y1: top - 2, y2: top + BAR_HEIGHT + 2, class: t >= 1 ? 'mark budget-mark' : 'mark threshold', 'data-threshold': t }));
      }
    }
    const value = b.budget === null ? `${tokens(b.used)} · no budget` : `${tokens(b.used)} / ${tokens(b.budget)} (${pct(b.ratio ?? 0)})`;
    g.append(svg('text', { x: CHART_WIDTH - VALUE_WIDTH + 8, y: y + ROW_HEIGHT / 2, 'dominant-baseline': 'middle', class: `value${(b.ratio ?? 0) > 1 ? ' over' : ''}` }, value));
    root.append(g);
  });
  section.append(root, legend());
  return section;
}

function legend(): HTMLElement {
  const l = el('p', 'legend');
  const item = (cls: string, text: string) => {
    const s = el('span', 'legend-item');
    const swatch = el('span', `swatch ${cls}`);
    swatch.setAttribute('aria-hidden', 'true');
    s.append(swatch, document.createTextNode(text));
    return s;
  };
  l.append(item('used', 'used'), item('near', 'past the last warning threshold'), item('over', 'over budget'), item('threshold', 'alert thresholds'));
  return l;
}

function costChart(r: BudgetReport): HTMLElement {
  const section = chartSection('Cost by model', 'cost-model');
  if (!r.models.length) return emptyChart(section, 'No usage entries name a model yet.');
  const rows = sortRows(r.models, 'cost', 'descending');
  const describe = (m: RowOf<'models'>) => `${m.model}: ${m.cost === null ? 'no known price' : formatCell(m.cost, 'usd')} for ${tokens(m.tokens)} tokens`;
  const label = `Cost by model, total ${formatCell(r.total.cost, 'usd')}. ${rows.map(describe).join('; ')}.`;
  const root = chartSvg(CHART_WIDTH, rows.length * ROW_HEIGHT + 8, label, 'cost-chart');
  const span = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const max = Math.max(1e-9, ...rows.map((m) => m.cost ?? 0));
  rows.forEach((m, i) => {
    const y = 4 + i * ROW_HEIGHT;
    const g = svg('g', { class: 'bar-row model', 'data-key': m.model });
    g.append(svg('title', {}, describe(m)));
    g.append(svg('text', { x: LABEL_WIDTH - 8, y: y + ROW_HEIGHT / 2, 'text-anchor': 'end', 'dominant-baseline': 'middle', class: 'label' }, clip(m.model, 26)));
    const w = m.cost ? Math.max(1, (m.cost / max) * span) : 0;
    g.append(svg('rect', { x: LABEL_WIDTH, y: y + (ROW_HEIGHT - BAR_HEIGHT) / 2, width: w, height: BAR_HEIGHT, class: 'cost' }));
    const value = m.cost === null ? `no price · ${tokens(m.tokens)} tokens` : `${formatCell(m.cost, 'usd')} · ${tokens(m.tokens)} tokens`;
    g.append(svg('text', { x: LABEL_WIDTH + w + 6, y: y + ROW_HEIGHT / 2, 'dominant-baseline': 'middle', class: 'value' }, value));
    root.append(g);
  });
  section.append(root);
  return section;
}

const WEEK_HEIGHT = 180;

function weekChart(r: BudgetReport): HTMLElement {
  const section = chartSection('Usage over time (tokens per week)', 'usage-time');
  if (!r.weeks.length) return emptyChart(section, 'No usage entries with a time yet.');
  const label = `Tokens per week. ${r.weeks.map((w) => `week of ${w.week}: ${tokens(w.tokens)}`).join('; ')}.`;
  const slot = Math.max(28, Math.min(72, (CHART_WIDTH - 40) / r.weeks.length));
  const width = Math.max(CHART_WIDTH, 40 + slot * r.weeks.length);
  const root = chartSvg(width, WEEK_HEIGHT + 40, label, 'week-chart');
  const max = Math.max(1, ...r.weeks.map((w) => w.tokens));
  root.append(svg('line', { x1: 30, x2: width - 4, y1: WEEK_HEIGHT + 10, y2: WEEK_HEIGHT + 10, class: 'axis' }));
  r.weeks.forEach((w, i) => {
    const h = (w.tokens / max) * (WEEK_HEIGHT - 20);
    const x = 36 + i * slot;
    const g = svg('g', { class: 'column', 'data-week': w.week });
    g.append(svg('title', {}, `Week of ${w.week}: ${tokens(w.tokens)} tokens`));
    g.append(svg('rect', { x, y: WEEK_HEIGHT + 10 - h, width: slot * 0.7, height: h, class: 'week' }));
    g.append(svg('text', { x: x + slot * 0.35, y: WEEK_HEIGHT + 4 - h, 'text-anchor': 'middle', class: 'value small' }, formatCompact(w.tokens)));
    g.append(svg('text', { x: x + slot * 0.35, y: WEEK_HEIGHT + 26, 'text-anchor': 'middle', class: 'label small' }, w.week.slice(5)));
    root.append(g);
  });
  section.append(root);
  return section;
}

const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
const formatCompact = (n: number) => compact.format(n);

function chartSection(title: string, id: string): HTMLElement {
  const s = el('section', `chart-section ${id}`);
  s.setAttribute('aria-labelledby', `${id}-title`);
  const h = el('h2', undefined, title);
  h.id = `${id}-title`;
  s.append(h);
  return s;
}

function emptyChart(section: HTMLElement, text: string): HTMLElement {
  section.append(el('p', 'empty', text));
  return section;
}

// ---- tables

function sortOf(key: TableKey): { key: string; direction: SortDirection } | undefined {
  return view.sort?.[key];
}

function setSort(table: TableKey, column: string) {
  const cur = sortOf(table);
  const direction: SortDirection = cur?.key === column && cur.direction === 'ascending' ? 'descending' : 'ascending';
  view = { ...view, sort: { ...view.sort, [table]: { key: column, direction } } };
  saveState();
  renderTables();
  // The header clicked keeps the focus across the re-render.
  (tables.querySelector(`table[data-table="${table}"] th[data-key="${column}"] button`) as HTMLElement | null)?.focus();
}

function tableElement<K extends TableKey>(key: K, rows: readonly RowOf<K>[]): HTMLElement {
  const cols = REPORT_COLUMNS[key] as ReportColumn<K>[];
  const section = el('section', `table-section ${key}`);
  const table = el('table', 'report');
  table.dataset.table = key;
  table.append(el('caption', undefined, TABLE_TITLES[key]));
  const sort = sortOf(key);
  const sorted = sort && cols.some((c) => c.key === sort.key) ? sortRows(rows, sort.key as keyof RowOf<K>, sort.direction) : rows;
  const head = el('tr');
  for (const c of cols) {
    const th = el('th', numeric(c.kind) ? 'num' : undefined);
    th.scope = 'col';
    th.dataset.key = c.key;
    th.setAttribute('aria-sort', sort?.key === c.key ? sort.direction : 'none');
    const b = el('button', 'sort', c.label);
    b.type = 'button';
    b.title = `Sort by ${c.label}`;
    const arrow = el('span', `codicon ${sort?.key === c.key ? (sort.direction === 'ascending' ? 'codicon-arrow-up' : 'codicon-arrow-down') : ''}`);
    arrow.setAttribute('aria-hidden', 'true');
    b.append(arrow);
    b.addEventListener('click', () => setSort(key, c.key));
    th.append(b);
    head.append(th);
  }
  const thead = el('thead');
  thead.append(head);
  const tbody = el('tbody');
  for (const row of sorted) {
    const tr = el('tr');
    cols.forEach((c, i) => {
      const value = row[c.key] as unknown;
      const td = el(i === 0 ? 'th' : 'td', numeric(c.kind) ? 'num' : undefined) as HTMLTableCellElement;
      if (i === 0) td.setAttribute('scope', 'row');
      td.dataset.key = c.key;
      if (key === 'epics' && c.key === 'id') {
        const file = (row as RowOf<'epics'>).file;
        const open = el('button', 'link', formatCell(value, c.kind));
        open.type = 'button';
        open.title = 'Open the epic beside this panel';
        open.addEventListener('click', () => post({ type: 'open', file }));
        td.append(open);
      } else {
        td.textContent = formatCell(value, c.kind);
      }
      if (c.kind === 'ratio' && typeof value === 'number' && value > 1) td.classList.add('over');
      tr.append(td);
    });
    tbody.append(tr);
  }
  table.append(thead, tbody);
  section.append(table);
  if (!rows.length) section.append(el('p', 'empty', `No ${TABLE_TITLES[key].toLowerCase()} to show.`));
  return section;
}

const numeric = (k: ColumnKind) => k !== 'text';

function renderTables() {
  if (!report) return;
  const r = report;
  tables.replaceChildren(...TABLE_KEYS.map((k) => tableElement(k, r[k] as RowOf<typeof k>[])));
}

function render() {
  if (!report) return;
  const r = report;
  heading.textContent = `Token budgets: ${project?.name ?? r.project}`;
  const t = r.total;
  summary.textContent =
    `${tokens(t.used)} tokens used` +
    (t.estimated ? ` of ${tokens(t.estimated)} estimated` : '') +
    ` · cost ${formatCell(t.cost, 'usd')} at prices as of ${r.pricesAsOf}` +
    (t.unpricedTokens ? ` (${tokens(t.unpricedTokens)} tokens without a known price)` : '') +
    ` · alerts at ${r.thresholds.map(pct).join(', ')}`;
  charts.replaceChildren(budgetChart(r), costChart(r), weekChart(r));
  renderTables();
  app.removeAttribute('aria-busy');
}

// ---- messages from the host

window.addEventListener('message', (e: MessageEvent<BudgetHostMessage>) => {
  const m = e.data;
  switch (m?.type) {
    case 'report':
      project = m.project;
      report = m.report;
      saveState();
      render();
      document.body.dataset.ready = 'true';
      break;
    case 'exportResult':
      status.textContent = m.message;
      status.dataset.kind = m.ok ? 'info' : 'error';
      break;
  }
});

post({ type: 'ready' });
