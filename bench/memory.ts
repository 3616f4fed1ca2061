/** Memory of a full index, in a fresh process: heap held by the index after GC, and the peak RSS. */
import { TaskIndex } from '../src/core/index';
import { indexProject, loadProject } from '../src/core/project';

async function main() {
  const root = process.argv[2];
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const base = process.memoryUsage().heapUsed;
  const project = await loadProject(root);
  const index = new TaskIndex();
  index.setProject(project);
  await indexProject(index, project);
  gc?.();
  const held = process.memoryUsage().heapUsed - base;
  const peak = process.resourceUsage().maxRSS / 1024;
  console.log(`${(held / 1048576).toFixed(0)} / ${peak.toFixed(0)}${index.size ? '' : ' (empty)'}`);
}

void main();
