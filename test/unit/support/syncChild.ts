/**
 * One GitHub sync run in a process of its own, for the tests of runs in two processes at once. It waits
 * for a line on stdin, so that two of them start together, then prints `{summary}` or `{error}` as JSON.
 *   node syncChild.js <project root> <api url> <owner> <repo> <token>
 */
import { loadProject } from '../../../src/core/project';
import { runSync } from '../../../src/core/sync/engine';
import { GitHubProvider } from '../../../src/core/sync/github';
import { FileStore } from '../../../src/core/sync/store';

async function main(): Promise<void> {
  const [root, apiUrl, owner, repo, token] = process.argv.slice(2);
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
  process.stdin.destroy();
  const project = await loadProject(root);
  const provider = new GitHubProvider({ apiUrl, owner, repo, token, http: { timeoutMs: 10_000 } });
  try {
    // Long enough for the other run to finish: this test is about what two runs leave, not about waiting.
    const summary = await runSync({ project, provider, store: new FileStore(project), lockWaitMs: 30_000 });
    process.stdout.write(JSON.stringify({ summary }));
  } catch (e) {
    process.stdout.write(JSON.stringify({ error: (e as Error).message }));
  }
}

void main();
