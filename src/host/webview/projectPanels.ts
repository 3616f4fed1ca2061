/**
 * One webview panel per project: open (or reveal) the panel of a project, list the open ones, and
 * bring panels back after a reload (a WebviewPanelSerializer; the page's saved state names its root).
 */
import * as vscode from 'vscode';
import { Event } from '../../core/events';
import { CommandTarget, resolveProject } from '../commands/target';
import { showInfo } from '../notify';
import { TaskWorkspace } from '../workspace';

export interface ProjectPanel extends vscode.Disposable {
  readonly root: string;
  readonly onDidDispose: Event<void>;
  reveal(): void;
}

export interface ProjectPanels<P extends ProjectPanel> {
  /** Open (or reveal) the panel of the project `arg` points at, asking when that is unclear. */
  open(arg?: CommandTarget): Promise<P | undefined>;
  /** The open panels. */
  all(): readonly P[];
}

export interface ProjectPanelKind<P extends ProjectPanel> {
  viewType: string;
  /** The panel's title until it names its project. */
  title: string;
  /** Said when the workspace has no project to show. */
  noProject: string;
  create(panel: vscode.WebviewPanel, root: string): P;
}

export function registerProjectPanels<P extends ProjectPanel>(context: vscode.ExtensionContext, ws: TaskWorkspace, kind: ProjectPanelKind<P>): ProjectPanels<P> {
  const panels = new Set<P>();
  const track = (panel: vscode.WebviewPanel, root: string) => {
    const p = kind.create(panel, root);
    panels.add(p);
    p.onDidDispose(() => panels.delete(p));
    return p;
  };

  const open = async (arg?: CommandTarget) => {
    const project = await resolveProject(ws, arg);
    if (!project) {
      void showInfo(kind.noProject);
      return undefined;
    }
    const existing = [...panels].find((p) => p.root === project.root);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(kind.viewType, kind.title, vscode.ViewColumn.Active, { enableScripts: true });
    return track(panel, project.root);
  };

  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(kind.viewType, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: { root?: string } | undefined) {
        await ws.ready;
        const root = state?.root && ws.index.getProject(state.root) ? state.root : ws.index.getProjects()[0]?.root;
        if (!root) {
          panel.dispose();
          return;
        }
        track(panel, root);
      },
    }),
    { dispose: () => [...panels].forEach((p) => p.dispose()) },
  );
  return { open, all: () => [...panels] };
}
