/** Running the built `trackdown` (dist/cli.js) as scripts do: a real process in a real project folder. */
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { REPO, writeTree } from '../helpers';

export const CLI = path.join(REPO, 'dist', 'cli.js');

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `trackdown args…` in `cwd` and wait for it. */
export function trackdown(cwd: string, ...args: string[]): Ran {
  if (!fs.existsSync(CLI)) throw new Error(`${CLI} is missing: build first (node scripts/build.mjs)`);
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 30000 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Start `trackdown args…` in `cwd` without waiting (for --watch). */
export function startTrackdown(cwd: string, ...args: string[]) {
  return spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
}

export const CONFIG = `name: cli-test
tasks_directory: tasks
structure: {epics_dir: epics, issues_dir: issues, tasks_dir: tasks, templates_dir: templates, prs_dir: prs}
naming_conventions: {epic_prefix: EP, issue_prefix: ISS, task_prefix: TSK, pr_prefix: PR, file_extension: .md}
`;

/** An issue file in the CLI's format; `extra` lines go into the frontmatter after the status. */
export function issueText(id: string, title: string, status: string, extra: string[] = []): string {
  return ['---', `issue_id: ${id}`, 'epic_id: EP-0001', `title: ${title}`, `status: ${status}`, ...extra, 'priority: medium', 'assignee: alice', '---', '', `# ${title}`, ''].join('\n');
}

/**
 * A small project of every type: an epic with a budget, issues in several states (one automation
 * eligible, in QA since 2026-01-01), a task, a PR, a comment.
 */
export function writeProject(root: string, more: Record<string, string> = {}): string {
  return writeTree(root, {
    '.ai-trackdown/config.yaml': CONFIG,
    'tasks/epics/EP-0001-checkout.md': '---\nepic_id: EP-0001\ntitle: Checkout\nstatus: active\npriority: high\nassignee: bob\ntoken_budget: 1000\n---\nThe checkout.\n',
    'tasks/issues/ISS-0001-cart.md': issueText('ISS-0001', 'Cart', 'active', [
      'state: ready_for_qa',
      'state_metadata:',
      '  transitioned_at: 2026-01-01T00:00:00.000Z',
      '  transitioned_by: alice',
      '  automation_eligible: true',
      'tags: [frontend, ux]',
      'actual_tokens: 700',
    ]),
    'tasks/issues/ISS-0002-pay.md': issueText('ISS-0002', 'Pay', 'active', ['state: ready_for_deployment', 'state_metadata:', '  automation_eligible: false', 'tags: [backend]', 'actual_tokens: 600']),
    'tasks/issues/ISS-0003-refund.md': issueText('ISS-0003', 'Refund', 'completed'),
    'tasks/issues/comments/ISS-0001/COMMENT-0001.md': '---\nid: COMMENT-0001\nissueId: ISS-0001\nauthor: bob\n---\nLooks good.\n',
    'tasks/tasks/TSK-0001-cart-markup.md': '---\ntask_id: TSK-0001\nissue_id: ISS-0001\ntitle: Cart markup\nstatus: planning\npriority: low\nassignee: "@carol"\n---\nMarkup.\n',
    'tasks/prs/PR-0001-cart.md': '---\npr_id: PR-0001\nissue_id: ISS-0001\ntitle: Cart PR\nstatus: active\npr_status: open\nassignee: alice\n---\n',
    ...more,
  });
}

/** Every file under a folder with its bytes, to show that a command wrote nothing. */
export function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, d.name);
      if (d.isDirectory()) walk(p);
      else out[path.relative(root, p)] = fs.readFileSync(p, 'latin1');
    }
  };
  walk(root);
  return out;
}
