/**
 * A webview's page (the board's, the budget panel's): a strict Content-Security-Policy (scripts only with this page's nonce,
 * styles, fonts and images only from the extension), the stylesheets and the script. Kept free of
 * 'vscode' so that the browser tests serve exactly this page.
 */
import { randomBytes } from 'crypto';

export interface WebviewPageAssets {
  /** The webview's `cspSource`. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  codiconUri: string;
  nonce?: string;
  /** The page's title (the board's by default). */
  title?: string;
}

export const newNonce = (): string => randomBytes(18).toString('base64').replace(/[+/=]/g, '');

const attr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function webviewHtml(a: WebviewPageAssets): string {
  const nonce = a.nonce ?? newNonce();
  const csp = [
    "default-src 'none'",
    `style-src ${a.cspSource}`,
    `font-src ${a.cspSource}`,
    `img-src ${a.cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(a.codiconUri)}" id="vscode-codicon-stylesheet">
<link rel="stylesheet" href="${attr(a.styleUri)}">
<title>${attr(a.title ?? 'Board')}</title>
</head>
<body data-vscode-context='{"preventDefaultContextMenuItems": true}'>
<div id="app" aria-busy="true"></div>
<script nonce="${nonce}" src="${attr(a.scriptUri)}"></script>
</body>
</html>`;
}
