/**
 * The whole corpus, indexed the way the extension indexes a workspace: every file's diagnostics,
 * exactly. Files of real-shaped projects must produce none but the hints FORMAT.md tolerates.
 */
import * as assert from 'assert/strict';
import * as path from 'path';
import { TaskIndex } from '../../src/core/index';
import { Problem } from '../../src/core/model';
import { discoverRoots, indexProject, loadProject } from '../../src/core/project';
import { Brief, briefs, CORPUS } from './helpers';

const LEGACY_HINT: Brief = ['legacy-format', 1, 0, 1, 2];

/** Every task file of the corpus and the exact diagnostics it must produce (entry problems + link problems). */
const EXPECTED: Record<string, Brief[]> = {
  // The CLI's own output and the quirks real files have: nothing but the tolerated hints.
  'cli/tasks/epics/EP-0001-checkout-redesign.md': [],
  'cli/tasks/epics/EP-0002-search-relevance.md': [],
  'cli/tasks/issues/ISS-0001-cart-page.md': [],
  'cli/tasks/issues/ISS-0002-wallet-payments.md': [
    ['leaked-key', 21, 0, 21, 7],
    ['leaked-key', 26, 0, 26, 9],
  ],
  'cli/tasks/issues/ISS-0003-search-synonyms.md': [],
  'cli/tasks/issues/comments/ISS-0001/COMMENT-0001.md': [],
  'cli/tasks/issues/comments/ISS-0001/COMMENT-0002.md': [],
  'cli/tasks/tasks/TSK-0001-cart-markup.md': [],
  'cli/tasks/tasks/TSK-0002-running-total.md': [
    ['string-number', 11, 18, 11, 24],
    ['string-number', 12, 15, 12, 21],
  ],
  'cli/tasks/tasks/TSK-0003-empty-cart-state.md': [],
  'cli/tasks/tasks/TSK-0004-wallet-button.md': [],
  'cli/tasks/tasks/TSK-0005-payment-sheet-copy.md': [],
  'cli/tasks/tasks/TSK-0006-address-autocomplete.md': [],
  'cli/tasks/tasks/TSK-0007-autocomplete-api-client.md': [],
  'cli/tasks/prs/PR-0001-cart-page.md': [],
  'cli/tasks/prs/PR-0002-wallet-sdk-bump.md': [],

  // The older format: only the hint that offers migration.
  'legacy/tasks/epics/EPIC-001-modern-authentication.md': [LEGACY_HINT],
  'legacy/tasks/issues/ISSUE-001-jwt-service.md': [LEGACY_HINT],
  'legacy/tasks/issues/ISSUE-002-session-management.md': [LEGACY_HINT],
  'legacy/tasks/tasks/TASK-001-jwt-middleware.md': [LEGACY_HINT],
  'legacy/tasks/tasks/TASK-002-token-refresh.md': [LEGACY_HINT],

  // One problem (or a few) per file.
  'problems/tasks/epics/EP-0001-platform.md': [],
  'problems/tasks/epics/BEP-0001-invoices.md': [['id-mismatch', 1, 9, 1, 17]],
  'problems/tasks/epics/EPIC-002-legacy-owner.md': [LEGACY_HINT, ['unquoted-at', 5, 7, 5, 16]],
  'problems/tasks/issues/ISS-0001-unquoted-assignee.md': [['unquoted-at', 6, 10, 6, 16]],
  'problems/tasks/issues/ISS-0002-bad-values.md': [
    ['invalid-value', 4, 8, 4, 19],
    ['invalid-value', 5, 7, 5, 16],
    ['invalid-value', 6, 10, 6, 16],
    ['invalid-value', 7, 13, 7, 18],
  ],
  'problems/tasks/issues/ISS-0003-broken-epic-link.md': [['broken-link', 2, 9, 2, 16]],
  'problems/tasks/issues/ISS-0004-empty-frontmatter.md': [
    ['missing-key', 0, 0, 0, 3],
    ['missing-key', 0, 0, 0, 3],
  ],
  'problems/tasks/tasks/TSK-0001-original.md': [['duplicate-id', 1, 9, 1, 17]],
  'problems/tasks/tasks/TSK-0002-missing-parent.md': [['missing-key', 0, 0, 0, 3]],
  'problems/tasks/tasks/TSK-0003-bad-dates.md': [
    ['invalid-date', 7, 19, 7, 29],
    ['invalid-date', 10, 14, 10, 23],
  ],
  'problems/tasks/tasks/TSK-0004-wrong-types.md': [
    ['invalid-type', 5, 18, 5, 22],
    ['invalid-type', 6, 15, 6, 17],
    ['invalid-type', 7, 6, 7, 14],
    ['invalid-type', 8, 23, 8, 26],
  ],
  'problems/tasks/tasks/TSK-0005-no-frontmatter.md': [['no-frontmatter', 0, 0, 0, 27]],
  'problems/tasks/tasks/TSK-0006-unclosed.md': [['unclosed-frontmatter', 0, 0, 0, 3]],
  'problems/tasks/tasks/TSK-0007-list-frontmatter.md': [['not-a-mapping', 0, 0, 0, 3]],
  'problems/tasks/tasks/TSK-0008-copied.md': [
    ['duplicate-id', 1, 9, 1, 17],
    ['id-mismatch', 1, 9, 1, 17],
  ],
  'problems/tasks/tasks/TSK-0009-duplicate-key.md': [['yaml-syntax', 5, 0, 5, 1]],
  'problems/tasks/tasks/TSK-0010-bad-indent.md': [
    ['yaml-syntax', 3, 7, 3, 8],
    ['yaml-syntax', 3, 7, 4, 8],
  ],
  'problems/tasks/prs/PR-0001-wrong-id.md': [['id-mismatch', 1, 7, 1, 14]],
};

