/**
 * The demo project `npm start` opens (demo/), read through the same code the extension runs: every
 * panel has something to show, the only problems are the ones demo/README.md lists, and every file
 * is named, ordered and counted as the aitrackdown CLI writes them.
 */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { projectCards } from '../../src/core/board';
import { buildBudgetReport } from '../../src/core/budgetReport';
import { COUNTERS_FILE, FOLDER_TYPES } from '../../src/core/config';
import { fileNameFor } from '../../src/core/ids';
import { Project, TaskIndex } from '../../src/core/index';
import { bodyOf, llmsPaths, llmsSource } from '../../src/core/llms';
import { Item } from '../../src/core/model';
import { configPrices, DEFAULT_PRICES, withOverrides } from '../../src/core/prices';
import { indexProject, loadProject } from '../../src/core/project';
import { budgetLines, budgetThresholds, overBudgetProblem, projectUsage } from '../../src/core/tokens';
import { REPO } from './helpers';

const ROOT = path.join(REPO, 'demo');

/** The frontmatter keys of each type in the order the CLI writes them (FORMAT.md). */
const CLI_KEYS: Record<Item['type'], string[]> = {
  epic: ['epic_id', 'title', 'description', 'status', 'priority', 'assignee', 'created_date', 'updated_date', 'estimated_tokens', 'actual_tokens', 'ai_context', 'sync_status', 'related_issues', 'tags', 'milestone', 'dependencies', 'completion_percentage'],
  issue: ['issue_id', 'epic_id', 'title', 'description', 'status', 'state', 'state_metadata', 'priority', 'assignee', 'created_date', 'updated_date', 'estimated_tokens', 'actual_tokens', 'ai_context', 'sync_status', 'related_tasks', 'related_issues', 'tags', 'milestone', 'dependencies', 'completion_percentage', 'blocked_by', 'blocks', 'related_prs'],
  task: ['task_id', 'issue_id', 'epic_id', 'title', 'description', 'status', 'priority', 'assignee', 'created_date', 'updated_date', 'estimated_tokens', 'actual_tokens', 'ai_context', 'sync_status', 'subtasks', 'tags', 'dependencies', 'time_estimate', 'time_spent', 'blocked_by', 'blocks'],
  pr: ['pr_id', 'issue_id', 'epic_id', 'title', 'description', 'status', 'pr_status', 'priority', 'assignee', 'created_date', 'updated_date', 'estimated_tokens', 'actual_tokens', 'ai_context', 'sync_status', 'branch_name', 'source_branch', 'target_branch', 'repository_url', 'reviewers', 'approvals', 'tags', 'dependencies', 'blocked_by', 'blocks', 'related_prs', 'template_used'],
  comment: ['id', 'issueId', 'author', 'createdAt', 'updatedAt'],
};

/** The deliberate problems demo/README.md lists, and nothing else. */
const EXPECTED_PROBLEMS = [
  'tasks/issues/ISS-0003-conflict-banner-when-two-devices-edit-a-list.md unquoted-at error',
  'tasks/issues/ISS-0005-live-updates-over-websocket.md invalid-value error',
  'tasks/tasks/TASK-001-welcome-tour.md legacy-format hint',
  'tasks/tasks/TSK-0004-persist-the-queue-across-reloads.md string-number hint',
  'tasks/tasks/TSK-0004-persist-the-queue-across-reloads.md string-number hint',
  'tasks/tasks/TSK-0008-tests-for-queue-replay.md broken-link warning',
];

