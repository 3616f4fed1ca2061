/** Install / Uninstall Git Commit Hook, for the repository of a chosen project. */
import { HookError, installHook, postCommitHookPath, uninstallHook } from '../../core/git/hook';
import { CommandTarget, resolveProject } from '../commands/target';
import { showInfo, showWarning } from '../notify';
import { TaskWorkspace } from '../workspace';
import { GitRepos, requireTrust } from './repos';

async function hookFile(ws: TaskWorkspace, repos: GitRepos, arg: CommandTarget): Promise<string | undefined> {
  requireTrust();
  const project = await resolveProject(ws, arg);
  if (!project) return undefined;
  const repo = await repos.requireRepo(project.root);
  return postCommitHookPath(repo.git, repo.root);
}

/** Returns the hook's path when it was installed or refreshed. */
export async function installCommitHook(ws: TaskWorkspace, repos: GitRepos, arg: CommandTarget): Promise<string | undefined> {
  const file = await hookFile(ws, repos, arg);
  if (!file) return undefined;
  try {
    const done = await installHook(file);
    void showInfo(`Git commit hook ${done === 'installed' ? 'installed' : 'updated'}: ${file}. Commits made outside VS Code are offered for keyword transitions when it starts.`);
    return file;
  } catch (e) {
    if (e instanceof HookError) {
      void showWarning(e.message);
      return undefined;
    }
    throw e;
  }
}

/** Returns true when our hook was removed. */
export async function uninstallCommitHook(ws: TaskWorkspace, repos: GitRepos, arg: CommandTarget): Promise<boolean> {
  const file = await hookFile(ws, repos, arg);
  if (!file) return false;
  try {
    const done = await uninstallHook(file);
    void showInfo(done === 'removed' ? `Git commit hook removed: ${file}.` : `No AI Trackdown commit hook is installed (${file}).`);
    return done === 'removed';
  } catch (e) {
    if (e instanceof HookError) {
      void showWarning(e.message);
      return false;
    }
    throw e;
  }
}
