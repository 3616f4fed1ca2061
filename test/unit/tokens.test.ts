import * as assert from 'assert/strict';
import { defaultConfig, parseConfig, ProjectConfig } from '../../src/core/config';
import { editFrontmatter } from '../../src/core/edit';
import { TaskIndex } from '../../src/core/index';
import { Item } from '../../src/core/model';
import { indexProject, loadProject } from '../../src/core/project';
import {
  budgetRatio,
  budgetThresholds,
  DEFAULT_THRESHOLDS,
  epicBudget,
  itemUsage,
  logUsageChanges,
  overBudgetProblem,
  periodOf,
  projectUsage,
  rolledUsage,
  teamBudgets,
  thresholdReached,
  thresholdsCrossed,
  tokenCount,
  usageByPeriod,
  UsageInputError,
} from '../../src/core/tokens';
import { corpus, MEMORY_ROOT, memoryFile, withMemoryProject } from './helpers';

const ROOT = MEMORY_ROOT;
const f = memoryFile;

function setup(config: ProjectConfig = defaultConfig('ws')) {
  const index = withMemoryProject(new TaskIndex(), config);
  index.set(f('epics', 'EP-0001-a.md'), '---\nepic_id: EP-0001\ntitle: A\nstatus: active\nestimated_tokens: 10000\nactual_tokens: 100\n---\n');
  index.set(f('epics', 'EP-0002-b.md'), '---\nepic_id: EP-0002\ntitle: B\nstatus: active\ntoken_budget: 500\n---\n');
  index.set(
    f('issues', 'ISS-0001-x.md'),
    [
      '---',
      'issue_id: ISS-0001',
      'epic_id: EP-0001',
      'title: X',
      'status: active',
      'estimated_tokens: "4000"',
      'token_usage:',
      '  entries:',
      '    - {at: "2026-11-02T10:00:00Z", agent: claude-code, model: claude-sonnet-4-5, team: platform, input: 1200, output: 300, cached_input: 800, purpose: plan}',
      '    - {at: "2026-11-09T09:00:00Z", agent: alice, model: gpt-5, input: 400, output: 100}',
      '    - {input: "50", output: 0, cached_input: 900}',
      '    - not a record',
      '---',
      '',
    ].join('\n'),
  );
  index.set(f('tasks', 'TSK-0001-y.md'), '---\ntask_id: TSK-0001\nissue_id: ISS-0001\ntitle: Y\nstatus: planning\nestimated_tokens: 1000\nactual_tokens: "350"\n---\n');
  index.set(f('tasks', 'TSK-0002-z.md'), '---\ntask_id: TSK-0002\nepic_id: EP-0002\ntitle: Z\nstatus: planning\nactual_tokens: 600\n---\n');
  index.set(f('tasks', 'TSK-0003-orphan.md'), '---\ntask_id: TSK-0003\nissue_id: ISS-0404\ntitle: Orphan\nstatus: planning\nactual_tokens: 7\n---\n');
  index.set(f('issues', 'comments', 'ISS-0001', 'COMMENT-0001.md'), '---\nid: COMMENT-0001\nissueId: ISS-0001\nauthor: bob\n---\nhi\n');
  return index;
}
const item = (index: TaskIndex, file: string): Item => index.entry(file)!.item!;

