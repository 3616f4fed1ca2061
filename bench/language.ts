/**
 * The core work behind diagnostics and the language features on generated corpora: every file's
 * problems (what the first diagnostics push computes), the files one change re-checks, one re-check
 * while typing, completions, id lookup and "fix all". Prints medians in ms.
 * Usage: node scripts/build.mjs --tests && node out/bench/language.js [--sizes=1000,10000 --runs=5]
 */
import { promises as fsp } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { fixAll } from '../src/core/fixes';
import { frontmatterContextAt } from '../src/core/frontmatterContext';
import { idAt, knownPrefixes, resolveId } from '../src/core/idLookup';
import { TaskIndex } from '../src/core/index';
import { LinkDependents } from '../src/core/linkDependents';
import { parseItem } from '../src/core/parse';
import { indexProject, loadProject } from '../src/core/project';
import { choicesFor, idChoices } from '../src/core/valueChoices';
import { writeCorpus } from './corpus';
import { runs as benchRuns, settle, sizes as benchSizes, timeRuns } from './measure';

const sizes = benchSizes();
const runs = benchRuns();
const time = (fn: () => unknown) => timeRuns(fn, runs);

/** What the diagnostics module computes per file: own problems, cross-file problems and a signature. */
function allProblems(index: TaskIndex, deps: LinkDependents): number {
  let withProblems = 0;
  for (const e of index.allEntries()) {
    deps.indexChanged(e.file, e.item);
    deps.setShown(e.file, e.item);
    const problems = [...e.problems, ...index.linkProblems(e.item)];
    if (problems.length && JSON.stringify(problems.map((p) => [p.code, p.severity, p.message, p.range]))) withProblems++;
  }
  return withProblems;
}

async function main() {
  const rows: string[][] = [];
  for (const n of sizes) {
    const root = path.join(os.tmpdir(), `aitd-bench-lang-${n}`);
    writeCorpus(root, n);
    settle();
    const project = await loadProject(root);
    const index = new TaskIndex();
    index.setProject(project);
    await indexProject(index, project);
    const deps = new LinkDependents();
    let withProblems = 0;
    const full = time(() => (withProblems = allProblems(index, deps)));

    // One saved edit that keeps the id, and one new epic that the issues of a missing epic point to.
    const issue = [...index.items()].find((i) => i.type === 'issue' && index.children(i).length > 0)!;
    const issueText = await fsp.readFile(issue.file, 'utf8');
    let sameId = 0;
    const save = time(() => {
      index.set(issue.file, issueText.replace(/^title: .*$/m, `title: edited ${Math.random()}`));
      sameId = deps.indexChanged(issue.file, index.entry(issue.file)?.item).size;
    });
    const newFile = path.join(root, project.config.tasksDir, project.config.dirs.issue, 'ISS-99999-new.md');
    const created = deps.indexChanged(newFile, (index.set(newFile, `---\nissue_id: ${issue.id}\ntitle: clash\n---\n`), index.entry(newFile)?.item)).size;

    const ctx = { file: issue.file, root, type: issue.type, config: project.config };
    const typing = time(() => {
      const r = parseItem(issueText, ctx);
      index.linkProblems(r.item);
    });
    const epicAt = issueText.indexOf('epic_id: ') + 9;
    let offered = 0;
    const complete = time(() => {
      const c = frontmatterContextAt(issueText, epicAt)!;
      const choices = choicesFor(c.path[0], 'cli', c.inList);
      offered = choices?.kind === 'ids' ? idChoices(index, root, choices.types, issue.file).length : 0;
    });
    const line = `See ${issue.id} for details.`;
    const lookup = time(() => resolveId(index, issue.file, idAt(line, 6, knownPrefixes(index))!.id));
    const fix = time(() => fixAll(issueText, ctx));
    rows.push([
      String(index.size),
      `${full.toFixed(1)} (${withProblems} with problems)`,
      `${save.toFixed(2)} → ${sameId} file`,
      `${created} files`,
      typing.toFixed(2),
      `${complete.toFixed(2)} (${offered} epics)`,
      lookup.toFixed(3),
      fix.toFixed(2),
    ]);
    await fsp.rm(root, { recursive: true, force: true });
  }
  const head = ['files', 'all problems', 'save, same id', 'new dup id re-checks', 'typing re-check', 'completion', 'hover lookup', 'fix all'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(fmt(head));
  for (const r of rows) console.log(fmt(r));
}

void main();
