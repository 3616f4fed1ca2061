/**
 * `trackdown check`: the problems the editor shows (the same codes and ranges), as text, JSON and a SARIF
 * log GitHub code scanning takes; exit codes for errors and --max-warnings; paths; broken projects.
 */
import * as assert from 'assert/strict';
import type { Log } from 'sarif';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { TaskIndex } from '../../../src/core/index';
import { Problem } from '../../../src/core/model';
import { indexProject, loadProject } from '../../../src/core/project';
import { budgetLines, overBudgetProblem, projectUsage } from '../../../src/core/tokens';
import { REPO, tempFolders } from '../helpers';
import { CONFIG, snapshot, trackdown, writeProject } from './run';
import { sarifValidator } from './sarifSchema';

const PROBLEMS = {
  '.ai-trackdown/config.yaml': `${CONFIG}git:\n  patterns:\n    commit_task_ref: '(TSK-\\d+'\n`,
  'tasks/issues/ISS-0005-at.md': '---\nissue_id: ISS-0005\nepic_id: EP-0001\ntitle: At\nstatus: active\nassignee: @erin\n---\n',
  'tasks/tasks/TSK-0003-orphan.md': '---\ntask_id: TSK-0003\nissue_id: ISS-0999\ntitle: Orphan\nstatus: planning\n---\n',
  'tasks/issues/ISS-0002-dupe.md': '---\nissue_id: ISS-0002\ntitle: Dupe\nstatus: active\n---\n',
  'tasks/issues/ISS-0006-leak.md': '---\nissue_id: ISS-0006\ntitle: Leak\nstatus: active\nfile_path: /x/y.md\n---\n',
};

/**
 * What the editor's Problems panel shows for files on disk, put together here the way the editor's
 * diagnostics do: each file's own problems, its links and duplicates, an epic over budget; config.yaml's.
 */
