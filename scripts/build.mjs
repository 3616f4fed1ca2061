// Bundles the extension to dist/ and, with --tests, compiles the test and bench sources to out/.
import * as esbuild from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
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

function tsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'fixtures' ? [] : tsFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

/** Tests and benchmarks: one file per source, so mocha and the extension host load them by name. */
const tests = {
  entryPoints: [...tsFiles('src'), ...tsFiles('test'), ...tsFiles('bench')],
  outbase: '.',
  outdir,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: 'inline',
  logLevel: 'warning',
};

if (watch) {
  const ctx = await esbuild.context(extension);
  await ctx.watch();
  console.log('watching src/ …');
} else {
  rmSync('dist/extension.js', { force: true });
  await esbuild.build(extension);
  if (args.has('--tests')) {
    rmSync(outdir, { recursive: true, force: true });
    await esbuild.build(tests);
  }
}
