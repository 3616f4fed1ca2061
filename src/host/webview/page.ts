/** Puts one of the extension's webview pages (dist/webview/<name>.js and .css) into a panel. */
import * as vscode from 'vscode';
import { webviewHtml } from './html';

export function loadPage(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, name: 'board' | 'budget', title?: string): void {
  const assets = vscode.Uri.joinPath(extensionUri, 'dist', 'webview');
  const webview = panel.webview;
  const uri = (file: string) => webview.asWebviewUri(vscode.Uri.joinPath(assets, file)).toString();
  webview.options = { enableScripts: true, localResourceRoots: [assets] };
  webview.html = webviewHtml({ cspSource: webview.cspSource, scriptUri: uri(`${name}.js`), styleUri: uri(`${name}.css`), codiconUri: uri('codicon.css'), title });
}
