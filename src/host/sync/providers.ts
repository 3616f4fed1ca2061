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
import { SYNC_PROVIDERS, SyncProvider, SyncProviderId } from '../../core/sync/provider';
import { sectionText, syncTarget } from '../../core/sync/target';
import { SyncCredentials } from './credentials';

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

async function github(section: SyncSection, c: ProviderContext): Promise<SyncProvider> {
  const { url: apiUrl, place } = syncTarget(c.project, 'github');
  const [owner, repo] = place.split('/');
  const token = await c.credentials.gitHubToken(apiUrl, c.interactive);
  return new GitHubProvider({ apiUrl, owner, repo, token, users: section.users, http: c.http });
}

/** The options a Jira provider is constructed with. */
export async function jiraOptions(section: SyncSection, c: ProviderContext) {
  const { url: baseUrl, place: projectKey, account: email } = syncTarget(c.project, 'jira');
  const apiToken = await c.credentials.secret({ provider: 'jira', url: baseUrl, account: email, label: 'Jira API token', interactive: c.interactive });
  return { baseUrl, projectKey, email: email!, apiToken, issueType: sectionText(section, 'issue_type'), users: section.users, http: c.http };
}

/** The options a Linear provider is constructed with. */
export async function linearOptions(section: SyncSection, c: ProviderContext) {
  const { url: apiUrl, place: teamKey } = syncTarget(c.project, 'linear');
  const apiKey = await c.credentials.secret({ provider: 'linear', url: apiUrl, label: 'Linear API key', interactive: c.interactive });
  return { apiUrl, apiKey, teamKey, users: section.users, http: c.http };
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
