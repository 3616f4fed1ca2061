/** Migrate a project's older-format files to the CLI format: plan, confirm, then write. */
import { promises as fs } from 'fs';
import * as path from 'path';
import { createFile, replaceFile, writeIfUnchanged } from '../../core/atomicWrite';
import { COUNTERS_FILE } from '../../core/config';
import { readProjectTextIfExists, readRegularBytesSync, readTextFile } from '../../core/fileRule';
import { MigrationStep, planMigration } from '../../core/migrate';
import { showInfo, showWarning } from '../notify';
import { TaskWorkspace } from '../workspace';
import { CommandTarget, resolveProject, userName } from './target';

/** Returns the number of files migrated. `confirmed` skips the question. */
export async function migrateProject(ws: TaskWorkspace, arg: CommandTarget, confirmed = false): Promise<number> {
  const project = await resolveProject(ws, arg);
  if (!project) return 0;
  const entries = [...ws.index.allEntries()].filter((e) => e.root === project.root);
  if (!entries.some((e) => e.item?.format === 'legacy')) {
    void showInfo(`${project.config.name} has no older-format files.`);
    return 0;
  }
  // Each file is read as it is: one that is not UTF-8 text stops the migration before anything is written.
  const files = entries.map((e) => ({ file: e.file, text: readTextFile(e.file, project.root) }));
  const countersPath = path.join(project.root, COUNTERS_FILE);
  const countersBefore = readProjectTextIfExists(project.root, countersPath);
  const plan = planMigration(project, files, { countersText: countersBefore, by: userName() });
  for (const p of plan.problems) ws.log.warn(`migration: ${p}`);
  if (!plan.steps.length) {
    void showWarning(`Nothing could be migrated: ${plan.problems.join(' ')}`);
    return 0;
  }
  if (!confirmed) {
    const lines = plan.steps.slice(0, 12).map((s: MigrationStep) => `${s.oldId} → ${s.newId}  (${path.relative(project.root, s.to)})`);
    if (plan.steps.length > 12) lines.push(`… and ${plan.steps.length - 12} more`);
    if (plan.references.length) lines.push(`${plan.references.length} other file(s) get their links updated.`);
    if (plan.problems.length) lines.push(`${plan.problems.length} file(s) are left as they are (see the AI Trackdown output).`);
    const ok = await showWarning(
      `Migrate ${plan.steps.length} older-format file(s) of ${project.config.name} to the aitrackdown CLI format?`,
      { modal: true, detail: lines.join('\n') },
      'Migrate',
    );
    if (ok !== 'Migrate') return 0;
  }
  const byFile = new Map(files.map((f) => [f.file, f.text]));
  let done = 0;
  for (const step of plan.steps) {
    // The new file first, then the old one goes: at no moment is the item on disk zero times.
    if (!(await createFile(step.to, step.text, { within: project.root }))) {
      throw new Error(`${path.basename(step.to)} appeared during the migration; ${path.basename(step.from)} was left as it is (${done} migrated).`);
    }
    if (!readRegularBytesSync(step.from, { root: project.root }).equals(Buffer.from(byFile.get(step.from)!, 'utf8'))) {
      await fs.rm(step.to);
      throw new Error(`${path.basename(step.from)} changed during the migration; it was left as it is (${done} migrated).`);
    }
    await fs.rm(step.from);
    ws.noteRemoved(step.from);
    ws.noteWritten(step.to, step.text);
    done++;
  }
  for (const ref of plan.references) {
    await replaceFile(ref.file, ref.text, { within: project.root, expected: byFile.get(ref.file) });
    ws.noteWritten(ref.file, ref.text);
  }
  // Without this the CLI would hand out the new ids again.
  if (plan.countersText !== undefined) await writeIfUnchanged(countersPath, countersBefore, plan.countersText, { within: project.root });
  const left = plan.problems.length ? ` ${plan.problems.length} file(s) were left as they are: see the AI Trackdown output.` : '';
  void showInfo(`Migrated ${done} file(s) of ${project.config.name} to the CLI format.${left}`);
  return done;
}
