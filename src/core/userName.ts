/** Who is acting, recorded as `transitioned_by` when no one is named: the parts every front door shares. */
import { execFileSync } from 'child_process';
import * as os from 'os';

/** The OS user's name; 'unknown' where the system has none to give (a container without a passwd entry). */
export function osUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** git's user.name as seen from `cwd`; undefined without git or without one set. */
function gitUserName(cwd: string): string | undefined {
  try {
    return execFileSync('git', ['config', 'user.name'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Outside the editor: TRACKDOWN_USER, else git's user.name, else the OS user. */
export function processUserName(cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.TRACKDOWN_USER?.trim() || gitUserName(cwd) || osUserName();
}
