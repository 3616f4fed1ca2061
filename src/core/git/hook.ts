/**
 * The optional post-commit hook: it appends each new commit's hash to a file in the git dir, so that
 * commits made while VS Code was closed can still be offered for keyword transitions. The file lives
 * in the git dir, not in the project, so recording a commit never dirties the working tree.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { SimpleGit } from 'simple-git';
import { createFile, replaceFile } from '../atomicWrite';
import { readRegularBytesSync, readRegularTextSync } from '../fileRule';

export const HOOK_MARKER = '# ai-trackdown-vscode post-commit hook';
export const RECORD_FILE = 'ai-trackdown-commits';

export const HOOK_SCRIPT = `#!/bin/sh
${HOOK_MARKER}
# Records each new commit for the AI Trackdown VS Code extension, which offers the state changes
# its message asks for ("fixes TSK-0001"). Remove it with "AI Trackdown: Uninstall Git Commit Hook".
git_dir=$(git rev-parse --git-dir 2>/dev/null) || exit 0
head=$(git rev-parse --verify -q HEAD 2>/dev/null) || exit 0
printf '%s\\n' "$head" >> "$git_dir/${RECORD_FILE}" 2>/dev/null
exit 0
`;

export class HookError extends Error {}

/** Where git runs the post-commit hook from (core.hooksPath respected), as an absolute path. */
export async function postCommitHookPath(git: SimpleGit, repoRoot: string): Promise<string> {
  const rel = (await git.raw(['rev-parse', '--git-path', 'hooks/post-commit'])).trim();
  return path.resolve(repoRoot, rel);
}

export type HookState = 'absent' | 'ours' | 'foreign';

export async function hookState(file: string): Promise<HookState> {
  return stateOf(await readHook(file));
}

async function readHook(file: string): Promise<Buffer | undefined> {
  try {
    return readRegularBytesSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

const stateOf = (hook: Buffer | undefined): HookState => (!hook ? 'absent' : hook.includes(HOOK_MARKER) ? 'ours' : 'foreign');

/**
 * Install (or refresh) the hook; a hook that is not ours is never touched. Where hooks live is git's
 * choice (core.hooksPath may point anywhere), so the write is not held to the project.
 */
export async function installHook(file: string): Promise<'installed' | 'updated'> {
  const hook = await readHook(file);
  const state = stateOf(hook);
  if (state === 'foreign') {
    throw new HookError(`${file} already exists and was not installed by AI Trackdown; it was left as it is. Add a line that records the commit to it, or remove it first.`);
  }
  // Exactly 0755, whatever the umask or a chmod since: git skips hooks that are not executable.
  if (state === 'ours') await replaceFile(file, HOOK_SCRIPT, { within: null, expected: hook, mode: 0o755 });
  else if (!(await createFile(file, HOOK_SCRIPT, { within: null, mode: 0o755 }))) throw new HookError(`${file} appeared while the hook was being installed; it was left as it is. Try again.`);
  return state === 'ours' ? 'updated' : 'installed';
}

/** Remove the hook if it is ours; a foreign one is refused. */
export async function uninstallHook(file: string): Promise<'removed' | 'absent'> {
  const state = await hookState(file);
  if (state === 'absent') return 'absent';
  if (state === 'foreign') throw new HookError(`${file} was not installed by AI Trackdown; it was left as it is.`);
  await fs.rm(file);
  return 'removed';
}

/**
 * Take the hashes the hook recorded and empty the file. The file is renamed first, so a commit the
 * hook records meanwhile goes to a fresh file and is read next time.
 */
export async function takeRecordedCommits(gitDir: string): Promise<string[]> {
  const file = path.join(gitDir, RECORD_FILE);
  const taken = `${file}.${process.pid}.reading`;
  try {
    await fs.rename(file, taken);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  try {
    const text = readRegularTextSync(taken);
    return [...new Set(text.split('\n').map((l) => l.trim()).filter((l) => /^[0-9a-f]{40,64}$/.test(l)))];
  } finally {
    await fs.rm(taken, { force: true });
  }
}
