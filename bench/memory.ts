/**
 * A full index in a fresh process, as an editor starting up makes it (nothing compiled yet): how long
 * it takes, the heap held by the index after GC, and the peak RSS. Prints the three numbers.
 */
import { TaskIndex } from '../src/core/index';
import { indexProject, loadProject } from '../src/core/project';

async function main() {
  const root = process.argv[2];
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const base = process.memoryUsage().heapUsed;
  const project = await loadProject(root);
  const t0 = performance.now();
  const index = new TaskIndex();
  index.setProject(project);
  await indexProject(index, project);
  const ms = performance.now() - t0;
  gc?.();
  const held = process.memoryUsage().heapUsed - base;
  const peak = process.resourceUsage().maxRSS / 1024;
  if (!index.size) throw new Error(`nothing indexed in ${root}`);
  console.log(`${ms.toFixed(0)} ${(held / 1048576).toFixed(0)} ${peak.toFixed(0)}`);
}

void main();
