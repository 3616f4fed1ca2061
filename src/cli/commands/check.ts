/**
 * `trackdown check [PATHS…]`: the problems the editor shows for the project's files (same codes, same
 * ranges), as text, JSON or SARIF; exit 1 on an error, or on more warnings than --max-warnings.
 */
import * as fs from 'fs';
import * as path from 'path';
import { InvalidArgumentError, Option } from 'commander';
import type { Problem, Severity } from '../../core/model';
import { defineCommand } from '../command';
import { CliError, EXIT } from '../exitCodes';
import { print, terminalText } from '../output';
import { relativePath } from '../../core/paths';

interface CheckOptions {
  format: 'text' | 'json' | 'sarif';
  maxWarnings?: number;
}

export interface FoundProblem {
  file: string;
  problem: Problem;
}

/** A problem in `check --format json`. Lines and columns count from 1; the end column is the one after the range. */
export interface ProblemJson {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
}

function count(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number, 0 or more.');
  return Number(value);
}

export default defineCommand<CheckOptions>({
  words: ['check'],
  define(cmd) {
    cmd
      .description("Check task files and config.yaml for the problems the editor shows; exit 1 when there are errors.")
      .argument('[paths...]', 'only report problems of these files or folders (the whole project is read)')
      .addOption(new Option('--format <format>', 'text: path:line:col: severity code message; json; sarif: SARIF 2.1.0 for code scanning').choices(['text', 'json', 'sarif']).default('text'))
      .option('--max-warnings <n>', 'also exit 1 when there are more warnings than this', count)
      .addHelpText(
        'after',
        `
Examples:
  $ trackdown check
  $ trackdown check tasks/issues --max-warnings 0
  $ trackdown check --format sarif > trackdown.sarif`,
      );
  },
  async run({ args, opts }) {
    const { openProject } = await import('../project');
    const { projectProblems } = await import('../../core/problems');
    const { index, project } = await openProject(opts);
    const only = ((args[0] as string[] | undefined) ?? []).map((p) => {
      const abs = path.resolve(p);
      if (!fs.existsSync(abs)) throw new CliError(`${p}: no such file or folder.`, EXIT.notFound);
      return abs;
    });
    const wanted = (file: string) => !only.length || only.some((p) => file === p || file.startsWith(p.endsWith(path.sep) ? p : p + path.sep));
    const found: FoundProblem[] = projectProblems(index, project)
      .filter((f) => wanted(f.file))
      .flatMap((f) => f.problems.map((problem) => ({ file: f.file, problem })))
      .sort(byPlace);
    const errors = found.filter((f) => f.problem.severity === 'error').length;
    const warnings = found.filter((f) => f.problem.severity === 'warning').length;

    if (opts.format === 'sarif') {
      const { repositoryRoot, sarifLog } = await import('../sarif');
      await print(sarifLog(found, repositoryRoot(project.root) ?? process.cwd(), TRACKDOWN_VERSION));
    } else if (opts.format === 'json') {
      const problems: ProblemJson[] = found.map(({ file, problem: p }) => ({
        file: relativePath(project.root, file),
        line: p.range.start.line + 1,
        column: p.range.start.character + 1,
        endLine: p.range.end.line + 1,
        endColumn: p.range.end.character + 1,
        severity: p.severity,
        code: p.code,
        message: p.message,
      }));
      await print(JSON.stringify({ root: project.root, errors, warnings, problems }, null, 2) + '\n');
    } else {
      const lines = found.map(({ file, problem: p }) => {
        const where = `${path.relative(process.cwd(), file) || file}:${p.range.start.line + 1}:${p.range.start.character + 1}`;
        return terminalText(`${where}: ${p.severity} ${p.code} ${p.message}`) + '\n';
      });
      await print(lines.join(''));
      if (found.length) process.stderr.write(`trackdown: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${found.length - errors - warnings} other.\n`);
    }
    const tooMany = opts.maxWarnings !== undefined && warnings > opts.maxWarnings;
    return errors > 0 || tooMany ? EXIT.failed : EXIT.ok;
  },
});

function byPlace(a: FoundProblem, b: FoundProblem): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  const x = a.problem.range.start;
  const y = b.problem.range.start;
  return x.line - y.line || x.character - y.character;
}
