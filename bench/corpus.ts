/**
 * Writes a realistic ai-trackdown project of N items: the CLI's format and key order, epics → issues →
 * tasks/PRs with links, labels, states, token fields, comments, some older-format files and some quirky
 * ones (BOM, CRLF, leaked keys, numbers as strings, broken YAML). Deterministic for a given seed.
 */
import * as fs from 'fs';
import * as path from 'path';
import { initialConfigYaml } from '../src/core/config';
import { fileNameFor, formatId } from '../src/core/ids';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = 'login form session api cache index search export report invoice billing user token budget agent model sync queue retry parse render board column card filter label state review deploy'.split(' ');
const STATUSES = ['planning', 'active', 'active', 'completed', 'archived'];
const STATES = ['ready_for_engineering', 'ready_for_qa', 'ready_for_deployment', 'done', 'won_t_do'];
const PEOPLE = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank'];
const LABELS = ['frontend', 'backend', 'auth', 'perf', 'ux', 'infra', 'docs', 'bug'];

export interface CorpusStats {
  root: string;
  files: number;
  bytes: number;
}

export function writeCorpus(root: string, n: number, seed = 42): CorpusStats {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const title = () => Array.from({ length: 2 + Math.floor(r() * 5) }, () => pick(WORDS)).join(' ').replace(/^./, (c) => c.toUpperCase());
  const date = (d: number) => new Date(Date.UTC(2026, 0, 1) + d * 3600_000).toISOString();
  const dirs = { epic: 'epics', issue: 'issues', task: 'tasks', pr: 'prs' } as const;
  fs.rmSync(root, { recursive: true, force: true });
  for (const d of Object.values(dirs)) fs.mkdirSync(path.join(root, 'tasks', d), { recursive: true });
  fs.mkdirSync(path.join(root, '.ai-trackdown'), { recursive: true });
  fs.writeFileSync(path.join(root, '.ai-trackdown', 'config.yaml'), initialConfigYaml('bench-project'));

  const nEpics = Math.max(1, Math.round(n * 0.02));
  const nIssues = Math.max(1, Math.round(n * 0.18));
  const nPrs = Math.round(n * 0.08);
  const nComments = Math.round(n * 0.04);
  const nTasks = Math.max(0, n - nEpics - nIssues - nPrs - nComments);
  let files = 0;
  let bytes = 0;
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    files++;
    bytes += Buffer.byteLength(text);
  };
  /** A few percent of files carry the quirks of real folders. */
  const quirk = (text: string, i: number): string => {
    switch (i % 50) {
      case 7:
        return '\ufeff' + text;
      case 13:
        return text.replace(/\n/g, '\r\n');
      case 21:
        return text.replace('\nsync_status: local', `\nsync_status: local\ncontent: |-\n  copied body\nfile_path: /home/x/${i}.md`);
      case 29:
        return text.replace(/estimated_tokens: (\d+)/, 'estimated_tokens: "$1"');
      case 37:
        return text.replace(/assignee: (\w+)/, 'assignee: @$1');
      default:
        return text;
    }
  };
  const common = (status: string, days: number) => {
    const lines = [
      `description: ${title()} for the ${pick(WORDS)} module`,
      `status: ${status}`,
    ];
    if (status === 'active' && r() < 0.5) {
      lines.push(`state: ${pick(STATES)}`, 'state_metadata:', `  transitioned_at: ${date(days + 5)}`, `  transitioned_by: ${pick(PEOPLE)}`, '  previous_state: active', '  automation_eligible: false');
    }
    lines.push(
      `priority: ${pick(['low', 'medium', 'high', 'critical'])}`,
      `assignee: ${pick(PEOPLE)}`,
      `created_date: ${date(days)}`,
      `updated_date: ${date(days + 24)}`,
      `estimated_tokens: ${1000 + Math.floor(r() * 50000)}`,
      `actual_tokens: ${Math.floor(r() * 40000)}`,
      'ai_context:',
      '  - context/requirements',
      'sync_status: local',
    );
    if (r() < 0.6) lines.push(`tags: [${[pick(LABELS), pick(LABELS)].filter((v, k, a) => a.indexOf(v) === k).join(', ')}]`);
    return lines;
  };
  const body = (t: string) => `\n# ${t}\n\n${Array.from({ length: 3 + Math.floor(r() * 8) }, () => `${title()}. ${title()}.`).join('\n\n')}\n\n## Acceptance Criteria\n- [ ] ${title()}\n- [ ] ${title()}\n`;
  const item = (file: string, fm: string[], t: string, i: number) => write(file, quirk(`---\n${fm.join('\n')}\n---\n${body(t)}`, i));

  const epicIds: string[] = [];
  for (let i = 1; i <= nEpics; i++) {
    const id = formatId('EP', i);
    epicIds.push(id);
    const t = title();
    item(path.join(root, 'tasks', dirs.epic, fileNameFor(id, t)), [`epic_id: ${id}`, `title: ${t}`, ...common(pick(STATUSES), i), 'related_issues: []', 'dependencies: []', `completion_percentage: ${Math.floor(r() * 100)}`], t, i);
  }
  const issueIds: string[] = [];
  for (let i = 1; i <= nIssues; i++) {
    const id = formatId('ISS', i);
    issueIds.push(id);
    const t = title();
    const epic = r() < 0.97 ? pick(epicIds) : 'EP-9999';
    item(path.join(root, 'tasks', dirs.issue, fileNameFor(id, t)), [`issue_id: ${id}`, `epic_id: ${epic}`, `title: ${t}`, ...common(pick(STATUSES), i), 'related_tasks: []', 'related_issues: []', 'completion_percentage: 0', 'blocked_by: []', 'blocks: []'], t, i);
  }
  for (let i = 1; i <= nTasks; i++) {
    const id = formatId('TSK', i);
    const t = title();
    const file = path.join(root, 'tasks', dirs.task, fileNameFor(id, t));
    if (i % 50 === 43) {
      // Older-format task.
      write(file.replace(/TSK-(\d+)/, 'TASK-$1'), `---\nid: TASK-${String(i).padStart(3, '0')}\ntype: task\ntitle: ${t}\nstatus: ${pick(['todo', 'in-progress', 'in-review', 'done'])}\nepic: EPIC-001\nassignee: ${pick(PEOPLE)}\ncreated: 2025-01-11\nlabels: [${pick(LABELS)}]\n---\n${body(t)}`);
      continue;
    }
    if (i % 200 === 117) {
      write(file, `---\ntask_id: ${id}\nissue_id: ${pick(issueIds)}\ntitle: [unclosed\nstatus: planning\n---\n${body(t)}`);
      continue;
    }
    item(file, [`task_id: ${id}`, `issue_id: ${pick(issueIds)}`, `title: ${t}`, ...common(pick(STATUSES), i), 'subtasks: []', 'blocked_by: []', 'blocks: []'], t, i);
  }
  for (let i = 1; i <= nPrs; i++) {
    const id = formatId('PR', i);
    const t = title();
    const issue = pick(issueIds);
    item(path.join(root, 'tasks', dirs.pr, fileNameFor(id, t)), [`pr_id: ${id}`, `issue_id: ${issue}`, `title: ${t}`, ...common(pick(STATUSES), i), `pr_status: ${pick(['draft', 'open', 'review', 'approved', 'merged', 'closed'])}`, `branch_name: feature/${issue}`, 'target_branch: main', 'reviewers: [bob]', 'approvals: []', 'blocked_by: []', 'blocks: []', 'related_prs: []', 'template_used: default'], t, i);
  }
  for (let i = 1; i <= nComments; i++) {
    const issue = pick(issueIds);
    write(path.join(root, 'tasks', dirs.issue, 'comments', issue, `COMMENT-${String(i).padStart(4, '0')}.md`), `---\nid: COMMENT-${String(i).padStart(4, '0')}\nissueId: ${issue}\nauthor: ${pick(PEOPLE)}\ncreatedAt: ${date(i)}\nupdatedAt: ${date(i)}\n---\n\n${title()}.\n`);
  }
  fs.writeFileSync(path.join(root, '.ai-trackdown', 'counters.json'), JSON.stringify({ epic: nEpics + 1, issue: nIssues + 1, task: nTasks + 1, pr: nPrs + 1, comment: nComments + 1 }));
  return { root, files, bytes };
}
