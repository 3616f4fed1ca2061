/**
 * The problems the editor shows for task files and config.yaml, as one list per file: a file's own
 * problems (syntax, schema, id), those that depend on other files (links, duplicate ids), an epic over
 * its budget, and config.yaml's. The editor's diagnostics and `trackdown check` both read them here.
 */
import * as path from 'path';
import { CONFIG_FILE } from './config';
import type { Project, TaskIndex } from './index';
import type { Item, Problem } from './model';
import { budgetLines, overBudgetProblem, projectUsage, type BudgetLine } from './tokens';

/** Epics over their budget, by file: what they and their items used, and the budget. */
export type OverBudget = ReadonlyMap<string, { used: number; budget: number }>;

export function overBudgetByFile(lines: Iterable<BudgetLine>): Map<string, { used: number; budget: number }> {
  const out = new Map<string, { used: number; budget: number }>();
  for (const l of lines) if (l.epic && l.used > l.budget) out.set(l.epic.file, { used: l.used, budget: l.budget });
  return out;
}

/** Everything shown for one file: its own problems, then its links and duplicates, then its budget. */
export function problemsOf(index: TaskIndex, file: string, shown: { item?: Item; problems: readonly Problem[] }, over: OverBudget): Problem[] {
  const budget = over.get(file);
  const overBudget = budget && shown.item?.type === 'epic' ? overBudgetProblem(shown.item, budget.used, budget.budget) : undefined;
  return [...shown.problems, ...index.linkProblems(shown.item), ...(overBudget ? [overBudget] : [])];
}

const FIRST_LINE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** config.yaml's problems: at the value each is about when known, else at the start of the file. */
export function configProblems(project: Project): Problem[] {
  if (!project.hasConfig) return [];
  return project.configErrors.map((e) => ({ code: 'config', severity: 'warning', message: e.message, range: e.range ?? FIRST_LINE }));
}

export interface FileProblems {
  file: string;
  problems: Problem[];
}

/** Every problem of a project as the editor shows it for files on disk: config.yaml first, then each task file that has any. */
export function projectProblems(index: TaskIndex, project: Project): FileProblems[] {
  const over = overBudgetByFile(budgetLines(projectUsage(index, project.root, project.config), project.config));
  const out: FileProblems[] = [];
  const config = configProblems(project);
  if (config.length) out.push({ file: path.join(project.root, CONFIG_FILE), problems: config });
  for (const entry of index.allEntries()) {
    if (entry.root !== project.root) continue;
    const problems = problemsOf(index, entry.file, entry, over);
    if (problems.length) out.push({ file: entry.file, problems });
  }
  return out;
}
