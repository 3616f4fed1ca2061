import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { COUNTERS_FILE } from '../../src/core/config';
import { allocateId } from '../../src/core/create';
import { isBlocked, Item, stateText } from '../../src/core/model';
import { Project, TaskIndex } from '../../src/core/index';
import { MIGRATED_BLOCKED_REASON, MigrationPlan, planMigration } from '../../src/core/migrate';
import { findFrontmatter, FrontmatterBlock, parseItem } from '../../src/core/parse';
import { indexProject, listTaskFiles, loadProject } from '../../src/core/project';
import { tempFolders, writeTree } from './helpers';

const crlf = (s: string) => s.replace(/\n/g, '\r\n');

/** An older-format project as the architecture document describes it, plus a CLI file that links into it. */
const PROJECT: Record<string, string> = {
  '.ai-trackdown/config.yaml': `version: 1
project:
  name: "ShopFlow"
  id_prefix: "SHOP"
  default_epic_budget: 50000
sync:
  github: {enabled: true, repo: shopflow/platform}
teams:
  platform: {token_budget: 200000, lead: sarah}
`,
  '.ai-trackdown/counters.json': '{"epic":1,"issue":2,"task":1,"pr":1,"comment":1}\n',
  'tasks/epics/EPIC-001-authentication.md': `---
id: EPIC-001
type: epic
title: Modern authentication
status: in-progress
assignee: sarah
created: 2025-01-01T09:00:00Z
updated: 2025-01-07
# agreed with finance in January
token_budget: 40000
labels: [auth, security]
token_usage:
  total: 22847
  by_agent:
    claude: 12892
    gpt4: 9955
  by_team:
    platform: 22847
sync:
  github: 145
  jira: AUTH-234
---

# Modern authentication

<!-- AI_CONTEXT_START -->
Replaces server sessions with JWT.
<!-- AI_CONTEXT_END -->
`,
  'tasks/epics/EPIC-002-reporting.md': `---
id: EPIC-002
type: epic
title: Reporting
status: done
created: 2024-11-02
---
Reporting shipped.`,
  // A BOM and CRLF line ends, as editors on Windows write them.
  'tasks/issues/ISSUE-001-jwt-service.md': `\ufeff${crlf(`---
id: ISSUE-001
type: issue
title: JWT service
status: in-review
epic: EPIC-001
assignee: "@alex"
created: 2025-01-02 14:30
updated: 2025-01-05T10:00:00+0100
labels:
  - jwt
estimate: 5d
---

## Acceptance

- [x] tokens are signed
`)}`,
  'tasks/issues/ISSUE-002-export.md': `---
id: ISSUE-002
type: issue
title: Export to CSV
status: todo
epic: EPIC-002
---
`,
  'tasks/tasks/TASK-001-middleware.md': `---
id: TASK-001
type: task
title: 'JWT middleware: verify & refresh'
status: in-progress
issue: ISSUE-001
epic: EPIC-001
assignee: alex
created: 2025-01-02
updated: 2025-01-03
dependencies: [TASK-002]
estimate: 3h
token_usage: {total: 1200, by_agent: {claude: 1200}}
---

# JWT middleware

<!-- AI_CONTEXT_START -->
Express middleware; see src/auth/jwt.ts.
<!-- AI_CONTEXT_END -->
`,
  'tasks/tasks/TASK-002-keys.md': `---
id: TASK-002
type: task
title: Key rotation
status: done
issue: ISSUE-001
created: 2025-01-02
updated: 2025-01-04
notes: |
  Rotate monthly.
  ---
  Keep two keys live.
---
`,
  // The CLI format has no task without an issue: reported, left as it is (its epic link is updated).
  'tasks/tasks/TASK-003-docs.md': `---
id: TASK-003
type: task
title: Write the docs
status: todo
epic: EPIC-001
---
`,
  // An unquoted @value is a YAML error: reported, never migrated.
  'tasks/issues/ISSUE-003-oauth.md': `---
id: ISSUE-003
type: issue
title: OAuth providers
status: todo
epic: EPIC-001
assignee: @priya
---
`,
  'tasks/epics/EPIC-003-unclosed.md': '---\nid: EPIC-003\ntype: epic\ntitle: Never closed\n',
  // The same id twice (a copied file): neither is migrated.
  'tasks/tasks/TASK-004-a.md': '---\nid: TASK-004\ntype: task\ntitle: A\nissue: ISSUE-002\n---\n',
  'tasks/tasks/TASK-004-b.md': '---\nid: TASK-004\ntype: task\ntitle: B\nissue: ISSUE-002\n---\n',
  // A CLI-format issue that links to older-format items: its links follow them.
  'tasks/issues/ISS-0001-dashboard.md': `---
issue_id: ISS-0001
epic_id: EPIC-002 # reporting
title: Dashboard
status: active
priority: medium
assignee: bob
created_date: 2025-02-01T10:00:00.000Z
updated_date: 2025-02-01T10:00:00.000Z
blocked_by: [ISSUE-001, ISS-0099]
blocks: []
---

# Dashboard
`,
};

