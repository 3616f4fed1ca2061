// A webview (the board, the budget panel) in a real headless Chromium, outside VS Code: the very page
// the extension builds (webviewHtml, with its Content-Security-Policy) and the bundled script, served
// from 127.0.0.1. `acquireVsCodeApi` is the one piece VS Code provides to a webview: here it records
// what the page posts and keeps its state, and host messages are delivered the way VS Code delivers
// them (a `message` event on the window). Shared by the browser tests and the board benchmark.
import { createRequire } from 'node:module';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openBrowser } from '../launch/codeServer.mjs';
import { CHROMIUM } from '../launch/install.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const TYPES = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.map': 'application/json' };

/** A few of the variables VS Code's Dark Modern theme sets on a webview, so screenshots look like it. */
const THEME = {
  '--vscode-font-family': 'system-ui, sans-serif',
  '--vscode-font-size': '13px',
  '--vscode-editor-font-family': 'monospace',
  '--vscode-foreground': '#cccccc',
  '--vscode-descriptionForeground': '#9d9d9d',
  '--vscode-errorForeground': '#f85149',
  '--vscode-editor-background': '#1f1f1f',
  '--vscode-sideBar-background': '#181818',
  '--vscode-editorWidget-background': '#202020',
  '--vscode-widget-border': '#313131',
  '--vscode-panel-border': '#2b2b2b',
  '--vscode-focusBorder': '#0078d4',
  '--vscode-list-hoverBackground': '#2a2d2e',
  '--vscode-badge-background': '#616161',
  '--vscode-badge-foreground': '#f8f8f8',
  '--vscode-charts-blue': '#3794ff',
  '--vscode-charts-green': '#89d185',
  '--vscode-charts-yellow': '#cca700',
  '--vscode-charts-orange': '#d18616',
  '--vscode-charts-purple': '#b180d7',
  '--vscode-disabledForeground': '#6e7681',
  '--vscode-editorWarning-foreground': '#cca700',
  '--vscode-progressBar-background': '#0078d4',
  '--vscode-inputValidation-errorBackground': '#5a1d1d',
};

/** `script` names the webview's bundle and stylesheet in dist/webview (board by default). */
function serve(outdir, script = 'board') {
  const { webviewHtml } = createRequire(import.meta.url)(path.join(ROOT, outdir, 'src', 'host', 'webview', 'html.js'));
  const assets = path.join(ROOT, 'dist', 'webview');
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url, 'http://x').pathname.slice(1));
    if (name === '') {
      const origin = `http://127.0.0.1:${server.address().port}`;
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(webviewHtml({ cspSource: origin, scriptUri: `${origin}/${script}.js`, styleUri: `${origin}/${script}.css`, codiconUri: `${origin}/codicon.css` }));
      return;
    }
    const file = path.join(assets, path.basename(name));
    if (!fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/**
 * Open a webview page (`script`: board or budget). `state` is what getState() returns at load (as after a
 * reload). Returns helpers: post(message) delivers a host message and deliver(message) also waits until
 * the page handled it, posted() lists the page's messages, state() its last setState, violations()
 * every Content-Security-Policy violation, close().
 */
export async function openWebviewPage({ state, viewport = { width: 1400, height: 900 }, outdir = 'out', script = 'board' } = {}) {
  const server = await serve(outdir, script);
  const { browser, page } = await openBrowser({ chromium: CHROMIUM }, viewport);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(({ initial, theme }) => {
    window.__posted = [];
    window.__state = initial;
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective}: ${e.blockedURI}`));
    window.acquireVsCodeApi = () => ({
      postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
      getState: () => window.__state,
      setState: (s) => {
        window.__state = s;
      },
    });
    // As VS Code does, the theme goes on the <html> element (the init script runs before it exists).
    const applyTheme = () => {
      for (const [k, v] of Object.entries(theme)) document.documentElement.style.setProperty(k, v);
    };
    if (document.documentElement) applyTheme();
    else new MutationObserver((_, o) => document.documentElement && (o.disconnect(), applyTheme())).observe(document, { childList: true });
  }, { initial: state, theme: THEME });
  const origin = `http://127.0.0.1:${server.address().port}`;
  await page.goto(`${origin}/`);
  return {
    page,
    origin,
    errors,
    post: (m) => page.evaluate((msg) => window.postMessage(msg, '*'), m),
    /** Deliver a host message and resolve once the page's own `message` listener has handled it (listeners
     * run in the order they were added, and the page's was added at load). */
    deliver: (m) =>
      page.evaluate(
        (msg) =>
          new Promise((resolve) => {
            window.addEventListener('message', function done() {
              window.removeEventListener('message', done);
              resolve();
            });
            window.postMessage(msg, '*');
          }),
        m,
      ),
    posted: () => page.evaluate(() => window.__posted),
    state: () => page.evaluate(() => window.__state),
    violations: () => page.evaluate(() => window.__violations),
    async close() {
      await browser.close().catch(() => {});
      await new Promise((r) => server.close(r));
    },
  };
}
