// The project's npm dependencies, installed with `npm ci` when any is missing or is not the version
// package-lock.json pins (a fresh clone, or a pull that changed the lock). Plain Node: it runs first.
//   node scripts/npmDependencies.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exitCode, spawnChild } from './childProcess.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export class DependencyError extends Error {}

/** The direct dependencies that are missing or at another version than the lock pins; [] when all match. */
export function staleDependencies(root = ROOT) {
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  const pkg = lock.packages?.[''] ?? {};
  return Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((name) => {
    const want = lock.packages?.[`node_modules/${name}`]?.version;
    try {
      return JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version !== want;
    } catch {
      return true;
    }
  });
}

/** Run `npm ci` if needed, its output shown as it goes. */
export async function ensureNpmDependencies(say = (m) => console.log(`[deps] ${m}`)) {
  const stale = staleDependencies();
  if (!stale.length) return;
  say(`npm ci: ${stale.length} of the project's dependencies are missing or outdated (${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ', …' : ''})`);
  const code = await exitCode(spawnChild('npm', ['ci', '--no-audit', '--no-fund'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] }));
  if (code !== 0) throw new DependencyError(`npm ci failed (exit ${code}): the npm registry must be reachable; run \`npm ci\` in ${ROOT} to see why`);
  const still = staleDependencies();
  if (still.length) throw new DependencyError(`npm ci finished but ${still.join(', ')} is still not installed as package-lock.json pins`);
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) {
  ensureNpmDependencies().then(
    () => console.log('[deps] the npm dependencies are installed'),
    (e) => {
      console.error(`[deps] ERROR: ${e.message}`);
      process.exit(1);
    },
  );
}