describe('tokens', () => {
  it('tokenCount takes whole non-negative numbers and numeric strings only', () => {
    assert.equal(tokenCount(350), 350);
    assert.equal(tokenCount(' 350 '), 350);
    assert.equal(tokenCount('350'), 350);
    for (const bad of [-1, 1.5, '1e3', '', 'many', null, undefined, {}, Number.MAX_SAFE_INTEGER + 1, '99999999999999999999']) assert.equal(tokenCount(bad), undefined, String(bad));
  });

  describe('one item', () => {
    it('sums its entries when it has no total, by agent, team and model; cached input never exceeds input', () => {
      const u = itemUsage(item(setup(), f('issues', 'ISS-0001-x.md')));
      assert.equal(u.used, 2050);
      assert.equal(u.estimated, 4000);
      assert.deepEqual(u.byAgent, { 'claude-code': 1500, alice: 500 });
      assert.deepEqual(u.byTeam, { platform: 1500 });
      assert.deepEqual(u.byModel, { 'claude-sonnet-4-5': 1500, 'gpt-5': 500 });
      assert.equal(u.entries.length, 3);
      assert.deepEqual(u.entries[0], { at: '2026-11-02T10:00:00Z', agent: 'claude-code', model: 'claude-sonnet-4-5', team: 'platform', input: 1200, output: 300, cachedInput: 800, purpose: 'plan' });
      assert.equal(u.entries[2].cachedInput, 50);
    });

    it('takes actual_tokens as written, also as a quoted string, over the entries; a negative count counts as none', () => {
      const index = setup();
      assert.equal(itemUsage(item(index, f('tasks', 'TSK-0001-y.md'))).used, 350);
      index.set(f('tasks', 'TSK-0050-neg.md'), '---\ntask_id: TSK-0050\nissue_id: ISS-0001\ntitle: N\nstatus: active\nactual_tokens: -5\nestimated_tokens: 2.5\n---\n');
      assert.deepEqual([itemUsage(item(index, f('tasks', 'TSK-0050-neg.md'))).used, itemUsage(item(index, f('tasks', 'TSK-0050-neg.md'))).estimated], [0, 0]);
    });

    it('reads the older format: token_usage.total with by_agent, from a real-shaped file', async () => {
      const root = corpus('legacy');
      const project = await loadProject(root);
      const index = new TaskIndex();
      index.setProject(project);
      await indexProject(index, project);
      const epic = [...index.items()].find((i) => i.id === 'EPIC-001')!;
      const u = itemUsage(epic);
      assert.equal(u.used, 22847);
      assert.deepEqual(u.byAgent, { claude: 12892, gpt4: 6247, copilot: 3708 });
      assert.equal(epicBudget(epic, project.config), 40000);
    });
  });

  describe('rollups', () => {
    it('an epic holds its own usage plus its issues\' and their tasks\', comments aside', () => {
      const index = setup();
      const u = rolledUsage(index, item(index, f('epics', 'EP-0001-a.md')));
      assert.equal(u.used, 100 + 2050 + 350);
      assert.equal(u.estimated, 10000 + 4000 + 1000);
      assert.deepEqual(u.byModel, { 'claude-sonnet-4-5': 1500, 'gpt-5': 500 });
      assert.equal(rolledUsage(index, item(index, f('epics', 'EP-0002-b.md'))).used, 600, 'a task that names only an epic counts there');
    });

    it('a project counts every item once, per epic with its budget, and what lies under no epic', () => {
      const index = setup();
      const p = projectUsage(index, ROOT, defaultConfig('ws'));
      assert.equal(p.total.used, 100 + 2050 + 350 + 600 + 7);
      assert.deepEqual(p.epics.map((e) => [e.epic.id, e.usage.used, e.budget]).sort(), [['EP-0001', 2500, undefined], ['EP-0002', 600, 500]]);
      assert.equal(p.outsideEpics.used, 7);
    });

    it('an item that is its own ancestor (broken links) is counted once and does not loop', () => {
      const index = setup();
      index.set(f('tasks', 'TSK-0009-loop.md'), '---\ntask_id: TSK-0009\nissue_id: TSK-0009\ntitle: Loop\nstatus: planning\nactual_tokens: 5\n---\n');
      assert.equal(rolledUsage(index, item(index, f('tasks', 'TSK-0009-loop.md'))).used, 5);
    });
  });

  describe('budgets and alerts', () => {
    const legacy = parseConfig(
      'version: 1\nproject: {name: x, default_epic_budget: 50000}\nteams: {platform: {token_budget: 200000, lead: sarah}, mobile: {lead: "@priya"}}\nautomation: {budget_alerts: [{threshold: 0.9}, {threshold: 0.5}, {threshold: 0.9}, {threshold: -1}, {nope: 1}]}\n',
      'x',
    ).config;

    it('an epic without its own budget takes the project default', () => {
      const index = setup(legacy);
      assert.equal(epicBudget(item(index, f('epics', 'EP-0001-a.md')), legacy), 50000);
      assert.equal(epicBudget(item(index, f('epics', 'EP-0002-b.md')), legacy), 500);
      assert.equal(epicBudget(item(index, f('epics', 'EP-0001-a.md')), defaultConfig('x')), undefined);
    });

    it('team budgets and thresholds from config.yaml; the default thresholds otherwise', () => {
      assert.deepEqual(teamBudgets(legacy), { platform: 200000 });
      assert.deepEqual(budgetThresholds(legacy), [0.5, 0.9]);
      assert.deepEqual(budgetThresholds(defaultConfig('x')), DEFAULT_THRESHOLDS);
    });

    it('an epic over its budget has a warning at its token_budget, else at its id, naming whose budget it is', () => {
      const index = setup(legacy);
      const own = item(index, f('epics', 'EP-0002-b.md'));
      assert.equal(overBudgetProblem(own, 500, 500), undefined, 'at the budget is not over it');
      assert.deepEqual(overBudgetProblem(own, 600, 500), {
        code: 'over-budget',
        severity: 'warning',
        message: 'EP-0002 and its items used 600 tokens, over its budget of 500 (120%).',
        range: own.keys.get('token_budget')!.value,
        data: { value: 'EP-0002' },
      });
      const byDefault = item(index, f('epics', 'EP-0001-a.md'));
      const p = overBudgetProblem(byDefault, 60000, 50000)!;
      assert.equal(p.message, "EP-0001 and its items used 60,000 tokens, over the project's default budget of 50,000 (120%).");
      assert.deepEqual(p.range, byDefault.keys.get('epic_id')!.value);
      assert.equal(overBudgetProblem(byDefault, 60000, undefined), undefined);
    });

    it('ratios, the threshold reached, and each threshold crossed once however far a change jumps', () => {
      assert.equal(budgetRatio(450, 500), 0.9);
      assert.equal(budgetRatio(450, undefined), 0);
      assert.equal(budgetRatio(450, 0), 0);
      assert.equal(thresholdReached(0.8, DEFAULT_THRESHOLDS), 0.75);
      assert.equal(thresholdReached(0.5, DEFAULT_THRESHOLDS), undefined);
      assert.equal(thresholdReached(1.4, DEFAULT_THRESHOLDS), 1);
      assert.deepEqual(thresholdsCrossed(0.5, 1.2, DEFAULT_THRESHOLDS), [0.75, 0.9, 1]);
      assert.deepEqual(thresholdsCrossed(0.75, 0.8, DEFAULT_THRESHOLDS), [], 'already at 0.75 before');
      assert.deepEqual(thresholdsCrossed(0.95, 0.5, DEFAULT_THRESHOLDS), [], 'going down crosses nothing');
    });
  });

  describe('over time', () => {
    it('periods in UTC: the day, the Monday of the ISO week, the month', () => {
      assert.equal(periodOf('2026-11-22T23:30:00-02:00', 'day'), '2026-11-23');
      assert.equal(periodOf('2026-11-22T10:00:00Z', 'week'), '2026-11-16', 'a Sunday belongs to the week that began on Monday');
      assert.equal(periodOf('2026-11-23T10:00:00Z', 'week'), '2026-11-23');
      assert.equal(periodOf('2026-11-23T10:00:00Z', 'month'), '2026-11');
      assert.equal(periodOf('soon', 'day'), undefined);
    });

    it('usage by week, oldest first, entries without a time left out', () => {
      const index = setup();
      const u = rolledUsage(index, item(index, f('epics', 'EP-0001-a.md')));
      assert.deepEqual(usageByPeriod(u.entries, 'week'), [['2026-11-02', 1500], ['2026-11-09', 500]]);
      assert.deepEqual(usageByPeriod(u.entries, 'month'), [['2026-11', 2000]]);
    });
  });

  describe('logging usage', () => {
    const NOW = new Date('2026-11-30T12:00:00.000Z');
    /** Log on the file's text, write it back into the index, and return the new text and item. */
    function log(index: TaskIndex, file: string, u: Parameters<typeof logUsageChanges>[1]) {
      const before = index.entry(file)!.item!;
      const text = editFrontmatter(TEXTS.get(file)!, logUsageChanges(before, u, NOW)).text;
      TEXTS.set(file, text);
      index.set(file, text);
      return { text, item: index.entry(file)!.item! };
    }
    const TEXTS = new Map<string, string>();
    const CLI = f('tasks', 'TSK-0100-logged.md');
    const CLI_TEXT = '---\r\ntask_id: TSK-0100\r\nissue_id: ISS-0001\r\ntitle: Logged\r\nstatus: active\r\ncreated_date: 2026-11-01T00:00:00.000Z\r\nupdated_date: 2026-11-01T00:00:00.000Z\r\nestimated_tokens: 9000\r\nactual_tokens: "350"  # from ai track-tokens\r\nai_context: []\r\n---\r\n# Body\r\nkept\r\n';
    const LEGACY = f('tasks', 'TASK-100-legacy.md');
    const LEGACY_TEXT = '---\nid: TASK-100\ntype: task\ntitle: Old\nstatus: todo\ncreated: 2026-11-01\nupdated: 2026-11-02\nlabels: [x]\ntoken_usage:\n  total: 892\n  by_agent: {claude: 892}\n---\nbody\n';

    it('in a CLI file: an entry appended, actual_tokens raised and written as a number, the rest byte for byte', () => {
      const index = setup();
      TEXTS.set(CLI, CLI_TEXT);
      index.set(CLI, CLI_TEXT);
      const { text, item: after } = log(index, CLI, { input: 1200, output: 300, cachedInput: 1000, agent: 'claude-code', model: 'claude-sonnet-4-5', purpose: 'implement' });
      assert.match(text, /^actual_tokens: 1850 {2}# from ai track-tokens\r$/m, 'a number now, its comment kept');
      assert.ok(text.endsWith('---\r\n# Body\r\nkept\r\n'));
      assert.ok(!/[^\r]\n/.test(text), 'CRLF kept on every line, new ones too');
      const u = itemUsage(after);
      assert.equal(u.used, 1850);
      assert.deepEqual(u.entries, [{ at: NOW.toISOString(), agent: 'claude-code', model: 'claude-sonnet-4-5', input: 1200, output: 300, cachedInput: 1000, purpose: 'implement' }]);
      assert.equal(after.data.updated_date, NOW.toISOString());
      const again = log(index, CLI, { input: 10, output: 5, agent: 'alice' });
      assert.equal(itemUsage(again.item).used, 1865);
      assert.equal(itemUsage(again.item).entries.length, 2);
      assert.deepEqual(index.entry(CLI)!.problems, [], 'the logged file has no problems');
    });

    it('in an older-format file: token_usage.total and by_agent raised, updated kept a date', () => {
      const index = setup();
      withMemoryProject(index);
      TEXTS.set(LEGACY, LEGACY_TEXT);
      index.set(LEGACY, LEGACY_TEXT);
      const { text, item: after } = log(index, LEGACY, { input: 100, output: 8, agent: 'claude', team: 'platform' });
      const u = itemUsage(after);
      assert.equal(u.used, 1000);
      assert.deepEqual(u.byAgent, { claude: 1000 });
      assert.deepEqual(u.byTeam, { platform: 108 });
      assert.match(text, /^updated: "2026-11-30"$/m);
      assert.ok(text.endsWith('---\nbody\n'));
      assert.match(text, /^labels: \[x\]$/m, 'the flow list is untouched');
    });

    it('refuses nonsense: nothing to log, negative or fractional counts, more cached than input', () => {
      const index = setup();
      const task = item(index, f('tasks', 'TSK-0001-y.md'));
      assert.throws(() => logUsageChanges(task, { input: 0, output: 0 }), UsageInputError);
      assert.throws(() => logUsageChanges(task, { input: -5, output: 10 }), /whole number/);
      assert.throws(() => logUsageChanges(task, { input: 1.5, output: 10 }), /whole number/);
      assert.throws(() => logUsageChanges(task, { input: 10, output: 1, cachedInput: 11 }), /cannot be more/);
    });
  });
});
