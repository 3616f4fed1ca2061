import * as assert from 'assert/strict';
import { parse as parseYaml } from 'yaml';
import type { ZodType } from 'zod';
import {
  commentSchema,
  configSchema,
  epicSchema,
  isIsoDate,
  issueSchema,
  LEAKED_KEYS,
  legacySchema,
  prSchema,
  schemaFor,
  taskSchema,
} from '../../src/core/schema';
import { readCorpus, seededRandom } from './helpers';

/** The date rule as a regular expression and range checks: the reference isIsoDate is held to. */
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):?(\d{2}))?)?$/;
function referenceIsoDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const [y, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  if (month < 1 || month > 12 || day < 1 || day > days) return false;
  const over = (v: string | undefined, max: number) => v !== undefined && Number(v) > max;
  return !(over(m[4], 23) || over(m[5], 59) || over(m[6], 59) || over(m[7], 23) || over(m[8], 59));
}

/** The frontmatter of a corpus file as plain data, read the way parse.ts reads it (YAML 1.2). */
function frontmatter(...parts: string[]): Record<string, unknown> {
  const text = readCorpus(...parts).replace(/^\uFEFF/, '');
  const m = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
  assert.ok(m, `no frontmatter in ${parts.join('/')}`);
  return parseYaml(m[1]) as Record<string, unknown>;
}

function issuesOf(result: { success: boolean; error?: { issues: { path: PropertyKey[]; code: string }[] } }) {
  return result.success ? [] : result.error!.issues.map((i) => `${i.path.join('.')}:${i.code}`);
}