const OLD_FILES_MIGRATED = [
  'tasks/epics/EPIC-001-authentication.md',
  'tasks/epics/EPIC-002-reporting.md',
  'tasks/issues/ISSUE-001-jwt-service.md',
  'tasks/issues/ISSUE-002-export.md',
  'tasks/tasks/TASK-001-middleware.md',
  'tasks/tasks/TASK-002-keys.md',
];

describe('migrate', () => {
  let root: string;
  let project: Project;
  let files: { file: string; text: string }[];
  let plan: MigrationPlan;
  const NOW = new Date('2026-03-01T12:00:00.000Z');
  const abs = (rel: string) => path.join(root, ...rel.split('/'));
  const step = (oldId: string) => {
    const s = plan.steps.find((x) => x.oldId === oldId);
    assert.ok(s, `no step for ${oldId}`);
    return s;
  };
  const parsed = (oldId: string) => {
    const s = step(oldId);
    const type = s.newId.startsWith('EP-') ? 'epic' : s.newId.startsWith('ISS-') ? 'issue' : 'task';
    const r = parseItem(s.text, { file: s.to, root, type, config: project.config });
    assert.deepEqual(r.problems.filter((p) => p.severity !== 'hint' && p.severity !== 'info'), [], s.text);
    return r.item as Item;
  };

  beforeEach(async () => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'aitd-migrate-')));
    for (const [rel, text] of Object.entries(PROJECT)) {
      fs.mkdirSync(path.dirname(abs(rel)), { recursive: true });
      fs.writeFileSync(abs(rel), text);
    }
    project = await loadProject(root);
    files = (await listTaskFiles(project)).map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
    plan = planMigration(project, files, { countersText: fs.readFileSync(abs(COUNTERS_FILE), 'utf8'), now: NOW });
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('gives every migratable item a new id from the project prefixes and counters, in type then id order', () => {
    assert.deepEqual(Object.fromEntries(plan.idMap), {
      'EPIC-001': 'EP-0001',
      'EPIC-002': 'EP-0002',
      'ISSUE-001': 'ISS-0002', // the counter says 2: ISS-0001 exists
      'ISSUE-002': 'ISS-0003',
      'TASK-001': 'TSK-0001',
      'TASK-002': 'TSK-0002',
    });
    assert.deepEqual(plan.steps.map((s) => path.relative(root, s.from).split(path.sep).join('/')).sort(), [...OLD_FILES_MIGRATED].sort());
    assert.equal(step('EPIC-001').to, abs('tasks/epics/EP-0001-modern-authentication.md'));
    assert.equal(step('TASK-001').to, abs('tasks/tasks/TSK-0001-jwt-middleware-verify-refresh.md'));
    assert.deepEqual(JSON.parse(plan.countersText!), { epic: 3, issue: 4, task: 3, pr: 1, comment: 1 });
  });

  it('reports what it cannot migrate instead of guessing', () => {
    const about = (rel: string) => plan.problems.filter((p) => p.startsWith(`${rel}:`));
    assert.match(about('tasks/tasks/TASK-003-docs.md')[0], /belongs to an issue/);
    assert.match(about('tasks/issues/ISSUE-003-oauth.md')[0], /line 7: A value starting with @ must be quoted/);
    assert.match(about('tasks/epics/EPIC-003-unclosed.md')[0], /not closed/);
    assert.match(about('tasks/tasks/TASK-004-a.md')[0], /TASK-004 is also used by tasks\/tasks\/TASK-004-b\.md/);
    assert.match(about('tasks/tasks/TASK-004-b.md')[0], /TASK-004 is also used by tasks\/tasks\/TASK-004-a\.md/);
    // A file that cannot be read cannot have its links edited either: said too, so that it is fixed by hand.
    assert.match(about('tasks/issues/ISSUE-003-oauth.md')[1], /links to `epic` were not updated/);
    assert.equal(plan.problems.length, 6, plan.problems.join('\n'));
    for (const id of ['TASK-003', 'ISSUE-003', 'EPIC-003', 'TASK-004']) assert.ok(!plan.idMap.has(id));
  });

  it('writes the CLI keys in the CLI order, maps status, links, dates, labels and tokens, and keeps every other key', () => {
    const epic = parsed('EPIC-001');
    assert.deepEqual(Object.keys(epic.data), [
      'epic_id', 'title', 'description', 'status', 'priority', 'assignee', 'created_date', 'updated_date', 'estimated_tokens',
      'actual_tokens', 'ai_context', 'sync_status', 'related_issues', 'tags', 'dependencies', 'completion_percentage',
      'token_budget', 'token_usage', 'sync',
    ]);
    assert.equal(epic.format, 'cli');
    assert.equal(epic.id, 'EP-0001');
    assert.equal(epic.data.status, 'active');
    assert.equal(epic.data.created_date, '2025-01-01T09:00:00.000Z');
    assert.equal(epic.data.updated_date, '2025-01-07T00:00:00.000Z');
    assert.deepEqual(epic.data.tags, ['auth', 'security']);
    assert.equal(epic.data.actual_tokens, 22847);
    assert.equal(epic.data.token_budget, 40000);
    assert.deepEqual(epic.data.token_usage, { total: 22847, by_agent: { claude: 12892, gpt4: 9955 }, by_team: { platform: 22847 } });
    assert.deepEqual(epic.data.sync, { github: 145, jira: 'AUTH-234' });
    assert.deepEqual(epic.data.related_issues, ['ISS-0002']);
    assert.equal(epic.data.sync_status, 'local');
    assert.equal(epic.data.completion_percentage, 0);
    assert.ok(step('EPIC-001').text.includes('# agreed with finance in January\ntoken_budget: 40000\n'), 'YAML comments stay with their key');
    assert.ok(step('EPIC-001').text.includes('tags: [auth, security]\n'), 'a flow list stays a flow list');

    const done = parsed('EPIC-002');
    assert.equal(done.data.status, 'completed');
    assert.equal(done.state, 'done');
    assert.equal(done.data.completion_percentage, 100);
    assert.equal(done.data.assignee, 'unassigned');
    assert.equal(done.data.priority, 'medium');
    assert.equal(done.data.updated_date, done.data.created_date);

    const issue = parsed('ISSUE-001');
    assert.equal(issue.data.status, 'active');
    assert.equal(issue.data.state, 'ready_for_qa');
    // The CLI's validator asks for a record beside every state.
    assert.deepEqual(issue.data.state_metadata, {
      transitioned_at: '2025-01-05T09:00:00.000Z',
      transitioned_by: 'migration',
      automation_eligible: false,
      transition_reason: 'migrated from the older format',
    });
    assert.equal(issue.epicId, 'EP-0001');
    assert.equal(issue.assignee, '@alex');
    assert.equal(issue.data.created_date, '2025-01-02T14:30:00.000Z');
    assert.equal(issue.data.updated_date, '2025-01-05T09:00:00.000Z');
    assert.equal(issue.data.estimate, '5d');
    assert.deepEqual(issue.data.related_tasks, ['TSK-0001', 'TSK-0002']);
    assert.deepEqual(Object.keys(issue.data).slice(0, 6), ['issue_id', 'epic_id', 'title', 'description', 'status', 'state']);

    const task = parsed('TASK-001');
    assert.equal(task.data.status, 'active');
    assert.equal(task.issueId, 'ISS-0002');
    assert.equal(task.epicId, 'EP-0001');
    assert.equal(task.title, 'JWT middleware: verify & refresh');
    assert.deepEqual(task.data.dependencies, ['TSK-0002']);
    assert.equal(task.data.actual_tokens, 1200);
    assert.deepEqual(task.data.token_usage, { total: 1200, by_agent: { claude: 1200 } });
    assert.ok(!('id' in task.data) && !('type' in task.data) && !('issue' in task.data) && !('epic' in task.data) && !('labels' in task.data));
    assert.ok(!('epic_id' in parsed('TASK-002').data), 'no epic is invented for a task that named none');
    assert.ok(step('TASK-002').text.includes('\nnotes: |\n  Rotate monthly.\n  ---\n  Keep two keys live.\n---\n'), 'a block scalar stays one');
  });

  it('keeps the body byte for byte, and the BOM and CRLF line ends', () => {
    for (const s of plan.steps) {
      const old = files.find((f) => f.file === s.from)!.text;
      const oldBody = old.slice((findFrontmatter(old) as FrontmatterBlock).bodyOffset);
      const newBody = s.text.slice((findFrontmatter(s.text) as FrontmatterBlock).bodyOffset);
      assert.equal(newBody, oldBody, s.oldId);
    }
    assert.ok(step('EPIC-001').text.endsWith('\n<!-- AI_CONTEXT_START -->\nReplaces server sessions with JWT.\n<!-- AI_CONTEXT_END -->\n'));
    assert.ok(step('EPIC-002').text.endsWith('---\nReporting shipped.'));
    const crlfText = step('ISSUE-001').text;
    assert.ok(crlfText.startsWith('\ufeff---\r\nissue_id: ISS-0002\r\n'));
    assert.equal(crlfText.replace(/\r\n/g, '').includes('\n'), false, 'every line end is CRLF');
  });

  it('updates links in files that stay, with minimal edits', () => {
    const refs = Object.fromEntries(plan.references.map((r) => [path.relative(root, r.file).split(path.sep).join('/'), r.text]));
    assert.deepEqual(Object.keys(refs).sort(), [
      'tasks/issues/ISS-0001-dashboard.md',
      'tasks/tasks/TASK-003-docs.md',
      'tasks/tasks/TASK-004-a.md',
      'tasks/tasks/TASK-004-b.md',
    ]);
    const before = PROJECT['tasks/issues/ISS-0001-dashboard.md'];
    assert.equal(
      refs['tasks/issues/ISS-0001-dashboard.md'],
      before.replace('epic_id: EPIC-002 # reporting', 'epic_id: EP-0002 # reporting').replace('[ISSUE-001, ISS-0099]', '[ISS-0002, ISS-0099]'),
    );
    assert.equal(refs['tasks/tasks/TASK-003-docs.md'], PROJECT['tasks/tasks/TASK-003-docs.md'].replace('epic: EPIC-001', 'epic: EP-0001'));
    // Older-format files that stay (for now) keep pointing at the right items too.
    assert.equal(refs['tasks/tasks/TASK-004-a.md'], PROJECT['tasks/tasks/TASK-004-a.md'].replace('issue: ISSUE-002', 'issue: ISS-0003'));
  });

  it('is pure: planning changes nothing on disk', () => {
    for (const [rel, text] of Object.entries(PROJECT)) assert.equal(fs.readFileSync(abs(rel), 'utf8'), text, rel);
    assert.equal(fs.readdirSync(abs('tasks/epics')).length, 3);
  });

  it('applied, gives a project whose hierarchy survives with no diagnostics left on migrated files', async () => {
    for (const s of plan.steps) {
      fs.writeFileSync(s.to, s.text, { flag: 'wx' });
      fs.rmSync(s.from);
    }
    for (const r of plan.references) fs.writeFileSync(r.file, r.text);
    fs.writeFileSync(abs(COUNTERS_FILE), plan.countersText!);

    const index = new TaskIndex();
    index.setProject(project);
    await indexProject(index, project);
    const byId = (id: string) => {
      const found = index.byId(root, id);
      assert.equal(found.length, 1, id);
      return found[0];
    };
    for (const id of plan.idMap.values()) {
      const item = byId(id);
      assert.equal(item.format, 'cli');
      assert.deepEqual([...index.entry(item.file)!.problems, ...index.linkProblems(item)], [], item.file);
    }
    const dashboard = byId('ISS-0001');
    assert.deepEqual(index.entry(dashboard.file)!.problems, []);
    assert.deepEqual(index.linkProblems(dashboard), []);

    const ids = (items: Item[]) => items.map((i) => i.id).sort();
    assert.deepEqual(ids(index.children(byId('EP-0001'))), ['ISS-0002', 'TASK-003']);
    assert.deepEqual(ids(index.children(byId('EP-0002'))), ['ISS-0001', 'ISS-0003']);
    assert.deepEqual(ids(index.children(byId('ISS-0002'))), ['TSK-0001', 'TSK-0002']);
    assert.equal(index.parent(byId('TSK-0001'))?.id, 'ISS-0002');
    assert.deepEqual(index.progress(byId('ISS-0002')), { done: 1, total: 2 });

    // Only the files that were reported still carry diagnostics, and they are untouched.
    const noisy = [...index.allEntries()]
      .filter((e) => [...e.problems, ...index.linkProblems(e.item)].some((p) => p.severity === 'error' || p.severity === 'warning'))
      .map((e) => path.relative(root, e.file).split(path.sep).join('/'))
      .sort();
    assert.deepEqual(noisy, ['tasks/epics/EPIC-003-unclosed.md', 'tasks/issues/ISSUE-003-oauth.md', 'tasks/tasks/TASK-004-a.md', 'tasks/tasks/TASK-004-b.md']);
    for (const rel of noisy.slice(0, 2)) assert.equal(fs.readFileSync(abs(rel), 'utf8'), PROJECT[rel]);

    // The counters moved past the new ids: the next item never reuses one.
    const taken = [...index.items(root)].map((i) => i.id);
    assert.equal(allocateId(project.config, 'issue', fs.readFileSync(abs(COUNTERS_FILE), 'utf8'), taken).id, 'ISS-0004');

    // Migrating again finds only what was reported before.
    const again = planMigration(project, (await listTaskFiles(project)).map((file) => ({ file, text: fs.readFileSync(file, 'utf8') })));
    assert.deepEqual(again.steps, []);
    assert.deepEqual(again.references, []);
    assert.equal(again.problems.length, 5);
  });

  it('reports comments kept in a folder named after a migrated issue', () => {
    const comment = abs('tasks/issues/comments/ISSUE-002/COMMENT-0001.md');
    const text = '---\nid: COMMENT-0001\nissueId: ISSUE-002\nauthor: bob\ncreatedAt: 2025-01-02T00:00:00.000Z\n---\nLooks good.\n';
    const p = planMigration(project, [...files, { file: comment, text }], { now: NOW });
    assert.ok(p.problems.some((x) => x.includes('COMMENT-0001.md') && x.includes('comments/ISS-0003/')), p.problems.join('\n'));
    assert.ok(!p.references.some((r) => r.file === comment));
  });

  it('without counters.json, starts past every id on disk', () => {
    const p = planMigration(project, files);
    assert.equal(p.idMap.get('ISSUE-001'), 'ISS-0002');
    assert.equal(p.idMap.get('EPIC-001'), 'EP-0001');
    assert.ok(p.countersText);
  });

  it('migrates nothing and says so when there is nothing older-format', () => {
    const cli = files.filter((f) => f.file.endsWith('ISS-0001-dashboard.md'));
    const p = planMigration(project, cli);
    assert.deepEqual(p, { steps: [], references: [], idMap: new Map(), problems: [] });
  });
});

