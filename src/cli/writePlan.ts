/**
 * How a command that changes items shows and writes an operation's plan: each file with its changed
 * keys (old → new), then the write through the file-system writer, which refuses a file changed since
 * it was read. `--dry-run` stops after the list.
 */
import * as path from 'path';
import { FsWriter } from '../core/ops/fsWriter';
import { ItemChanges } from '../core/ops/plan';
import { run } from '../core/ops/writer';
import { print, terminalText } from './output';

const shown = (v: unknown): string => (v === undefined ? '(none)' : terminalText(typeof v === 'string' ? v : JSON.stringify(v)));

/** The plan as text: a file's path (relative to the project), then one `key: old → new` line per change. */
export function describePlan(plan: readonly ItemChanges[], root: string): string {
  return plan
    .map(({ item, changes }) => {
      const lines = changes.map((c) => `  ${c.key}: ${shown(item.data[c.key])} → ${'remove' in c ? '(removed)' : shown(c.value)}`);
      return [path.relative(root, item.file).split(path.sep).join('/'), ...lines].join('\n') + '\n';
    })
    .join('');
}

/** Print the plan and, unless `dryRun`, write it; optional parts that could not be written are warned about. */
export async function writePlan(plan: readonly ItemChanges[], root: string, dryRun: boolean): Promise<void> {
  if (!plan.length) {
    process.stderr.write('trackdown: nothing to change.\n');
    return;
  }
  if (dryRun) {
    await print(describePlan(plan, root));
    process.stderr.write('trackdown: dry run: nothing was written.\n');
    return;
  }
  const skipped = await run(new FsWriter(), plan);
  await print(describePlan(plan, root));
  for (const s of skipped) process.stderr.write(`trackdown: warning: ${path.basename(s.entry.item.file)} was left as it was: ${s.error.message}\n`);
}
