/** A commit shown as a read-only diff document (`git show`), for clicks on a task's history. */
import * as vscode from 'vscode';
import { gitAt } from '../../core/git/repo';
import { requireTrust } from './repos';

export const COMMIT_SCHEME = 'ai-trackdown-commit';

interface CommitRef {
  root: string;
  hash: string;
}

export function commitUri(root: string, hash: string, shortHash: string): vscode.Uri {
  return vscode.Uri.from({ scheme: COMMIT_SCHEME, path: `/${shortHash}.diff`, query: JSON.stringify({ root, hash } satisfies CommitRef) });
}

function parse(uri: vscode.Uri): CommitRef {
  const ref = JSON.parse(uri.query) as Partial<CommitRef>;
  // The hash goes on git's command line: only a full hex object name may.
  if (typeof ref.root !== 'string' || typeof ref.hash !== 'string' || !/^[0-9a-f]{40,64}$/.test(ref.hash)) throw new Error(`Not a commit: ${uri.toString()}`);
  return ref as CommitRef;
}

class CommitContent implements vscode.TextDocumentContentProvider {
  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    requireTrust();
    const { root, hash } = parse(uri);
    const abort = new AbortController();
    const sub = token.onCancellationRequested(() => abort.abort());
    try {
      // No external diff drivers or textconv filters: the document shows what git stores.
      return await gitAt(root, abort.signal).raw(['show', '--no-color', '--no-ext-diff', '--no-textconv', '--format=fuller', '--stat', '--patch', hash, '--']);
    } finally {
      sub.dispose();
    }
  }
}

export async function openCommit(root: string, hash: string, shortHash: string): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(commitUri(root, hash, shortHash));
  await vscode.window.showTextDocument(doc, { preview: true });
}

export function registerCommitDocuments(context: vscode.ExtensionContext): void {
  context.subscriptions.push(vscode.workspace.registerTextDocumentContentProvider(COMMIT_SCHEME, new CommitContent()));
}
