import * as assert from 'assert/strict';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import { CONFIG_FILE, COUNTERS_FILE, defaultConfig, initialConfigYaml, LEGACY_PREFIXES, MAX_CUSTOM_STATUSES, parseConfig, typeFolder } from '../../src/core/config';
import { ID_PATTERN } from '../../src/core/ids';
import { readCorpus } from './helpers';

describe('config', () => {
  it('defaultConfig is the layout `aitrackdown init` creates', () => {
    const c = defaultConfig('demo');
    assert.equal(c.name, 'demo');
    assert.equal(c.tasksDir, 'tasks');
    assert.deepEqual(c.dirs, { epic: 'epics', issue: 'issues', task: 'tasks', pr: 'prs' });
    assert.equal(c.templatesDir, 'templates');
    assert.deepEqual(c.prefixes, { epic: 'EP', issue: 'ISS', task: 'TSK', pr: 'PR' });
    assert.equal(c.defaultAssignee, undefined);
    assert.deepEqual(LEGACY_PREFIXES, { epic: 'EPIC', issue: 'ISSUE', task: 'TASK' });
  });

  it('CONFIG_FILE and COUNTERS_FILE live in .ai-trackdown/', () => {
    assert.equal(CONFIG_FILE, path.join('.ai-trackdown', 'config.yaml'));
    assert.equal(COUNTERS_FILE, path.join('.ai-trackdown', 'counters.json'));
  });

  describe('parseConfig', () => {
    it('reads the CLI shape (flow mappings as `aitrackdown init` writes them)', () => {
      const { config, errors } = parseConfig(readCorpus('cli', '.ai-trackdown', 'config.yaml'), 'folder');
      assert.deepEqual(errors, []);
      assert.equal(config.name, 'storefront');
      assert.equal(config.tasksDir, 'tasks');
      assert.deepEqual(config.dirs, { epic: 'epics', issue: 'issues', task: 'tasks', pr: 'prs' });
      assert.deepEqual(config.prefixes, { epic: 'EP', issue: 'ISS', task: 'TSK', pr: 'PR' });
      assert.equal(config.defaultAssignee, 'alice');
      assert.deepEqual(config.raw.automation, { auto_update_timestamps: true, auto_calculate_tokens: false, auto_sync_status: true });
      assert.deepEqual(config.raw.ai_context_templates, ['context/requirements', 'context/constraints']);
    });

    it('reads the older architecture document shape and keeps budgets, prices, teams and sync settings', () => {
      const { config, errors } = parseConfig(readCorpus('legacy', '.ai-trackdown', 'config.yaml'), 'folder');
      assert.deepEqual(errors, []);
      assert.equal(config.name, 'ShopFlow Platform');
      const defaults = defaultConfig('x');
      assert.deepEqual([config.tasksDir, config.dirs, config.templatesDir, config.prefixes], [defaults.tasksDir, defaults.dirs, defaults.templatesDir, defaults.prefixes]);
      const raw = config.raw as Record<string, any>;
      assert.equal(raw.version, 1);
      assert.deepEqual(raw.project, { name: 'ShopFlow Platform', id_prefix: 'SHOP', default_epic_budget: 50000 });
      assert.equal(raw.sync.github.repo, 'shopflow/platform');
      assert.equal(raw.ai.token_tracking.providers.claude.cost_per_1k_output, 0.015);
      assert.equal(raw.git.patterns.commit_task_ref, '(?:EPIC|ISSUE|TASK)-\\d+');
      assert.deepEqual(raw.teams.mobile, { token_budget: 80000, lead: '@priya' });
      assert.deepEqual(raw.automation.budget_alerts, [{ threshold: 0.75 }, { threshold: 0.9 }]);
    });

    it('reads custom folders and prefixes', () => {
      const text = [
        'name: billing',
        'tasks_directory: work',
        'structure:',
        '  epics_dir: epics',
        '  issues_dir: stories',
        '  tasks_dir: planning/tasks',
        '  prs_dir: reviews',
        '  templates_dir: tpl',
        'naming_conventions: {epic_prefix: BEP, issue_prefix: BST, task_prefix: BTK, pr_prefix: BPR}',
      ].join('\n');
      const { config, errors } = parseConfig(text, 'folder');
      assert.deepEqual(errors, []);
      assert.equal(config.tasksDir, 'work');
      assert.deepEqual(config.dirs, { epic: 'epics', issue: 'stories', task: path.join('planning', 'tasks'), pr: 'reviews' });
      assert.equal(config.templatesDir, 'tpl');
      assert.deepEqual(config.prefixes, { epic: 'BEP', issue: 'BST', task: 'BTK', pr: 'BPR' });
      assert.equal(typeFolder('/r', config, 'task'), path.join('/r', 'work', 'planning', 'tasks'));
    });

    it('falls back to the folder name, and fills missing parts with the defaults', () => {
      for (const text of ['', '# only a comment\n', 'structure: {issues_dir: stories}\n']) {
        const { config, errors } = parseConfig(text, 'my-folder');
        assert.deepEqual(errors, [], JSON.stringify(text));
        assert.equal(config.name, 'my-folder');
        assert.equal(config.tasksDir, 'tasks');
        assert.equal(config.dirs.epic, 'epics');
        assert.equal(config.prefixes.issue, 'ISS');
      }
      assert.equal(parseConfig('structure: {issues_dir: stories}\n', 'f').config.dirs.issue, 'stories');
    });

    it('an empty prefix keeps the default one', () => {
      const { config } = parseConfig('naming_conventions: {epic_prefix: "", issue_prefix: BUG}\n', 'f');
      assert.deepEqual(config.prefixes, { epic: 'EP', issue: 'BUG', task: 'TSK', pr: 'PR' });
    });

    it('default_assignee: null means none', () => {
      assert.equal(parseConfig('default_assignee: null\n', 'f').config.defaultAssignee, undefined);
      assert.equal(parseConfig('default_assignee:\n', 'f').config.defaultAssignee, undefined);
    });

    it('invalid YAML: one clear error, the defaults, no exception', () => {
      const { config, errors } = parseConfig('name: [unclosed\nstructure: {epics_dir: x}\n', 'f');
      assert.equal(errors.length, 1);
      assert.match(errors[0].message, /^config\.yaml is not valid YAML: /);
      assert.deepEqual(config, defaultConfig('f'));
    });

    it('an unquoted @value in config.yaml is reported, not thrown', () => {
      const { errors } = parseConfig('default_assignee: @alice\n', 'f');
      assert.equal(errors.length, 1);
      assert.match(errors[0].message, /not valid YAML/);
    });

    it('a config that is not a mapping is reported and ignored', () => {
      for (const text of ['- a\n- b\n', 'just a string\n', '42\n']) {
        const { config, errors } = parseConfig(text, 'f');
        assert.ok(errors.length >= 1, text);
        assert.deepEqual(config, defaultConfig('f'), text);
      }
    });

    // An alias bomb that were expanded would not finish within mocha's timeout.
    it('an alias bomb in config.yaml is refused', () => {
      let text = 'a: &a [x, x, x, x, x, x, x, x, x]\n';
      for (const [prev, name] of [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e'], ['e', 'f'], ['f', 'g'], ['g', 'h']]) {
        text += `${name}: &${name} [${Array(9).fill(`*${prev}`).join(', ')}]\n`;
      }
      const { errors } = parseConfig(text, 'f');
      assert.equal(errors.length, 1);
      assert.match(errors[0].message, /alias/i);
    });

    it('a value of the wrong type is reported, and only that value falls back to its default', () => {
      const text = [
        'name: 2048',
        'tasks_directory: work',
        'structure: {epics_dir: [a, b], issues_dir: stories}',
        'naming_conventions: {epic_prefix: BEP}',
        'automation:',
        '  # everything here was commented out',
      ].join('\n');
      const { config, errors } = parseConfig(text, 'folder');
      assert.deepEqual(errors.map((e) => e.message.split(':')[0]).sort(), ['config.yaml automation', 'config.yaml name', 'config.yaml structure.epics_dir']);
      assert.equal(config.name, 'folder');
      assert.equal(config.tasksDir, 'work');
      assert.deepEqual(config.dirs, { epic: 'epics', issue: 'stories', task: 'tasks', pr: 'prs' });
      assert.equal(config.prefixes.epic, 'BEP');
    });

    describe('workflows.statuses: the custom status words of older-format files', () => {
      const statusesOf = (yaml: string) => parseConfig(yaml, 'folder');

      it('a list of names, as the older document writes it, gives the words beyond its own', () => {
        const { config, errors } = statusesOf('workflows:\n  statuses: [todo, in-progress, in-review, security-review, done, blocked, cancelled]\n');
        assert.deepEqual(errors, []);
        assert.deepEqual(config.customStatuses, ['security-review']);
      });

      it('a list of {name: …} maps too, with their other keys ignored; a repeated name counts once', () => {
        const { config, errors } = statusesOf('workflows:\n  statuses:\n    - {name: Ready for QA, color: yellow}\n    - name: on-hold\n    - on-hold\n');
        assert.deepEqual(errors, []);
        assert.deepEqual(config.customStatuses, ['Ready for QA', 'on-hold']);
      });

      it('none without workflows, without statuses, or with the other shapes workflows takes', () => {
        assert.deepEqual(defaultConfig('p').customStatuses, []);
        for (const yaml of ['name: p\n', 'workflows:\n  default:\n    states: [todo, done]\n', 'workflows: 3\n', 'workflows:\n  statuses:\n']) {
          const { config, errors } = statusesOf(yaml);
          assert.deepEqual([config.customStatuses, errors], [[], []], yaml);
        }
        assert.deepEqual(parseConfig(readCorpus('legacy', '.ai-trackdown', 'config.yaml'), 'folder').config.customStatuses, []);
      });

      it('a number or a map instead of a list: said once, nothing declared', () => {
        for (const yaml of ['workflows: {statuses: 7}\n', 'workflows:\n  statuses: {junk: 1, more: [2]}\n', 'workflows: {statuses: security-review}\n']) {
          const { config, errors } = statusesOf(yaml);
          assert.deepEqual(config.customStatuses, [], yaml);
          assert.deepEqual(errors.map((e) => e.message), ['config.yaml workflows.statuses: expected a list of status names; ignored'], yaml);
        }
      });

      it('entries that are not words are left out and counted in one error; the others stay', () => {
        const yaml = 'workflows:\n  statuses: [on-hold, 42, null, [a], {title: x}, {name: 5}, __proto__, "{name: x}", "", " lead", "a\\nb", {name: "-x"}]\n';
        const { config, errors } = statusesOf(yaml);
        assert.deepEqual(config.customStatuses, ['on-hold']);
        assert.deepEqual(errors.map((e) => e.message), [
          'config.yaml workflows.statuses: 11 of 12 entries are not status names (a word starting with a letter, up to 40 characters); ignored',
        ]);
      });

      it('names of Object.prototype members are plain words, declared only where a config says so', () => {
        const { config } = statusesOf('workflows:\n  statuses: [constructor, toString, hasOwnProperty]\n');
        assert.deepEqual(config.customStatuses, ['constructor', 'toString', 'hasOwnProperty']);
        assert.deepEqual(defaultConfig('p').customStatuses, []);
      });

      it('10,000 entries are read without trouble; only the first 50 distinct names are used, and that is said', () => {
        const names = Array.from({ length: 10000 }, (_, i) => `s${i}`);
        const { config, errors } = statusesOf(`workflows:\n  statuses: [${names.join(', ')}]\n`);
        assert.deepEqual(config.customStatuses, names.slice(0, MAX_CUSTOM_STATUSES));
        assert.deepEqual(errors.map((e) => e.message), [`config.yaml workflows.statuses: 10000 statuses declared; only the first ${MAX_CUSTOM_STATUSES} are used`]);
      });

      it('a bad statuses list leaves the rest of the config as it was', () => {
        const { config } = statusesOf('tasks_directory: work\nnaming_conventions: {epic_prefix: BEP}\nworkflows: {statuses: 7}\n');
        assert.equal(config.tasksDir, 'work');
        assert.equal(config.prefixes.epic, 'BEP');
      });
    });

    describe('folder names must stay inside the project', () => {
      const unsafe = ['../x', '..', '../../etc', 'a/../../x', '/etc', '/tmp/tasks', '.', './', 'a/..'];
      for (const value of unsafe) {
        it(`tasks_directory: ${JSON.stringify(value)} is refused`, () => {
          const { config, errors } = parseConfig(`tasks_directory: ${JSON.stringify(value)}\n`, 'f');
          assert.equal(config.tasksDir, 'tasks');
          assert.equal(errors.length, 1);
          assert.match(errors[0].message, /^tasks_directory: .* must be a folder inside the project; using "tasks"$/);
        });
      }

      it('every structure folder is checked the same way', () => {
        const text = 'structure: {epics_dir: ../e, issues_dir: /i, tasks_dir: "..", prs_dir: ok/prs, templates_dir: ../../t}\n';
        const { config, errors } = parseConfig(text, 'f');
        assert.deepEqual(config.dirs, { epic: 'epics', issue: 'issues', task: 'tasks', pr: path.join('ok', 'prs') });
        assert.equal(config.templatesDir, 'templates');
        assert.deepEqual(errors.map((e) => e.message.split(':')[0]), [
          'structure.epics_dir',
          'structure.issues_dir',
          'structure.tasks_dir',
          'structure.templates_dir',
        ]);
      });

      it('names that only look odd but stay inside are kept, normalised', () => {
        const { config, errors } = parseConfig('tasks_directory: ./work/../tasks2\nstructure: {epics_dir: "..epics"}\n', 'f');
        assert.deepEqual(errors, []);
        assert.equal(config.tasksDir, 'tasks2');
        assert.equal(config.dirs.epic, '..epics');
      });

      it('every folder of a parsed config resolves inside the root', () => {
        const text = 'tasks_directory: ../../x\nstructure: {epics_dir: ../../../y, issues_dir: /z, tasks_dir: a/../../b, prs_dir: ../p}\n';
        const { config } = parseConfig(text, 'f');
        const root = path.resolve('/projects/p');
        for (const type of ['epic', 'issue', 'task', 'pr'] as const) {
          const rel = path.relative(root, typeFolder(root, config, type));
          assert.ok(!rel.startsWith('..') && !path.isAbsolute(rel), `${type}: ${rel}`);
        }
      });
    });

    describe('id prefixes must make ids that stay file names and parse back', () => {
      for (const prefix of ['../../x', 'a/b', 'EP-X', 'E P', '9EP', '-EP', 'EP.', 'Ö']) {
        it(`epic_prefix: ${JSON.stringify(prefix)} is refused`, () => {
          const { config, errors } = parseConfig(`naming_conventions: {epic_prefix: ${JSON.stringify(prefix)}}\n`, 'f');
          assert.equal(config.prefixes.epic, 'EP');
          assert.equal(errors.length, 1);
          assert.match(errors[0].message, /^naming_conventions\.epic_prefix: /);
        });
      }

      it('prefixes the CLI accepts are kept', () => {
        const { config, errors } = parseConfig('naming_conventions: {epic_prefix: Epic2, issue_prefix: BUG_X, task_prefix: t, pr_prefix: MR}\n', 'f');
        assert.deepEqual(errors, []);
        assert.deepEqual(config.prefixes, { epic: 'Epic2', issue: 'BUG_X', task: 't', pr: 'MR' });
        for (const p of Object.values(config.prefixes)) assert.match(`${p}-0001`, ID_PATTERN);
      });
    });
  });

  describe('git.patterns.commit_task_ref: checked as the config loads', () => {
    type Brief = [line: number, char: number, endLine: number, endChar: number];
    /** The range of a one-line literal in a text, worked out by hand from its lines. */
    const rangeOf = (text: string, literal: string): Brief => {
      const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
      const line = lines.findIndex((l) => l.includes(literal));
      const char = lines[line].indexOf(literal);
      return [line, char, line, char + literal.length];
    };
    const brief = (text: string) =>
      parseConfig(text, 'p').errors.map((e) => [e.message, e.range && [e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character]] as const);

    it('a pattern RE2 cannot run is one error, at the exact range of its value', () => {
      const cases: [text: string, literal: string, why: RegExp][] = [
        ['name: p\ngit:\n  patterns:\n    commit_task_ref: "(?=TSK)(TSK-\\\\d+)"\n    status_keywords: {fixes: done}\n', '"(?=TSK)(TSK-\\\\d+)"', /lookahead/],
        ["git: {patterns: {commit_task_ref: '(TSK)-(\\d+) \\1'}}\n", "'(TSK)-(\\d+) \\1'", /backreferences/],
        ['\ufeffname: p\r\ngit:\r\n  patterns:\r\n    commit_task_ref: (TSK-\\d+\r\n', '(TSK-\\d+', /missing closing \)/],
        ['git:\n  patterns:\n    commit_task_ref: "(\\\\w{0,1000})(\\\\w{0,1000})#"  # too big\n', '"(\\\\w{0,1000})(\\\\w{0,1000})#"', /too complex/],
        ['git:\n  patterns:\n    commit_task_ref: 42\n', '42', /must be a regular expression string/],
      ];
      for (const [text, literal, why] of cases) {
        const errors = brief(text);
        assert.equal(errors.length, 1, text);
        assert.match(errors[0][0], /^git\.patterns\.commit_task_ref /, text);
        assert.match(errors[0][0], why, text);
        assert.match(errors[0][0], /; using the default$/, text);
        assert.deepEqual(errors[0][1], rangeOf(text, literal), text);
      }
    });

    it('a folded value spanning lines: from its indicator to its last character', () => {
      const text = 'git:\n  patterns:\n    commit_task_ref: >-\n      (TSK-\\d+)\n      (?!x)\n\nname: p\n';
      const errors = brief(text);
      assert.equal(errors.length, 1);
      assert.match(errors[0][0], /lookahead/);
      assert.deepEqual(errors[0][1], [2, 21, 4, 11]);
    });

    it('a usable pattern, an empty one and none at all are no error', () => {
      for (const text of ['git: {patterns: {commit_task_ref: "\\\\[((?:TASK|ISSUE)-\\\\d+)\\\\]"}}\n', 'git: {patterns: {commit_task_ref: ""}}\n', 'git: {patterns: {commit_task_ref: null}}\n', 'git: {patterns: {}}\n', 'name: p\n']) {
        assert.deepEqual(parseConfig(text, 'p').errors, [], text);
      }
    });
  });

  describe('initialConfigYaml', () => {
    it('writes the CLI shape, readable back with no errors', () => {
      const text = initialConfigYaml('demo project', 'alice');
      const { config, errors } = parseConfig(text, 'f');
      assert.deepEqual(errors, []);
      assert.equal(config.name, 'demo project');
      assert.equal(config.defaultAssignee, 'alice');
      assert.deepEqual(config.prefixes, defaultConfig('x').prefixes);
      const raw = parseYaml(text) as Record<string, unknown>;
      assert.deepEqual(Object.keys(raw), [
        'name',
        'description',
        'version',
        'tasks_directory',
        'structure',
        'naming_conventions',
        'default_assignee',
        'ai_context_templates',
        'automation',
      ]);
      assert.equal(raw.description, 'AI-Trackdown software project: demo project');
    });

    it('quotes hostile names so they cannot add keys', () => {
      const name = 'x"\ntasks_directory: ../../etc\n#';
      const { config, errors } = parseConfig(initialConfigYaml(name, '@bob: z'), 'f');
      assert.deepEqual(errors, []);
      assert.equal(config.name, name);
      assert.equal(config.tasksDir, 'tasks');
      assert.equal(config.defaultAssignee, '@bob: z');
    });

    it('leaves default_assignee out when there is none', () => {
      assert.ok(!initialConfigYaml('demo').includes('default_assignee'));
    });
  });
});