async function editorProblems(root: string): Promise<{ file: string; p: Problem }[]> {
  const project = await loadProject(root);
  const index = new TaskIndex();
  index.setProject(project);
  await indexProject(index, project);
  const over = new Map(budgetLines(projectUsage(index, root, project.config), project.config).filter((l) => l.epic && l.used > l.budget).map((l) => [l.epic!.file, l]));
  const out: { file: string; p: Problem }[] = project.configErrors.map((e) => ({
    file: '.ai-trackdown/config.yaml',
    p: { code: 'config', severity: 'warning', message: e.message, range: e.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
  }));
  for (const e of index.allEntries()) {
    const line = over.get(e.file);
    const budget = line && e.item ? overBudgetProblem(e.item, line.used, line.budget) : undefined;
    for (const p of [...e.problems, ...index.linkProblems(e.item), ...(budget ? [budget] : [])]) out.push({ file: path.relative(root, e.file).split(path.sep).join('/'), p });
  }
  return out;
}

describe('trackdown check', () => {
  const temp = tempFolders();
  /** A git work tree holding the project in proj/, as a repository with a sub-project is. */
  let repo: string;
  let root: string;
  before(() => {
    repo = temp('aitd-cli-check');
    execFileSync('git', ['init', '-q', repo]);
    root = writeProject(path.join(repo, 'proj'), PROBLEMS);
  });

  it('reports the problems the editor shows, with the same codes and ranges, and exits 1 on errors', async () => {
    const r = trackdown(root, 'check', '--format', 'json');
    assert.equal(r.code, 1, r.stderr);
    const json = JSON.parse(r.stdout);
    const shown = (await editorProblems(root)).map(({ file, p }) => ({
      file,
      line: p.range.start.line + 1,
      column: p.range.start.character + 1,
      endLine: p.range.end.line + 1,
      endColumn: p.range.end.character + 1,
      severity: p.severity,
      code: p.code,
      message: p.message,
    }));
    const byPlace = (a: (typeof shown)[number], b: (typeof shown)[number]) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column);
    assert.deepEqual(json.problems, shown.sort(byPlace));
    assert.deepEqual(
      json.problems.map((p: { file: string; code: string; severity: string }) => `${p.file} ${p.code} ${p.severity}`),
      [
        '.ai-trackdown/config.yaml config warning',
        'tasks/epics/EP-0001-checkout.md over-budget warning',
        'tasks/issues/ISS-0002-dupe.md duplicate-id error',
        'tasks/issues/ISS-0002-pay.md duplicate-id error',
        'tasks/issues/ISS-0005-at.md unquoted-at error',
        'tasks/issues/ISS-0006-leak.md leaked-key hint',
        'tasks/tasks/TSK-0003-orphan.md broken-link warning',
      ],
    );
    assert.deepEqual([json.errors, json.warnings, json.root], [3, 3, root]);
  });

  it('prints path:line:col: severity code message, one line each, paths from the working folder', () => {
    const r = trackdown(repo, 'check', '--project', 'proj');
    assert.equal(r.code, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 7);
    assert.equal(lines[4], 'proj/tasks/issues/ISS-0005-at.md:6:11: error unquoted-at A value starting with @ must be quoted: "@erin"');
    assert.equal(lines[1], 'proj/tasks/epics/EP-0001-checkout.md:7:15: warning over-budget EP-0001 and its items used 1,300 tokens, over its budget of 1,000 (130%).');
    assert.match(lines[0], /^proj\/\.ai-trackdown\/config\.yaml:7:22: warning config git\.patterns\.commit_task_ref is not a usable regular expression/);
    assert.equal(r.stderr, 'trackdown: 3 errors, 3 warnings, 1 other.\n');
  });

  it('keeps each problem on its one line, whatever a file name or value holds', () => {
    // A file name with a line break and an escape sequence, named in the other file's duplicate-id message.
    const odd = 'tasks/issues/ISS-0001-a\nb\u001b[31m.md';
    const dir = writeProject(temp('aitd-cli-check'), { [odd]: '---\nissue_id: ISS-0001\ntitle: Odd\nstatus: active\n---\n' });
    const r = trackdown(dir, 'check');
    assert.equal(r.code, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, JSON.parse(trackdown(dir, 'check', '--format', 'json').stdout).problems.length, r.stdout);
    assert.ok(lines.every((l) => /^[^:]+:\d+:\d+: (error|warning|info|hint) [a-z-]+ /.test(l)), r.stdout);
    assert.doesNotMatch(r.stdout, /\u001b/);
  });

  it('writes a SARIF 2.1.0 log that validates against the schema, with URIs relative to the repository root', () => {
    const r = trackdown(root, 'check', '--format', 'sarif');
    assert.equal(r.code, 1, r.stderr);
    const log: Log = JSON.parse(r.stdout);
    const validate = sarifValidator();
    assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
    const run = log.runs[0];
    assert.equal(run.tool.driver.name, 'trackdown');
    assert.equal(run.tool.driver.version, JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version);
    const rules = (run.tool.driver.rules ?? []).map((x) => x.id);
    assert.ok(['duplicate-id', 'unquoted-at', 'broken-link', 'over-budget', 'config', 'leaked-key'].every((id) => rules.includes(id)));
    const at = run.results!.find((x) => x.ruleId === 'unquoted-at')!;
    assert.deepEqual(at.locations![0].physicalLocation!.artifactLocation!.uri, 'proj/tasks/issues/ISS-0005-at.md');
    assert.deepEqual(at.locations![0].physicalLocation!.region, { startLine: 6, startColumn: 11, endLine: 6, endColumn: 16 });
    assert.equal(at.level, 'error');
    assert.equal(rules[at.ruleIndex!], 'unquoted-at');
    assert.deepEqual(run.results!.map((x) => x.level).sort(), ['error', 'error', 'error', 'note', 'warning', 'warning', 'warning']);
  });

  it('writes file URIs a code scanner can resolve for names with spaces and non-ASCII letters', () => {
    const dir = writeProject(temp('aitd-cli-check'), { 'tasks/issues/ISS-0007-crème brûlée.md': '---\nissue_id: ISS-0007\ntitle: Dessert\nstatus: done\n---\n' });
    const log: Log = JSON.parse(trackdown(dir, 'check', '--format', 'sarif').stdout);
    const validate = sarifValidator();
    assert.ok(validate(log), JSON.stringify(validate.errors));
    const uris = log.runs[0].results!.map((x) => x.locations![0].physicalLocation!.artifactLocation!.uri);
    assert.ok(uris.includes('tasks/issues/ISS-0007-cr%C3%A8me%20br%C3%BBl%C3%A9e.md'), uris.join(' '));
  });

  it('reports only the paths given, reading the whole project for links', () => {
    const r = trackdown(root, 'check', 'tasks/tasks', '--format', 'json');
    assert.equal(r.code, 0, 'a broken link is a warning: no error among the files asked for');
    assert.deepEqual(JSON.parse(r.stdout).problems.map((p: { code: string }) => p.code), ['broken-link']);
    const file = trackdown(root, 'check', 'tasks/issues/ISS-0005-at.md');
    assert.equal(file.code, 1);
    assert.equal(file.stdout.trimEnd().split('\n').length, 1);
    const missing = trackdown(root, 'check', 'tasks/nope');
    assert.deepEqual([missing.code, missing.stdout, missing.stderr], [3, '', 'trackdown: tasks/nope: no such file or folder.\n']);
  });

  it('exits 1 on more warnings than --max-warnings, 0 within it, 0 for a clean project', () => {
    assert.equal(trackdown(root, 'check', 'tasks/tasks', '--max-warnings', '0').code, 1);
    assert.equal(trackdown(root, 'check', 'tasks/tasks', '--max-warnings', '1').code, 0);
    const clean = writeProject(temp('aitd-cli-check'), { 'tasks/epics/EP-0001-checkout.md': '---\nepic_id: EP-0001\ntitle: Checkout\nstatus: active\n---\n' });
    assert.deepEqual(trackdown(clean, 'check'), { code: 0, stdout: '', stderr: '' });
    assert.equal(trackdown(clean, 'check', '--max-warnings', '-1').code, 2);
    assert.equal(trackdown(clean, 'check', '--max-warnings', 'many').code, 2);
  });

  it('still works on a project of broken files, reporting each, and writes nothing', () => {
    const dir = writeProject(temp('aitd-cli-check'), {
      'tasks/issues/ISS-0008-yaml.md': '---\nissue_id: ISS-0008\ntitle: [unclosed\n---\n',
      'tasks/issues/ISS-0009-none.md': 'no frontmatter at all\n',
      'tasks/issues/ISS-0010-open.md': '---\nissue_id: ISS-0010\ntitle: Open\n',
      'tasks/tasks/TSK-0009-bin.md': Buffer.from([0xff, 0xfe, 0x00, 0x41]).toString('latin1'),
    });
    const before = snapshot(dir);
    const r = trackdown(dir, 'check', '--format', 'json');
    assert.equal(r.code, 1, r.stderr);
    const files = new Set(JSON.parse(r.stdout).problems.map((p: { file: string }) => p.file));
    for (const f of ['tasks/issues/ISS-0008-yaml.md', 'tasks/issues/ISS-0009-none.md', 'tasks/issues/ISS-0010-open.md']) assert.ok(files.has(f), f);
    assert.equal(trackdown(dir, 'status', '--format', 'ids').code, 0);
    assert.deepEqual(snapshot(dir), before);
  });
});
