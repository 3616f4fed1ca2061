/**
 * `check --format sarif`: the problems as a SARIF 2.1.0 log that GitHub code scanning takes, one rule per
 * problem code, each result at its file (a URI relative to the repository root) and 1-based region.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SarifBuilder, SarifResultBuilder, SarifRuleBuilder, SarifRunBuilder } from 'node-sarif-builder';
import type { ProblemCode, Severity } from '../core/model';
import type { FoundProblem } from './commands/check';

export const TOOL_URL = 'https://github.com/ai-trackdown/ai-trackdown-vscode';

/** What each problem code means, as the rule's short description. */
const RULES: Record<ProblemCode, string> = {
  'yaml-syntax': 'The frontmatter is not valid YAML.',
  'unquoted-at': 'A value starts with @ without quotes, which YAML does not allow.',
  'no-frontmatter': 'The file has no frontmatter.',
  'unclosed-frontmatter': 'The frontmatter has no closing ---.',
  'not-a-mapping': 'The frontmatter is not a mapping of keys to values.',
  'missing-key': 'A key the item needs is missing.',
  'invalid-value': 'A value is not one the key allows.',
  'invalid-type': 'A value has the wrong type.',
  'invalid-date': 'A date is not an ISO date.',
  'leaked-key': 'A key the aitrackdown CLI leaks into files (content, file_path).',
  'string-number': 'A token count written as text.',
  'broken-link': 'A link to an item that does not exist.',
  'duplicate-id': 'Several files use the same id.',
  'id-mismatch': 'The id does not match the file name or folder.',
  'legacy-format': 'The file is in the older architecture-document format.',
  'file-too-large': 'The file is too large to be read.',
  'frontmatter-too-large': 'The frontmatter is too large to be read.',
  'more-problems': 'The file has more problems than are listed.',
  'over-budget': 'An epic and its items used more tokens than its budget.',
  config: 'A problem with .ai-trackdown/config.yaml.',
};

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note', hint: 'note' };

/** The root of the git work tree holding `dir` (where a `.git` folder or file is), if any. */
export function repositoryRoot(dir: string): string | undefined {
  for (let at = dir; ; at = path.dirname(at)) {
    if (fs.existsSync(path.join(at, '.git'))) return at;
    if (path.dirname(at) === at) return undefined;
  }
}

/** A relative file URI: path segments percent-encoded, `/` between them. */
export function relativeUri(base: string, file: string): string {
  return path.relative(base, file).split(path.sep).map(encodeURIComponent).join('/');
}

/** The SARIF log of the problems; file URIs relative to `base` (the repository root). */
export function sarifLog(problems: readonly FoundProblem[], base: string, version: string): string {
  const run = new SarifRunBuilder().initSimple({ toolDriverName: 'trackdown', toolDriverVersion: version, url: TOOL_URL });
  for (const [id, text] of Object.entries(RULES)) run.addRule(new SarifRuleBuilder().initSimple({ ruleId: id, shortDescriptionText: text, helpUri: TOOL_URL }));
  for (const { file, problem: p } of problems) {
    const { start, end } = p.range;
    run.addResult(
      new SarifResultBuilder().initSimple({
        level: LEVEL[p.severity],
        messageText: p.message,
        ruleId: p.code,
        fileUri: relativeUri(base, file),
        startLine: start.line + 1,
        startColumn: start.character + 1,
        endLine: end.line + 1,
        endColumn: end.character + 1,
      }),
    );
  }
  const log = new SarifBuilder();
  log.addRun(run);
  return log.buildSarifJsonString({ indent: true }) + '\n';
}
