/** What the command-line benchmarks share: their options, timing by median of runs, and a table of results. */
import { execFileSync } from 'child_process';
import * as os from 'os';

export const arg = (name: string, dflt: string): string => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt;
export const sizes = (): number[] => arg('sizes', '1000,10000').split(',').map(Number);
export const runs = (): number => Number(arg('runs', '5'));

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

/**
 * With --expose-gc, collect before each run: a run then starts as a fresh extension host would,
 * without the garbage of the run before (a whole index, for a cold index).
 */
const collect = (): void => (globalThis as { gc?: () => void }).gc?.();

/**
 * Write a fresh corpus to disk before timing anything: the kernel's writeback of thousands of new files
 * would otherwise run during the first measured runs, on the same two cores. (Where `sync` is missing,
 * the runs just start sooner.)
 */
export function settle(): void {
  try {
    execFileSync('sync', { stdio: 'ignore' });
  } catch {
    // not a POSIX system
  }
}

/** Median ms of `n` runs of `fn`, after one warm-up run (the OS file cache and the JIT). */
export function timeRuns(fn: () => unknown, n: number): number {
  fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    collect();
    const t0 = process.hrtime.bigint();
    fn();
    times.push(ms(t0));
  }
  return median(times);
}

/** The same for work that awaits. */
export async function timeRunsAsync(fn: () => Promise<unknown> | unknown, n: number): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    collect();
    const t0 = process.hrtime.bigint();
    await fn();
    times.push(ms(t0));
  }
  return median(times);
}

/** A markdown table of right-aligned cells, under a line naming the machine and the runs. */
/** `caption`: the first line, where the runs were not made in this process. */
export function printTable(head: string[], rows: string[][], n: number, caption?: string): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padStart(widths[i])).join(' | ') + ' |';
  const gc = (globalThis as { gc?: unknown }).gc ? ', a full GC before each' : '';
  console.log(caption ?? `node ${process.version}, ${os.cpus().length} cores, median of ${n} runs after a warm-up${gc}`);
  console.log(line(head));
  console.log('|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|');
  for (const r of rows) console.log(line(r));
}