describe('migrate: the older statuses and owner', () => {
  const temp = tempFolders();
  const CONFIG = 'version: 1\nproject: {name: Legacy}\nworkflows:\n  statuses: [todo, in-progress, done, blocked, cancelled, security-review, Ready for QA]\n';
  const FILES: Record<string, string> = {
    '.ai-trackdown/config.yaml': CONFIG,
    'tasks/epics/EPIC-001-payments.md': `---
id: EPIC-001
type: epic
title: Payments
status: blocked # waiting for the bank
owner: "@teamlead"
created: 2025-01-01T09:00:00Z
updated: 2025-01-07
token_budget: 50000
---

# Payments
`,
    'tasks/epics/EPIC-002-legacy-api.md': '---\nid: EPIC-002\ntype: epic\ntitle: Legacy API\nstatus: cancelled\nowner: sarah\nassignee: alex\ncreated: 2025-01-02\n---\nDropped.',
    'tasks/issues/ISSUE-001-card-form.md': '---\nid: ISSUE-001\ntype: issue\ntitle: Card form\nstatus: Ready for QA\nepic: EPIC-001\nowner: priya\nassignee: priya\ncreated: 2025-01-03\n---\n',
    'tasks/issues/ISSUE-002-audit.md': '---\nid: ISSUE-002\ntype: issue\ntitle: Audit\nstatus: security-review\nepic: EPIC-001\n---\n',
  };
  let root: string;
  let project: Project;
  let plan: MigrationPlan;
  const textOf = (oldId: string) => plan.steps.find((s) => s.oldId === oldId)!.text;
  const read = (oldId: string) => {
    const s = plan.steps.find((x) => x.oldId === oldId)!;
    const r = parseItem(s.text, { file: s.to, root, type: s.newId.startsWith('EP-') ? 'epic' : 'issue', config: project.config });
    assert.deepEqual(r.problems, [], s.text);
    return r.item!;
  };
  const metadata = (at: string) =>
    `state_metadata:\n  transitioned_at: ${at}\n  transitioned_by: dana\n  automation_eligible: false\n  transition_reason: migrated from the older format\n`;

  beforeEach(async () => {
    root = writeTree(temp('aitd-migrate-statuses'), FILES);
    project = await loadProject(root);
    const files = (await listTaskFiles(project)).map((file) => ({ file, text: fs.readFileSync(file, 'utf8') }));
    plan = planMigration(project, files, { now: new Date('2026-03-01T12:00:00.000Z'), by: 'dana' });
  });

  it('blocked stays open (active) and keeps the block in state_metadata.blocked_reason; owner becomes assignee; other bytes stay', () => {
    assert.equal(
      textOf('EPIC-001'),
      `---
epic_id: EP-0001
title: Payments
description: ""
status: active # waiting for the bank
state: active
${metadata('2025-01-07T00:00:00.000Z')}  blocked_reason: ${MIGRATED_BLOCKED_REASON}
priority: medium
assignee: "@teamlead"
created_date: 2025-01-01T09:00:00.000Z
updated_date: 2025-01-07T00:00:00.000Z
estimated_tokens: 0
actual_tokens: 0
ai_context: []
sync_status: local
related_issues:
  - ISS-0001
dependencies: []
completion_percentage: 0
token_budget: 50000
---

# Payments
`,
    );
    const epic = read('EPIC-001');
    assert.deepEqual([epic.state, isBlocked(epic), stateText(epic), epic.assignee], ['active', true, 'Active (blocked)', '@teamlead']);
  });

  it("cancelled is won't do (status archived); an owner naming someone else than the assignee stays, the assignee wins", () => {
    assert.equal(
      textOf('EPIC-002'),
      `---
epic_id: EP-0002
title: Legacy API
description: ""
status: archived
state: won_t_do
${metadata('2025-01-02T00:00:00.000Z')}priority: medium
assignee: alex
created_date: 2025-01-02T00:00:00.000Z
updated_date: 2025-01-02T00:00:00.000Z
estimated_tokens: 0
actual_tokens: 0
ai_context: []
sync_status: local
related_issues: []
dependencies: []
completion_percentage: 0
owner: sarah
---
Dropped.`,
    );
    const epic = read('EPIC-002');
    assert.deepEqual([epic.state, epic.assignee, isBlocked(epic)], ['won_t_do', 'alex', false]);
  });

  it('a declared status that names a state migrates to it; an owner equal to the assignee is not written twice', () => {
    const text = textOf('ISSUE-001');
    assert.ok(text.includes(`\nstatus: active\nstate: ready_for_qa\n${metadata('2025-01-03T00:00:00.000Z')}priority: medium\nassignee: priya\n`), text);
    assert.ok(!text.includes('owner'), text);
    assert.equal(read('ISSUE-001').state, 'ready_for_qa');
  });

  it('a declared status that names no state is not guessed: the file stays, and why is said', () => {
    assert.ok(!plan.idMap.has('ISSUE-002'));
    assert.deepEqual(plan.problems, [
      'tasks/issues/ISSUE-002-audit.md: not migrated; its status "security-review" (declared in config.yaml\'s workflows.statuses) names no state of the CLI\'s workflow: change it to one that does (todo, open, in-progress, in-review, done, blocked, cancelled) first.',
    ]);
    // It is still linked to its epic under the new id, and otherwise untouched.
    const ref = plan.references.find((r) => r.file.endsWith('ISSUE-002-audit.md'))!;
    assert.equal(ref.text, FILES['tasks/issues/ISSUE-002-audit.md'].replace('epic: EPIC-001', 'epic: EP-0001'));
  });

  it('a state_metadata the older file already holds is kept, the block added to it', () => {
    const file = path.join(root, 'tasks', 'epics', 'EPIC-004-x.md');
    const text = '---\nid: EPIC-004\ntype: epic\ntitle: X\nstatus: blocked\nstate_metadata: {reviewer: bob}\n---\n';
    const out = planMigration(project, [{ file, text }], { now: new Date('2026-03-01T12:00:00.000Z') }).steps[0].text;
    assert.ok(out.includes(`\nstatus: active\nstate: active\nstate_metadata:\n  reviewer: bob\n  blocked_reason: ${MIGRATED_BLOCKED_REASON}\npriority:`), out);
  });

  it('an owner alone with a blank assignee moves into it, once', () => {
    const file = path.join(root, 'tasks', 'epics', 'EPIC-003-x.md');
    const text = '---\nid: EPIC-003\ntype: epic\ntitle: X\nassignee: ""\nowner: sarah # lead\n---\n';
    const p = planMigration(project, [{ file, text }], { now: new Date('2026-03-01T12:00:00.000Z') });
    const out = p.steps[0].text;
    assert.equal(out.match(/assignee/g)?.length, 1, out);
    assert.ok(out.includes('\nassignee: sarah # lead\n'), out);
    assert.ok(!out.includes('owner'), out);
  });
});
