/** A small project on disk in both formats, for the tests of core/ops: real files, written by real writers. */
import * as fs from 'fs';
import * as path from 'path';
import { Project, TaskIndex } from '../../../src/core/index';
import { indexedProject, writeTree } from '../helpers';

/** Every operation in these tests happens at this moment. */
export const NOW = new Date('2027-01-02T03:04:05.000Z');
/** The touched timestamp of a CLI file, before and after (quoted: YAML 1.1 would read it back as a date). */
export const TOUCHED: [string, string] = ['updated_date: 2026-11-01T09:00:00.000Z', 'updated_date: "2027-01-02T03:04:05.000Z"'];

export const COUNTERS = '{\n  "epic": 2,\n  "issue": 3,\n  "task": 3,\n  "pr": 1\n}\n';

export const FILES: Record<string, string> = {
  '.ai-trackdown/config.yaml': 'name: demo\ndefault_assignee: alice\n',
  '.ai-trackdown/counters.json': COUNTERS,
  'tasks/epics/EP-0001-auth.md':
    '---\nepic_id: EP-0001\ntitle: Auth\ndescription: ""\nstatus: active\npriority: high\nassignee: alice\ncreated_date: 2026-11-01T09:00:00.000Z\nupdated_date: 2026-11-01T09:00:00.000Z\nrelated_issues:\n  - ISS-0001\n---\n\n# Epic: Auth\n',
  'tasks/issues/ISS-0001-login.md':
    '---\nissue_id: ISS-0001\nepic_id: EP-0001\ntitle: Login\ndescription: The login form\nstatus: active\npriority: high\nassignee: alice\ncreated_date: 2026-11-01T09:00:00.000Z\nupdated_date: 2026-11-01T09:00:00.000Z\nsync_status: local\nrelated_tasks:\n  - TSK-0001\ntags: [auth]  # kept as a flow list\nx_agent_run: 7f3a  # unknown keys stay\n---\n\n# Login\n\nThe body mentions status: active and TSK-0001.\n',
  'tasks/issues/ISS-0002-reset.md':
    '---\r\nissue_id: ISS-0002\r\ntitle: Reset\r\nstatus: planning\r\npriority: low\r\nassignee: bob\r\ncreated_date: 2026-11-01T09:00:00.000Z\r\nupdated_date: 2026-11-01T09:00:00.000Z\r\nrelated_tasks: []\r\n---\r\n\r\nCRLF body.\r\n',
  'tasks/tasks/TSK-0001-form.md':
    '---\ntask_id: TSK-0001\nissue_id: ISS-0001\nepic_id: EP-0001\ntitle: Form\nstatus: planning\npriority: medium\nassignee: carol\ncreated_date: 2026-11-01T09:00:00.000Z\nupdated_date: 2026-11-01T09:00:00.000Z\nestimated_tokens: 1000\nactual_tokens: "350"\nsync_status: local\n---\n\n# Form\n',
  // The older architecture document's format: `owner` on an epic, `labels`, date-only `updated`.
  'tasks/epics/EPIC-001-legacy.md': '---\nid: EPIC-001\ntype: epic\ntitle: Legacy epic\nstatus: todo\nowner: dana\nlabels: [old]\nupdated: 2025-01-02\n---\n\nOld body.\n',
};

/** Each file's text as written above. */
export const original = (rel: string): string => FILES[rel];

export interface OpsProject {
  root: string;
  project: Project;
  index: TaskIndex;
  file(rel: string): string;
  read(rel: string): string;
}

/** Write the project into a new temp folder and index it. */
export async function opsProject(temp: (name?: string) => string, files: Record<string, string> = FILES): Promise<OpsProject> {
  const root = writeTree(temp('aitd-ops'), files);
  const { project, index } = await indexedProject(root);
  const file = (rel: string) => path.join(root, ...rel.split('/'));
  return { root, project, index, file, read: (rel) => fs.readFileSync(file(rel), 'utf8') };
}

/** A text with some of its parts replaced, each of which must be there. */
export function swapped(text: string, ...swaps: [string, string][]): string {
  return swaps.reduce((t, [a, b]) => {
    if (!t.includes(a)) throw new Error(`"${a}" is not in the text`);
    return t.replace(a, b);
  }, text);
}
