/** `trackdown tokens report`: token usage, budgets and cost by epic, team, model, agent or week (the budget panel's figures). */
import { Option } from 'commander';
import type { ColumnKind } from '../../core/budgetReport';
import { defineCommand } from '../command';
import { EXIT } from '../exitCodes';
import { print, table } from '../output';
import { relativePath } from '../../core/paths';

type By = 'epic' | 'team' | 'model' | 'agent' | 'week';

interface ReportOptions {
  by: By;
  format: 'table' | 'json' | 'csv';
}

export default defineCommand<ReportOptions>({
  words: ['tokens', 'report'],
  define(cmd) {
    cmd
      .description('Token usage against budgets, with cost, as the budget panel shows it.')
      .addOption(new Option('--by <what>', 'one row per').choices(['epic', 'team', 'model', 'agent', 'week']).default('epic'))
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
      .addHelpText(
        'after',
        `
json: the rows as an array of objects (numbers unformatted; null where there is no budget or price);
csv: the same columns, RFC 4180.

Examples:
  $ trackdown tokens report
  $ trackdown tokens report --by model --format csv > cost.csv`,
      );
  },
  async run({ opts }) {
    const { openProject } = await import('../project');
    const { AGENT_COLUMNS, agentRows, csvField, formatCell, projectReport, REPORT_COLUMNS } = await import('../../core/budgetReport');
    const { projectPrices } = await import('../prices');
    const { index, project } = await openProject(opts);
    const prices = projectPrices(project);
    const { report, usage } = projectReport(index, project, prices);
    const pick = {
      epic: () => rowsOf(REPORT_COLUMNS.epics, report.epics.map((row) => ({ ...row, file: relativePath(project.root, row.file) }))),
      team: () => rowsOf(REPORT_COLUMNS.teams, report.teams),
      model: () => rowsOf(REPORT_COLUMNS.models, report.models),
      agent: () => rowsOf(AGENT_COLUMNS, agentRows(usage, prices)),
      week: () => rowsOf(REPORT_COLUMNS.weeks, report.weeks),
    };
    const { columns, rows } = pick[opts.by]();

    // Ratios and dollars to 4 places, as the panel's CSV export has them: no float noise (0.33954000000000006).
    const exact = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(4)) : v])));
    if (opts.format === 'json') {
      await print(JSON.stringify(exact, null, 2) + '\n');
    } else if (opts.format === 'csv') {
      const cell = (v: unknown) => csvField(typeof v === 'number' || typeof v === 'string' ? v : null);
      await print([columns.map((c) => c.key), ...exact.map((r) => columns.map((c) => r[c.key]))].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n');
    } else {
      const total = `${formatCell(report.total.used, 'tokens')} tokens used, ${formatCell(report.total.cost, 'usd')} at prices as of ${report.pricesAsOf}` +
        (report.total.unpricedTokens ? ` (${formatCell(report.total.unpricedTokens, 'tokens')} tokens without a known price)` : '');
      const body = rows.length ? table(columns.map((c) => c.label), rows.map((r) => columns.map((c) => formatCell(r[c.key], c.kind)))) : '';
      await print(`${total}\n${body ? `\n${body}` : ''}`);
    }
    return EXIT.ok;
  },
});

interface Column {
  key: string;
  label: string;
  kind: ColumnKind;
}

/** A table's columns and rows, with the rows as plain records to read cells from by key. */
function rowsOf<T extends object>(columns: { key: keyof T & string; label: string; kind: ColumnKind }[], rows: T[]): { columns: Column[]; rows: Record<string, unknown>[] } {
  return { columns, rows: rows as unknown as Record<string, unknown>[] };
}