const TOLERATED = new Set<Problem['code']>(['leaked-key', 'string-number', 'legacy-format']);

describe('corpus', () => {
  const index = new TaskIndex();
  const problemsOf = (rel: string): Problem[] => {
    const entry = index.entry(path.join(CORPUS, ...rel.split('/')));
    assert.ok(entry, `${rel} is not indexed`);
    return [...entry.problems, ...index.linkProblems(entry.item)];
  };

  before(async () => {
    const roots = discoverRoots(CORPUS);
    assert.deepEqual(roots, ['cli', 'legacy', 'problems'].map((p) => path.join(CORPUS, p)));
    for (const root of roots) {
      const project = await loadProject(root);
      assert.deepEqual(project.configErrors, [], root);
      index.setProject(project);
      await indexProject(index, project);
    }
  });

  it('indexes exactly the task files the CLI would read', () => {
    const indexed = [...index.allEntries()].map((e) => path.relative(CORPUS, e.file).split(path.sep).join('/')).sort();
    assert.deepEqual(indexed, Object.keys(EXPECTED).sort());
  });

  for (const [rel, expected] of Object.entries(EXPECTED)) {
    it(`${rel}: ${expected.length ? expected.map((b) => b[0]).join(', ') : 'no diagnostic'}`, () => {
      assert.deepEqual(briefs(problemsOf(rel)), expected);
    });
  }

  it('real-shaped projects produce hints only, and only the tolerated ones', () => {
    for (const rel of Object.keys(EXPECTED).filter((r) => !r.startsWith('problems/'))) {
      for (const p of problemsOf(rel)) {
        assert.equal(p.severity, 'hint', `${rel}: ${p.code}`);
        assert.ok(TOLERATED.has(p.code), `${rel}: ${p.code}`);
      }
    }
  });

  it('problem data carries what a quick fix needs', () => {
    const at = problemsOf('problems/tasks/issues/ISS-0001-unquoted-assignee.md')[0];
    assert.deepEqual(at.data, { value: '@alice' });
    const values = problemsOf('problems/tasks/issues/ISS-0002-bad-values.md').map((p) => [p.data?.key, p.data?.value]);
    assert.deepEqual(values.sort(), [
      ['priority', 'urgent'],
      ['state', 'in-review'],
      ['status', 'in_progress'],
      ['sync_status', 'dirty'],
    ]);
    const mismatch = problemsOf('problems/tasks/prs/PR-0001-wrong-id.md')[0];
    assert.deepEqual(mismatch.data, { key: 'pr_id', expectedId: 'PR-0001' });
    const dup = problemsOf('problems/tasks/tasks/TSK-0001-original.md')[0];
    assert.equal(dup.data?.otherFile, path.join(CORPUS, 'problems', 'tasks', 'tasks', 'TSK-0008-copied.md'));
    const missing = problemsOf('problems/tasks/issues/ISS-0004-empty-frontmatter.md').map((p) => p.data?.key);
    assert.deepEqual(missing.sort(), ['issue_id', 'title']);
  });

  it('the hierarchy of the CLI project: every link resolves', () => {
    const root = path.join(CORPUS, 'cli');
    const get = (id: string) => index.byId(root, id)[0];
    assert.deepEqual(index.children(get('EP-0001')).map((i) => i.id).sort(), ['ISS-0001', 'ISS-0002']);
    assert.deepEqual(
      index.children(get('ISS-0001')).map((i) => i.id).sort(),
      ['COMMENT-0001', 'COMMENT-0002', 'PR-0001', 'TSK-0001', 'TSK-0002', 'TSK-0003', 'TSK-0006', 'TSK-0007'],
    );
    assert.deepEqual(index.progress(get('ISS-0001')), { done: 1, total: 6 });
    assert.equal(index.parent(get('ISS-0003')), undefined);
    for (const item of index.items(root)) assert.deepEqual(index.linkProblems(item), [], item.id);
  });

  it('the hierarchy of the older-format project', () => {
    const root = path.join(CORPUS, 'legacy');
    const get = (id: string) => index.byId(root, id)[0];
    assert.deepEqual(index.children(get('EPIC-001')).map((i) => i.id).sort(), ['ISSUE-001', 'ISSUE-002']);
    assert.deepEqual(index.children(get('ISSUE-001')).map((i) => i.id), ['TASK-001']);
    assert.deepEqual(index.children(get('ISSUE-002')).map((i) => i.id), ['TASK-002']);
    assert.deepEqual(index.progress(get('EPIC-001')), { done: 1, total: 2 });
  });
});
