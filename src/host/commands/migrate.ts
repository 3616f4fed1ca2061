/** Migrate a project's older-format files to the CLI format: plan, confirm, then write. */
import { promises as fs } from 'fs';
import * as path from 'path';
import { COUNTERS_FILE } from '../../core/config';
import { MigrationStep, planMigration } from '../../core/migrate';
import { showInfo, showWarning } from '../notify';
import { writeAtomic } from '../writer';
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
  const files = await Promise.all(entries.map(async (e) => ({ file: e.file, text: await fs.readFile(e.file, 'utf8') })));
  const countersPath = path.join(project.root, COUNTERS_FILE);
  const countersBefore = await fs.readFile(countersPath, 'utf8').catch(() => undefined);
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
    await fs.writeFile(step.to, step.text, { encoding: 'utf8', flag: 'wx' });
    if ((await fs.readFile(step.from, 'utf8')) !== byFile.get(step.from)) {
      await fs.rm(step.to);
      throw new Error(`${path.basename(step.from)} changed during the migration; it was left as it is (${done} migrated).`);
    }
    await fs.rm(step.from);
    ws.noteRemoved(step.from);
    ws.noteWritten(step.to, step.text);
    done++;
  }
  for (const ref of plan.references) {
    await writeAtomic(ref.file, byFile.get(ref.file), ref.text);
    ws.noteWritten(ref.file, ref.text);
  }
  // Without this the CLI would hand out the new ids again.
  if (plan.countersText !== undefined) await writeAtomic(countersPath, countersBefore, plan.countersText);
  const left = plan.problems.length ? ` ${plan.problems.length} file(s) were left as they are: see the AI Trackdown output.` : '';
  void showInfo(`Migrated ${done} file(s) of ${project.config.name} to the CLI format.${left}`);
  return done;
}
