/** `trackdown metrics`: the project's figures in the Prometheus text format, on stdout or into a file for node_exporter. */
import * as fs from 'fs';
import * as path from 'path';
import { InvalidArgumentError } from 'commander';
import { defineCommand } from '../command';
import { CliError, EXIT } from '../exitCodes';
import { print } from '../output';

interface MetricsOptions {
  out?: string;
  stuckHours: number;
}

function hours(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(n)) throw new InvalidArgumentError('expected a number of hours, 0 or more.');
  return n;
}

export default defineCommand<MetricsOptions>({
  words: ['metrics'],
  define(cmd) {
    cmd
      .description('Print Prometheus metrics: items per state, automation-eligible and stuck items, tokens, budgets and cost.')
      .option('--out <file>', 'write them to this file instead (through a temp file in its folder and a rename, as the node_exporter textfile collector needs)')
      .option('--stuck-hours <hours>', 'an open item is stuck after this many hours in its state (by state_metadata.transitioned_at)', hours, 24)
      .addHelpText(
        'after',
        `
Examples:
  $ trackdown metrics
  $ trackdown metrics --out /var/lib/node_exporter/textfile_collector/aitrackdown.prom`,
      );
  },
  async run({ opts }) {
    const out = opts.out === undefined ? undefined : path.resolve(opts.out);
    if (out && !fs.statSync(path.dirname(out), { throwIfNoEntry: false })?.isDirectory()) {
      throw new CliError(`--out ${opts.out}: the folder ${path.dirname(out)} does not exist.`, EXIT.notFound);
    }
    const { openProject } = await import('../project');
    const { projectMetrics } = await import('../../core/metrics');
    const { projectPrices } = await import('../prices');
    const { exposition } = await import('../prometheus');
    const { index, project } = await openProject(opts);
    const text = exposition(projectMetrics(index, project, { now: new Date(), stuckHours: opts.stuckHours, prices: projectPrices(project) }));
    if (!out) {
      await print(text);
      return EXIT.ok;
    }
    const { saveFile } = await import('../../core/atomicWrite');
    await saveFile(out, text, { within: null });
    return EXIT.ok;
  },
});
