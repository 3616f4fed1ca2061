/**
 * One Change State in a process of its own, through the file-system writer, for the test of two
 * processes changing one item at once. It loads and indexes the project, plans, then waits for a line
 * on stdin so that both start writing together, and prints `{ok}` or `{error, message}` as JSON.
 *   node opsChild.js <root> <id> <to> <by> <now ISO> <pause before rename, ms>
 */
import { TaskIndex } from '../../../src/core/index';
import { FsWriter } from '../../../src/core/ops/fsWriter';
import { planChangeState } from '../../../src/core/ops/state';
import { run } from '../../../src/core/ops/writer';
import { indexProject, loadProject } from '../../../src/core/project';

async function main(): Promise<void> {
  const [root, id, to, by, now, pause] = process.argv.slice(2);
  const project = await loadProject(root);
  const index = new TaskIndex();
  index.setProject(project);
  await indexProject(index, project);
  const plan = planChangeState(index, project, { item: id, to, by }, new Date(now));
  // A pause between the writer's last check and its rename makes the two writes overlap for certain.
  const hooks = Number(pause) ? { beforeRename: () => new Promise((r) => setTimeout(r, Number(pause))) } : undefined;
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  process.stdin.destroy();
  try {
    await run(new FsWriter({ hooks }), plan);
    process.stdout.write(JSON.stringify({ ok: true }));
  } catch (e) {
    process.stdout.write(JSON.stringify({ error: (e as Error).constructor.name, message: (e as Error).message }));
  }
}

void main();
