/**
 * Resolving a sync conflict: the two sides of the field side by side in a diff of read-only virtual
 * documents, then a choice (keep local, take remote, or edit the merged value) that is written to the
 * file and pushed.
 */
import * as vscode from 'vscode';
import { STATE_LABELS, STATES, State } from '../../core/model';
import { SyncSummary } from '../../core/sync/engine';
import { SyncField, SyncProviderId } from '../../core/sync/provider';
import { ConflictRecord } from '../../core/sync/state';
import { showInfo, showError } from '../notify';
import { PROVIDER_LABELS } from './providers';
import { SyncService } from './service';

export const CONFLICT_SCHEME = 'aitrackdown-sync';

export interface ResolveArgs {
  root?: string;
  provider?: SyncProviderId;
  localId?: string;
  field?: SyncField;
  /** Skips the question: keep the local value, take the remote one, or use `value`. */
  choice?: 'local' | 'remote' | 'merged';
  value?: unknown;
}

/** Read-only documents holding one side of a conflict; VS Code shows provider documents read-only. */
export class ConflictDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private serial = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** A URI for a text, named so the editor tab says what it is. */
  put(name: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: CONFLICT_SCHEME, path: `/${name}`, query: String(++this.serial) });
    this.texts.set(uri.toString(), text);
    return uri;
  }

  dispose(): void {
    this.changed.dispose();
    this.texts.clear();
  }
}

const asText = (v: unknown): string => (v === undefined || v === null ? '' : Array.isArray(v) ? v.join('\n') : String(v));

interface Located {
  root: string;
  provider: SyncProviderId;
  conflict: ConflictRecord;
}

async function locate(service: SyncService, a: ResolveArgs): Promise<Located | undefined> {
  const all = (await service.refresh()).flatMap((s) => s.conflicts.map((conflict) => ({ root: s.root, provider: s.provider, conflict, project: s.projectName })));
  const matches = all.filter(
    (c) => (!a.root || c.root === a.root) && (!a.provider || c.provider === a.provider) && (!a.localId || c.conflict.localId === a.localId) && (!a.field || c.conflict.field === a.field),
  );
  if (!matches.length) {
    void showInfo(a.localId ? `${a.localId} has no open sync conflict${a.field ? ` on ${a.field}` : ''}.` : 'There are no open sync conflicts.');
    return undefined;
  }
  if (matches.length === 1) return matches[0];
  const picked = await vscode.window.showQuickPick(
    matches.map((m) => ({ label: `${m.conflict.localId} · ${m.conflict.field}`, description: `${PROVIDER_LABELS[m.provider]} ${m.conflict.key} · ${m.project}`, m })),
    { title: 'Resolve which conflict?' },
  );
  return picked?.m;
}

/** The merged value the user writes: an input for one-line fields, a pick for the state, an editor for the body. */
async function editValue(c: ConflictRecord): Promise<unknown> {
  if (c.field === 'state') {
    const picked = await vscode.window.showQuickPick(STATES.map((s) => ({ label: STATE_LABELS[s], state: s })), { title: `${c.localId}: the state to keep` });
    return picked?.state as State | undefined;
  }
  if (c.field !== 'body') {
    return vscode.window.showInputBox({ title: `${c.localId}: the ${c.field} to keep`, value: asText(c.local), ignoreFocusOut: true });
  }
  const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: asText(c.local) });
  await vscode.window.showTextDocument(doc, { preview: false });
  const use = await showInfo(`Edit the merged body of ${c.localId} in the new editor, then choose Use This Text.`, 'Use This Text', 'Cancel');
  return use === 'Use This Text' ? doc.getText() : undefined;
}

export async function resolveConflictCommand(service: SyncService, docs: ConflictDocuments, args?: ResolveArgs): Promise<SyncSummary | undefined> {
  const a = args ?? {};
  const at = await locate(service, a);
  if (!at) return undefined;
  const c = at.conflict;
  const label = PROVIDER_LABELS[at.provider];
  let choice = a.choice;
  if (!choice) {
    const ext = c.field === 'body' ? 'md' : 'txt';
    const left = docs.put(`${c.localId} ${c.field} (local).${ext}`, asText(c.local));
    const right = docs.put(`${c.localId} ${c.field} (${label} ${c.key}).${ext}`, asText(c.remote));
    await vscode.commands.executeCommand('vscode.diff', left, right, `${c.localId} ${c.field}: local ↔ ${label} ${c.key}`, { preview: true });
    const picked = await vscode.window.showQuickPick(
      [
        { label: '$(file) Keep Local', description: 'write the local value to the remote item', choice: 'local' as const },
        { label: '$(cloud-download) Take Remote', description: `write ${label}'s value to the file`, choice: 'remote' as const },
        { label: '$(edit) Edit Merged Value\u2026', description: 'write your own value to both', choice: 'merged' as const },
      ],
      { title: `Resolve ${c.localId} ${c.field}`, ignoreFocusOut: true },
    );
    if (!picked) return undefined;
    choice = picked.choice;
  }
  let value: unknown;
  if (choice === 'local') value = c.local;
  else if (choice === 'remote') value = c.remote;
  else {
    value = a.value !== undefined ? a.value : await editValue(c);
    // Escape cancels; an empty assignee means nobody.
    if (value === undefined) return undefined;
    if (c.field === 'assignee' && value === '') value = undefined;
  }
  const summary = await service.resolve({ root: at.root, provider: at.provider, localId: c.localId, field: c.field, value });
  if (summary.errors.length) void showError(`Resolving ${c.localId} ${c.field}: ${summary.errors.map((e) => e.message).join('; ')}`);
  else void showInfo(`${c.localId} ${c.field} resolved and synced with ${label}.`);
  return summary;
}