describe('the demo project', () => {
  const index = new TaskIndex();
  let project: Project;
  const items = () => [...index.items(ROOT)];
  const usage = () => projectUsage(index, ROOT, project.config);
  /** The report the budget panel shows, at the shipped prices and the project's own. */
  const report = () => {
    const u = usage();
    const lines = budgetLines(u, project.config);
    return buildBudgetReport({ name: project.config.name, usage: u, thresholds: budgetThresholds(project.config), lines }, withOverrides(DEFAULT_PRICES, configPrices(project.config)));
  };

  before(async () => {
    project = await loadProject(ROOT);
    index.setProject(project);
    await indexProject(index, project);
  });

  it('reads its config.yaml without an error', () => {
    assert.deepEqual(project.configErrors, []);
    assert.equal(project.config.name, 'pantry');
  });

  it('shows only the deliberate problems demo/README.md lists', () => {
    const epics = new Map(usage().epics.map((e) => [e.epic.file, e]));
    const seen = [...index.allEntries()].flatMap((e) => {
      const epic = epics.get(e.file);
      const over = epic && overBudgetProblem(epic.epic, epic.usage.used, epic.budget);
      return [...e.problems, ...index.linkProblems(e.item), ...(over ? [over] : [])].map((p) => `${path.relative(ROOT, e.file).split(path.sep).join('/')} ${p.code} ${p.severity}`);
    });
    assert.deepEqual(seen.sort(), EXPECTED_PROBLEMS);
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const p of EXPECTED_PROBLEMS) assert.ok(readme.includes(`\`${p.split(' ')[0]}\``), `demo/README.md should name ${p.split(' ')[0]}`);
  });

  it('has token usage for the budget panel: weeks, agents, models, costs, teams and an epic past its first alert', () => {
    const r = report();
    assert.ok(r.weeks.length >= 3, `weeks with usage: ${r.weeks.length}`);
    assert.ok(Object.keys(usage().total.byAgent).length >= 2, `agents: ${Object.keys(usage().total.byAgent)}`);
    assert.ok(r.models.length >= 2, `models: ${r.models.map((m) => m.model)}`);
    assert.ok(r.models.every((m) => m.cost !== null && m.cost > 0), 'every model has a price in the shipped table');
    assert.ok(r.total.cost > 0);
    assert.equal(r.total.unpricedTokens, 0);
    assert.ok(r.teams.some((t) => t.budget !== null && t.used > 0), `teams: ${JSON.stringify(r.teams)}`);
    const warning = r.thresholds[0];
    const warned = r.epics.filter((e) => e.ratio !== null && e.ratio >= warning && e.ratio < 1);
    assert.ok(warned.length >= 1, `an epic at or past ${warning} of its budget, not over it: ${JSON.stringify(r.epics.map((e) => [e.id, e.ratio]))}`);
  });

  it('gives the board several columns, labels, priorities, and an issue with tasks and a PR', () => {
    const { cards } = projectCards(index, ROOT);
    assert.ok(new Set(cards.map((c) => c.state)).size >= 4);
    assert.ok(new Set(cards.map((c) => c.priority)).size >= 3);
    assert.ok(new Set(cards.map((c) => c.assignee)).size >= 4);
    assert.ok(cards.filter((c) => c.labels.length).length >= 5);
    const withTasksAndPr = items().filter((i) => i.type === 'issue' && ['task', 'pr'].every((t) => index.children(i).some((c) => c.type === t)));
    assert.ok(withTasksAndPr.length >= 1);
  });

  it('holds llms.txt and docs/llms-full.txt as Generate llms.txt writes them', () => {
    const source = llmsSource(index, project);
    const paths = llmsPaths(ROOT);
    const exists = (rel: string) => fs.existsSync(path.join(ROOT, ...rel.split('/')));
    assert.equal(fs.readFileSync(paths.index, 'utf8'), source.txt({ exists }), 'demo/llms.txt is stale: run Generate llms.txt on demo/');
    const full = source.full((item) => bodyOf(fs.readFileSync(item.file, 'utf8')));
    assert.equal(fs.readFileSync(paths.full, 'utf8'), full, 'demo/docs/llms-full.txt is stale: run Generate llms.txt on demo/');
  });

  it('names every CLI file <ID>-<slug>.md by the CLI compliance fixer\'s rule', () => {
    for (const item of items().filter((i) => i.format === 'cli' && i.type !== 'comment')) {
      assert.equal(path.basename(item.file), fileNameFor(item.id, item.title));
    }
  });

  it('writes the CLI\'s keys in the CLI\'s order', () => {
    for (const item of items().filter((i) => i.format === 'cli')) {
      const order = CLI_KEYS[item.type];
      const written = item.keys.names().filter((k) => order.includes(k));
      assert.deepEqual(written, [...written].sort((a, b) => order.indexOf(a) - order.indexOf(b)), path.basename(item.file));
    }
  });

  it('keeps counters.json one past the highest id of each type', () => {
    const counters = JSON.parse(fs.readFileSync(path.join(ROOT, COUNTERS_FILE), 'utf8')) as Record<string, number>;
    const highest = (type: Item['type'], prefix: string) =>
      Math.max(...items().filter((i) => i.type === type && i.id.startsWith(`${prefix}-`)).map((i) => Number(i.id.slice(prefix.length + 1))));
    for (const type of FOLDER_TYPES) assert.equal(counters[type], highest(type, project.config.prefixes[type]) + 1, type);
    assert.equal(counters.comment, highest('comment', 'COMMENT') + 1, 'comment');
  });
});
