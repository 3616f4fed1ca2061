/**
 * Import Claude Code Usage: the usage records of Claude Code's session logs that ran inside the
 * project, attributed to its tasks (a tag in a prompt, the branch, or a task the user picks for the
 * rest), written as token_usage entries; records imported before are recognised and skipped.
 */
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { readRegularTextSync } from '../../core/fileRule';
import { inside } from '../../core/paths';
import { Project } from '../../core/index';
import { planLogUsage } from '../../core/ops/usage';
import { run } from '../../core/ops/writer';
import { itemUsage } from '../../core/tokens';
import { attribute, LoggedUsage, readClaudeCodeLog } from '../../core/usageImport';
import { showInfo } from '../notify';
import { restrictedValue } from '../restrictedSettings';
import { hostWriter } from '../writer';
import { TaskWorkspace } from '../workspace';
import { CommandTarget, pickItem, resolveProject } from './target';

/** A session log larger than this is skipped (and said so in the log): real ones are far smaller. */
const MAX_LOG_BYTES = 64 * 1024 * 1024;

export interface ImportOptions {
  /** Where the session logs are; default the setting, else ~/.claude/projects. */
  logsDir?: string;
  /** The task for records that name none; null to leave them out without asking. */
  chosen?: string | null;
  /** Skip the confirmation. */
  confirmed?: boolean;
}

export interface ImportResult {
  /** Entries written, per item id. */
  imported: Record<string, number>;
  tokens: number;
  skippedBefore: number;
  unattributed: number;
}

function logsDir(opts: ImportOptions): string {
  const configured = restrictedValue(vscode.workspace.getConfiguration(), 'aiTrackdown.usageImport.claudeCodeLogs', '', vscode.workspace.isTrusted).trim();
  return opts.logsDir ?? (configured ? configured.replace(/^~(?=$|[\\/])/, os.homedir()) : path.join(os.homedir(), '.claude', 'projects'));
}

async function jsonlFiles(dir: string): Promise<string[]> {
  let dirents;
  try {
    dirents = await fs.readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const d of dirents) {
    const p = path.join(dir, d.name);
    if (d.isDirectory()) out.push(...(await jsonlFiles(p)));
    else if (d.isFile() && d.name.endsWith('.jsonl')) out.push(p);
  }
  return out;
}


/** The records of every session that ran inside the project's root. */
async function projectRecords(ws: TaskWorkspace, project: Project, dir: string): Promise<LoggedUsage[]> {
  const records: LoggedUsage[] = [];
  for (const file of await jsonlFiles(dir)) {
    let text: string;
    try {
      text = readRegularTextSync(file, { max: MAX_LOG_BYTES });
    } catch (e) {
      // Too large, a FIFO, gone: the other logs still count.
      ws.log.warn(`${file}: ${(e as Error).message} Skipped.`);
      continue;
    }
    const { records: found, problems } = readClaudeCodeLog(text);
    if (problems.length) ws.log.warn(`${file}: ${problems.length} line(s) were not JSON records (first: line ${problems[0].line})`);
    records.push(...found.filter((r) => r.cwd && inside(project.root, r.cwd)));
  }
  return records;
}

export async function importClaudeCodeUsage(ws: TaskWorkspace, arg: CommandTarget, opts: ImportOptions = {}): Promise<ImportResult | undefined> {
  const project = await resolveProject(ws, arg);
  if (!project) return undefined;
  const dir = logsDir(opts);
  const records = await projectRecords(ws, project, dir);
  const items = [...ws.index.items(project.root)].filter((i) => i.type !== 'comment');
  const byId = new Map(items.map((i) => [i.id, i]));
  const already = new Set<string>();
  for (const i of items) for (const e of itemUsage(i).entries) if (e.sourceKey) already.add(e.sourceKey);
  const first = attribute(records, (id) => byId.has(id), { already });
  const skippedBefore = records.filter((r) => already.has(r.key)).length;
  let chosen = opts.chosen ?? undefined;
  if (first.unattributed.length && opts.chosen === undefined) {
    const tokens = first.unattributed.reduce((n, r) => n + r.input + r.output, 0);
    const pick = await vscode.window.showQuickPick(
      [{ label: 'Pick a task for them…', pick: true }, { label: 'Leave them out', pick: false }],
      { title: `${first.unattributed.length} Claude Code use(s) (${tokens.toLocaleString('en')} tokens) name no task of ${project.config.name}` },
    );
    if (!pick) return undefined;
    if (pick.pick) {
      chosen = (await pickItem(ws, 'Attribute the untagged usage to…', (i) => i.root === project.root && i.type !== 'comment'))?.id;
      if (!chosen) return undefined;
    }
  }
  const { byId: planned, unattributed } = chosen ? attribute(records, (id) => byId.has(id), { already, chosen }) : first;
  const tokens = [...planned.values()].flat().reduce((n, e) => n + e.input + e.output, 0);
  if (!planned.size) {
    void showInfo(
      records.length ? `Nothing new to import: ${skippedBefore} Claude Code use(s) were imported before.` : `No Claude Code session in ${dir} ran inside ${project.config.name}.`,
    );
    return { imported: {}, tokens: 0, skippedBefore, unattributed: unattributed.length };
  }
  if (!opts.confirmed) {
    const where = [...planned].map(([id, list]) => `${id} (${list.length})`).join(', ');
    const ok = await showInfo(`Import ${tokens.toLocaleString('en')} tokens of Claude Code usage into ${where}?`, { modal: true }, 'Import');
    if (ok !== 'Import') return undefined;
  }
  const imported: Record<string, number> = {};
  const writer = hostWriter(ws);
  for (const [id, entries] of planned) {
    const item = byId.get(id)!;
    await run(writer, planLogUsage(ws.index, project, { item, uses: entries }));
    imported[id] = entries.length;
  }
  if (!opts.confirmed) void showInfo(`Imported ${tokens.toLocaleString('en')} tokens into ${Object.keys(imported).length} item(s).`);
  return { imported, tokens, skippedBefore, unattributed: unattributed.length };
}
