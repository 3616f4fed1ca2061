/**
 * Settings that make the extension read or send on its own. A repository's .vscode/settings.json can set
 * any setting, so these are declared in package.json (`capabilities.untrustedWorkspaces.
 * restrictedConfigurations`) and read here: from the user's own settings only, unless the caller says
 * the workspace has earned more (trusted, and for sync, its targets confirmed).
 */
import type { WorkspaceConfiguration } from 'vscode';

export const RESTRICTED_SETTINGS = ['aiTrackdown.sync.intervalMinutes', 'aiTrackdown.usageImport.claudeCodeLogs'] as const;
export type RestrictedSetting = (typeof RESTRICTED_SETTINGS)[number];

/** `config` is `vscode.workspace.getConfiguration()`. */
export function restrictedValue<T>(config: WorkspaceConfiguration, key: RestrictedSetting, fallback: T, workspaceCounts: boolean): T {
  if (workspaceCounts) return config.get<T>(key, fallback);
  return config.inspect<T>(key)?.globalValue ?? fallback;
}
