/**
 * From a project's `sync.<provider>` settings and the stored credentials to a provider. Each service
 * has one small function; a credential is looked up by the very URL the provider will call.
 */
import { Project } from '../../core/index';
import { syncSection, SyncSection } from '../../core/sync/config';
import { GitHubProvider } from '../../core/sync/github';
import { HttpOptions } from '../../core/sync/http';
import { JiraProvider } from '../../core/sync/jira';
import { LinearProvider } from '../../core/sync/linear';
import { LINEAR_API_URL } from '../../core/sync/linearGraphql';
import { SYNC_PROVIDERS, SyncProvider, SyncProviderId } from '../../core/sync/provider';
import { GITHUB_API, SyncCredentials } from './credentials';

export const PROVIDER_LABELS: Record<SyncProviderId, string> = { github: 'GitHub Issues', jira: 'Jira', linear: 'Linear' };

export interface ProviderContext {
  project: Project;
  credentials: SyncCredentials;
  /** Whether a missing credential may be asked for. */
  interactive: boolean;
  http?: HttpOptions;
}

/** The providers a project configures. */
export function configuredProviders(project: Project): SyncProviderId[] {
  return SYNC_PROVIDERS.filter((p) => syncSection(project, p));
}

const text = (section: SyncSection, key: string): string | undefined => {
  const v = section[key];
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
};
const need = (section: SyncSection, provider: SyncProviderId, key: string): string => {
  const v = text(section, key);
  if (!v) throw new Error(`config.yaml sync.${provider}.${key} is not set: run "Sync: Configure".`);
  return v;
};

async function github(section: SyncSection, c: ProviderContext): Promise<SyncProvider> {
  const repo = need(section, 'github', 'repo');
  const m = /^([\w.-]+)\/([\w.-]+)$/.exec(repo);
  if (!m) throw new Error(`config.yaml sync.github.repo "${repo}" is not owner/name.`);
  const apiUrl = text(section, 'api_url') ?? GITHUB_API;
  const token = await c.credentials.gitHubToken(apiUrl, c.interactive);
  return new GitHubProvider({ apiUrl, owner: m[1], repo: m[2], token, users: section.users, http: c.http });
}

/** The options a Jira provider is constructed with. */
export async function jiraOptions(section: SyncSection, c: ProviderContext) {
  const baseUrl = need(section, 'jira', 'site');
  const email = need(section, 'jira', 'email');
  const apiToken = await c.credentials.secret({ provider: 'jira', url: baseUrl, account: email, label: 'Jira API token', interactive: c.interactive });
  return { baseUrl, projectKey: need(section, 'jira', 'project'), email, apiToken, issueType: text(section, 'issue_type'), users: section.users, http: c.http };
}

/** The options a Linear provider is constructed with. */
export async function linearOptions(section: SyncSection, c: ProviderContext) {
  const apiUrl = text(section, 'api_url') ?? LINEAR_API_URL;
  const apiKey = await c.credentials.secret({ provider: 'linear', url: apiUrl, label: 'Linear API key', interactive: c.interactive });
  return { apiUrl, apiKey, teamKey: need(section, 'linear', 'team'), users: section.users, http: c.http };
}

export async function createProvider(id: SyncProviderId, c: ProviderContext): Promise<SyncProvider> {
  const section = syncSection(c.project, id);
  if (!section) throw new Error(`${PROVIDER_LABELS[id]} is not configured for ${c.project.config.name}: run "Sync: Configure".`);
  switch (id) {
    case 'github':
      return github(section, c);
    case 'jira':
      return new JiraProvider(await jiraOptions(section, c));
    case 'linear':
      return new LinearProvider(await linearOptions(section, c));
  }
}