describe('schema', () => {
  describe('isIsoDate', () => {
    it('accepts the forms real files use', () => {
      for (const s of [
        '2026-11-22T03:08:57.490Z',
        '2025-07-14T16:45:00Z',
        '2025-01-02',
        '2025-01-02T09:30',
        '2025-01-02 09:30:00',
        '2025-01-02T09:30:00+02:00',
        '2025-01-02T09:30:00-0500',
        '2025-01-02T09:30:00.123456Z',
        '2024-02-29',
        '2026-12-31T23:59:59Z',
      ]) {
        assert.equal(isIsoDate(s), true, s);
      }
    });

    it('agrees with the regular expression it replaces on thousands of seeded mutations', () => {
      const r = seededRandom(20261202);
      const seeds = ['2026-11-22T03:08:57.490Z', '2024-02-29', '2025-01-02 09:30:00+02:00', '2025-01-02T09:30:00-0500', '1900-02-28T23:59'];
      const pieces = ['0', '1', '2', '3', '9', '-', ':', '.', 'T', ' ', 'Z', '+', 'x', '', '00', '13', '29', '31', '60', '\u0660'];
      let valid = 0;
      for (let n = 0; n < 20000; n++) {
        let s = r.pick(seeds);
        for (let m = 0, k = r.int(3); m < k; m++) {
          const at = r.int(s.length + 1);
          s = s.slice(0, at) + r.pick(pieces) + s.slice(at + r.int(3));
        }
        assert.equal(isIsoDate(s), referenceIsoDate(s), JSON.stringify(s));
        if (referenceIsoDate(s)) valid++;
      }
      assert.ok(valid > 1000, `enough valid dates to mean something (${valid})`);
    });

    it('refuses what is not an ISO 8601 date', () => {
      for (const s of ['', 'yesterday', '12/10/2026', '2026-13-01', '2026-1-5', '2026-01-01T25:00:00Z', '2026-01-01Z', '20260101', ' 2026-01-01', '2026-02-30', '2025-02-29T10:00:00Z', '2026-04-31']) {
        assert.equal(isIsoDate(s), false, s);
      }
    });
  });

  describe('CLI item schemas accept the CLI output', () => {
    const cases: [string, ZodType, string[]][] = [
      ['epic', epicSchema, ['cli', 'tasks', 'epics', 'EP-0001-checkout-redesign.md']],
      ['issue with state_metadata', issueSchema, ['cli', 'tasks', 'issues', 'ISS-0001-cart-page.md']],
      ['issue with leaked keys', issueSchema, ['cli', 'tasks', 'issues', 'ISS-0002-wallet-payments.md']],
      ['task', taskSchema, ['cli', 'tasks', 'tasks', 'TSK-0001-cart-markup.md']],
      ['task with token counts as strings', taskSchema, ['cli', 'tasks', 'tasks', 'TSK-0002-running-total.md']],
      ['task with comments, flow lists and unknown keys', taskSchema, ['cli', 'tasks', 'tasks', 'TSK-0006-address-autocomplete.md']],
      ['pr', prSchema, ['cli', 'tasks', 'prs', 'PR-0001-cart-page.md']],
      ['merged pr', prSchema, ['cli', 'tasks', 'prs', 'PR-0002-wallet-sdk-bump.md']],
      ['comment', commentSchema, ['cli', 'tasks', 'issues', 'comments', 'ISS-0001', 'COMMENT-0001.md']],
    ];
    for (const [name, schema, parts] of cases) {
      it(name, () => assert.deepEqual(issuesOf(schema.safeParse(frontmatter(...parts))), []));
    }

    it('keeps unknown keys (automation metadata, team fields) in the parsed data', () => {
      const data = frontmatter('cli', 'tasks', 'tasks', 'TSK-0006-address-autocomplete.md');
      const out = taskSchema.parse(data) as Record<string, unknown>;
      assert.equal(out.x_agent_run, '7f3a9c');
      assert.deepEqual(out.automation, { last_run: '2026-10-09T13:30:00.000Z', runner: 'claude-code' });
      assert.equal(out.team, 'web');
    });

    it('keeps the free keys automation adds to state_metadata', () => {
      const out = issueSchema.parse(frontmatter('cli', 'tasks', 'issues', 'ISS-0001-cart-page.md')) as {
        state_metadata: Record<string, unknown>;
      };
      assert.equal(out.state_metadata.security_scan_passed, true);
      assert.equal(out.state_metadata.deployment_timestamp, null);
    });
  });

  describe('older-format schema', () => {
    const files = [
      ['epics', 'EPIC-001-modern-authentication.md'],
      ['issues', 'ISSUE-001-jwt-service.md'],
      ['issues', 'ISSUE-002-session-management.md'],
      ['tasks', 'TASK-001-jwt-middleware.md'],
      ['tasks', 'TASK-002-token-refresh.md'],
    ];
    for (const [dir, name] of files) {
      it(`accepts ${name}`, () => assert.deepEqual(issuesOf(legacySchema.safeParse(frontmatter('legacy', 'tasks', dir, name))), []));
    }

    it('accepts sync ids of every shape real files use (numbers, keys, null, nested maps)', () => {
      const base = { id: 'EPIC-001', type: 'epic', title: 'x' };
      for (const sync of [{ github: 145, jira: 'AUTH-234' }, { github: null, jira: null }, { github: { milestone_id: 15 } }, null]) {
        assert.deepEqual(issuesOf(legacySchema.safeParse({ ...base, sync })), [], JSON.stringify(sync));
      }
    });

    it('refuses a status outside todo|in-progress|in-review|done and an unknown type', () => {
      assert.deepEqual(issuesOf(legacySchema.safeParse({ id: 'TASK-001', type: 'task', title: 'x', status: 'in_progress' })), [
        'status:invalid_value',
      ]);
      assert.deepEqual(issuesOf(legacySchema.safeParse({ id: 'PR-001', type: 'pr', title: 'x' })), ['type:invalid_value']);
    });

    it('accepts dates that a YAML 1.1 reader turned into Date objects', () => {
      assert.deepEqual(issuesOf(legacySchema.safeParse({ id: 'TASK-001', type: 'task', title: 'x', created: new Date(0) })), []);
    });
  });

  describe('token counts', () => {
    const task = { task_id: 'TSK-0001', issue_id: 'ISS-0001', title: 'x' };
    it('reads whole numbers and whole numbers written as text', () => {
      for (const v of [0, 350, '350', '0']) assert.deepEqual(issuesOf(taskSchema.safeParse({ ...task, actual_tokens: v })), [], String(v));
    });
    it('refuses fractions, negatives and words', () => {
      for (const v of [3.5, -1, '3.5', '-1', 'lots', '', true]) {
        assert.equal(taskSchema.safeParse({ ...task, actual_tokens: v }).success, false, String(v));
      }
    });
  });

  describe('required keys and enums', () => {
    it('a task needs task_id, issue_id and title', () => {
      assert.deepEqual(issuesOf(taskSchema.safeParse({})).sort(), ['issue_id:invalid_type', 'task_id:invalid_type', 'title:invalid_type']);
    });
    it('an empty title is refused', () => {
      assert.deepEqual(issuesOf(epicSchema.safeParse({ epic_id: 'EP-0001', title: '' })), ['title:too_small']);
    });
    it('enum values are checked for status, state, priority, pr_status and sync_status', () => {
      const pr = { pr_id: 'PR-0001', issue_id: 'ISS-0001', title: 'x' };
      for (const key of ['status', 'state', 'priority', 'pr_status', 'sync_status']) {
        assert.deepEqual(issuesOf(prSchema.safeParse({ ...pr, [key]: 'nonsense' })), [`${key}:invalid_value`], key);
      }
    });
    it('nullable lists and texts accept null (the CLI writes empty values as null)', () => {
      const issue = { issue_id: 'ISS-0001', title: 'x', description: null, tags: null, blocked_by: null, assignee: null };
      assert.deepEqual(issuesOf(issueSchema.safeParse(issue)), []);
    });
  });

  describe('schemaFor', () => {
    it('picks the schema by type in the CLI format and the older one for every type in the older format', () => {
      assert.equal(schemaFor('epic', 'cli'), epicSchema);
      assert.equal(schemaFor('issue', 'cli'), issueSchema);
      assert.equal(schemaFor('task', 'cli'), taskSchema);
      assert.equal(schemaFor('pr', 'cli'), prSchema);
      assert.equal(schemaFor('comment', 'cli'), commentSchema);
      for (const t of ['epic', 'issue', 'task', 'pr', 'comment'] as const) assert.equal(schemaFor(t, 'legacy'), legacySchema);
    });

    it('a project\'s declared statuses widen the older schema only, one schema per declared list', () => {
      const declared = ['security-review'];
      const schema = schemaFor('task', 'legacy', declared);
      assert.equal(schemaFor('epic', 'legacy', declared), schema);
      assert.notEqual(schemaFor('task', 'legacy', ['security-review']), schema, 'another config, another list');
      const file = { id: 'TASK-001', type: 'task', title: 'x', status: 'security-review' };
      assert.deepEqual(issuesOf(schema.safeParse(file)), []);
      assert.deepEqual(issuesOf(schema.safeParse({ ...file, status: 'blocked' })), []);
      assert.deepEqual(issuesOf(schema.safeParse({ ...file, status: 'on-hold' })), ['status:invalid_value']);
      assert.deepEqual(issuesOf(legacySchema.safeParse(file)), ['status:invalid_value']);
      assert.equal(schemaFor('task', 'cli', declared), taskSchema);
    });
  });

  it('LEAKED_KEYS are the two the CLI leaks', () => {
    assert.deepEqual([...LEAKED_KEYS], ['content', 'file_path']);
  });

  describe('configSchema', () => {
    it('accepts the CLI config shape', () => {
      assert.deepEqual(issuesOf(configSchema.safeParse(parseYaml(readCorpus('cli', '.ai-trackdown', 'config.yaml')))), []);
    });
    it('accepts the older architecture document config shape', () => {
      assert.deepEqual(issuesOf(configSchema.safeParse(parseYaml(readCorpus('legacy', '.ai-trackdown', 'config.yaml')))), []);
    });
    it('refuses wrong types for the keys it reads', () => {
      assert.deepEqual(issuesOf(configSchema.safeParse({ tasks_directory: 5, structure: { epics_dir: ['a'] } })).sort(), [
        'structure.epics_dir:invalid_type',
        'tasks_directory:invalid_type',
      ]);
    });
  });
});
