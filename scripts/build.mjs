// Bundles the extension to dist/, the trackdown command line to dist/cli.js, the webviews to dist/webview/ (with their stylesheets and the codicon
// font) and, with --tests, compiles the test and bench sources to out/.
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const args = new Set(process.argv.slice(2));
// --outdir=DIR compiles tests elsewhere than out/, so that parallel builds do not delete each other's output.
const outdir = [...args].find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) ?? 'out';
const production = args.has('--production');
const watch = args.has('--watch');

/** @type {esbuild.BuildOptions} */
const extension = {
  entryPoints: ['src/host/extension.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: 'dist/extension.js',
  external: ['vscode'],
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

/**
 * commander loads node:child_process (and with it node:net) at start, for subcommands that are separate
 * executables, which trackdown has none of: a few milliseconds of every run. It gets a stand-in that
 * loads the module if it is ever used.
 */
const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(build) {
    build.onResolve({ filter: /^(node:)?child_process$/ }, (a) => (/[\\/]commander[\\/]/.test(a.importer) ? { path: 'child_process', namespace: 'lazy' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'lazy' }, () => ({
      contents: "let m; module.exports = new Proxy({}, { get: (_, k) => (m ??= require('node:child_process'))[k] });",
      loader: 'js',
    }));
  },
};

/**
 * The `trackdown` command line: one file that runs on Node alone (no 'vscode'), every dependency inside.
 * Without whitespace, as Node reads and compiles the whole file on every run; names are kept, so that a
 * `--debug` stack still says where it was.
 */
const cli = {
  ...extension,
  entryPoints: ['src/cli/main.ts'],
  outfile: 'dist/cli.js',
  external: [],
  minifyWhitespace: true,
  minifySyntax: true,
  banner: { js: '#!/usr/bin/env node' },
  define: { TRACKDOWN_VERSION: JSON.stringify(version) },
  plugins: [lazyChildProcess],
};

/** The tokenizer, bundled apart so that neither activation nor the CLI's start loads its ranks (see src/core/loadTokenizer.ts). */
const tokenizer = { ...extension, entryPoints: ['src/core/tokenizer.ts'], outfile: 'dist/tokenizer.js' };

/** Browser code of the webviews: no Node, no 'vscode'; one script per webview. */
const webviews = {
  entryPoints: { board: 'webview-ui/board/main.ts', budget: 'webview-ui/budget/main.ts' },
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  format: 'iife',
  outdir: 'dist/webview',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
};

/** What the webview pages link besides their scripts. */
function copyWebviewAssets() {
  mkdirSync('dist/webview', { recursive: true });
  copyFileSync('webview-ui/board/board.css', 'dist/webview/board.css');
  copyFileSync('webview-ui/budget/budget.css', 'dist/webview/budget.css');
  copyFileSync('webview-ui/shared/base.css', 'dist/webview/base.css');
  for (const f of ['codicon.css', 'codicon.ttf']) copyFileSync(`node_modules/@vscode/codicons/dist/${f}`, `dist/webview/${f}`);
}

function tsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'fixtures' ? [] : tsFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

/** Tests and benchmarks: one file per source, so mocha and the extension host load them by name. */
const tests = {
  entryPoints: [...tsFiles('src'), ...tsFiles('test'), ...tsFiles('bench'), ...tsFiles('webview-ui/shared')],
  outbase: '.',
  outdir,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
  define: { TRACKDOWN_VERSION: JSON.stringify(version) },
};

if (watch) {
  copyWebviewAssets();
  const contexts = [await esbuild.context(extension), await esbuild.context(cli), await esbuild.context(tokenizer), await esbuild.context(webviews)];
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('watching src/ and webview-ui/ …');
} else {
  rmSync('dist/extension.js', { force: true });
  rmSync('dist/cli.js', { force: true });
  rmSync('dist/webview', { recursive: true, force: true });
  await Promise.all([esbuild.build(extension), esbuild.build(cli), esbuild.build(tokenizer), esbuild.build(webviews)]);
  chmodSync('dist/cli.js', 0o755);
  copyWebviewAssets();
  if (args.has('--tests')) {
    rmSync(outdir, { recursive: true, force: true });
    await esbuild.build(tests);
  }
}
