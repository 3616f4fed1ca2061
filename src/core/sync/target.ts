/**
 * Where a project syncs to: the service's URL, the place on it (repository, Jira project, Linear team)
 * and the account, as the project's config.yaml says. That file comes with the repository, so whoever
 * wrote it picks where the user's credentials and tasks go; the editor asks the user to confirm each
 * target once before anything is sent to it. The providers are built from these same values.
 */
import { Project } from '../index';
import { syncSection, SyncSection } from './config';
import { LINEAR_API_URL } from './linearGraphql';
import { SyncProviderId } from './provider';

export const GITHUB_API_URL = 'https://api.github.com';

export interface SyncTarget {
  provider: SyncProviderId;
  /** The URL the provider calls: the API (GitHub, Linear) or the site (Jira). */
  url: string;
  /** The repository (owner/name), the Jira project key or the Linear team key. */
  place: string;
  /** The account named in config.yaml (Jira's email); other services take the account from the credential. */
  account?: string;
}

export const sectionText = (section: SyncSection, key: string): string | undefined => {
  const v = section[key];
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
};

const need = (section: SyncSection, provider: SyncProviderId, key: string): string => {
  const v = sectionText(section, key);
  if (!v) throw new Error(`config.yaml sync.${provider}.${key} is not set: run "Sync: Configure".`);
  return v;
};

/** The project's target for a provider; an error says which setting is missing or wrong. */
export function syncTarget(project: Project, provider: SyncProviderId): SyncTarget {
  const section = syncSection(project, provider);
  if (!section) throw new Error(`${provider} sync is not configured for ${project.config.name}: run "Sync: Configure".`);
  switch (provider) {
    case 'github': {
      const repo = need(section, 'github', 'repo');
      if (!/^[\w.-]+\/[\w.-]+$/.test(repo)) throw new Error(`config.yaml sync.github.repo "${repo}" is not owner/name.`);
      return { provider, url: sectionText(section, 'api_url') ?? GITHUB_API_URL, place: repo };
    }
    case 'jira':
      return { provider, url: need(section, 'jira', 'site'), place: need(section, 'jira', 'project'), account: need(section, 'jira', 'email') };
    case 'linear':
      return { provider, url: sectionText(section, 'api_url') ?? LINEAR_API_URL, place: need(section, 'linear', 'team') };
  }
}

/** One string per target: the same target always gives the same key. */
export function targetKey(t: SyncTarget): string {
  return JSON.stringify([t.provider, t.url, t.place, t.account ?? null]);
}

/** The target in words, naming every part of it: "GitHub repository acme/shop at https://api.github.com". */
export function describeTarget(t: SyncTarget): string {
  switch (t.provider) {
    case 'github':
      return `GitHub repository ${t.place} at ${t.url}`;
    case 'jira':
      return `Jira project ${t.place} at ${t.url} as ${t.account}`;
    case 'linear':
      return `Linear team ${t.place} at ${t.url}`;
  }
}
