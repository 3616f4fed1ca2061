/**
 * Sync: Configure. Picks the provider, asks what it needs (or takes it from the arguments, so that
 * scripts and tests skip the questions), writes `sync.<provider>` into config.yaml and puts the
 * credential into SecretStorage, bound to the host it is for.
 */
import * as path from 'path';
import * as vscode from 'vscode';
import { CONFIG_FILE } from '../../core/config';
import { readProjectTextIfExists } from '../../core/fileRule';
import { syncSection } from '../../core/sync/config';
import { setSyncConfig } from '../../core/sync/configEdit';
import { SYNC_PROVIDERS, SyncProviderId } from '../../core/sync/provider';
import { GITHUB_API_URL } from '../../core/sync/target';
import { resolveProject } from '../commands/target';
import { showInfo, showWarning } from '../notify';
import { writeText } from '../writer';
import { TaskWorkspace } from '../workspace';
import { credentialHost } from '../../core/sync/hosts';
import { SyncCredentials } from './credentials';
import { LINEAR_API_URL } from '../../core/sync/linearGraphql';
import { PROVIDER_LABELS } from './providers';

export interface ConfigureArgs {
  root?: string;
  provider?: SyncProviderId;
  /** GitHub */
  repo?: string;
  apiUrl?: string;
  token?: string;
  /** Jira */
  site?: string;
  project?: string;
  email?: string;
  issueType?: string;
  apiToken?: string;
  /** Linear */
  team?: string;
  apiKey?: string;
  users?: Record<string, string>;
}

type Values = Record<string, unknown>;

async function ask(title: string, prompt: string, value: string | undefined, validate: (v: string) => string | undefined): Promise<string> {
  const v = await vscode.window.showInputBox({ title, prompt, value, ignoreFocusOut: true, validateInput: (x) => validate(x.trim()) });
  if (v === undefined) throw new vscode.CancellationError();
  return v.trim();
}

const urlProblem = (v: string) => {
  try {
    credentialHost(v);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
};

export async function configureSync(ws: TaskWorkspace, credentials: SyncCredentials, args?: ConfigureArgs): Promise<{ root: string; provider: SyncProviderId } | undefined> {
  const interactive = !args;
  const a = args ?? {};
  const project = await resolveProject(ws, a.root);
  if (!project) {
    void showWarning('No ai-trackdown project here yet: run "Initialize ai-trackdown Project" first.');
    return undefined;
  }
  let provider = a.provider;
  if (!provider) {
    const picked = await vscode.window.showQuickPick(
      SYNC_PROVIDERS.map((p) => ({ label: PROVIDER_LABELS[p], description: syncSection(project, p) ? 'configured' : undefined, provider: p })),
      { title: `Sync ${project.config.name} with` },
    );
    if (!picked) return undefined;
    provider = picked.provider;
  }
  if (!SYNC_PROVIDERS.includes(provider)) throw new Error(`"${provider}" is not a sync provider (github, jira or linear).`);
  const current = syncSection(project, provider) ?? {};
  const str = (k: string) => (typeof current[k] === 'string' ? (current[k] as string) : undefined);
  const title = `${PROVIDER_LABELS[provider]} for ${project.config.name}`;
  const values: Values = {};
  // The secret is stored only once config.yaml has been written, so a failed write leaves no orphan credential.
  let secret: (() => Promise<unknown>) | undefined;

  if (provider === 'github') {
    const repo = a.repo ?? (interactive ? await ask(title, 'Repository (owner/name)', str('repo'), (v) => (/^[\w.-]+\/[\w.-]+$/.test(v) ? undefined : 'Write it as owner/name.')) : str('repo'));
    if (!repo || !/^[\w.-]+\/[\w.-]+$/.test(repo)) throw new Error(`"${repo ?? ''}" is not a GitHub repository (owner/name).`);
    let apiUrl = a.apiUrl ?? (interactive ? await ask(title, 'API URL: empty for github.com, https://HOST/api/v3 for GitHub Enterprise', str('api_url'), (v) => (v ? urlProblem(v) : undefined)) : str('api_url'));
    apiUrl = apiUrl?.replace(/\/+$/, '') || GITHUB_API_URL;
    const problem = urlProblem(apiUrl);
    if (problem) throw new Error(problem);
    Object.assign(values, { repo, api_url: apiUrl === GITHUB_API_URL ? undefined : apiUrl });
    if (a.token) secret = () => credentials.store('github', apiUrl!, undefined, a.token!);
    else if (interactive) secret = () => credentials.gitHubToken(apiUrl!, true);
  } else if (provider === 'jira') {
    const site = a.site ?? (interactive ? await ask(title, 'Site (https://YOUR-SITE.atlassian.net)', str('site'), urlProblem) : str('site'));
    const key = a.project ?? (interactive ? await ask(title, 'Project key (e.g. AUTH)', str('project'), (v) => (/^[A-Z][A-Z0-9_]+$/.test(v) ? undefined : 'A Jira project key: capital letters and digits.')) : str('project'));
    const email = a.email ?? (interactive ? await ask(title, 'Your Atlassian account email', str('email'), (v) => (/^\S+@\S+$/.test(v) ? undefined : 'An email address.')) : str('email'));
    if (!site || urlProblem(site) || !key || !email) throw new Error('Jira needs a site (https URL), a project key and an email.');
    Object.assign(values, { site: site.replace(/\/+$/, ''), project: key, email, issue_type: a.issueType ?? str('issue_type') });
    if (a.apiToken) secret = () => credentials.store('jira', site, email, a.apiToken!);
    else if (interactive) secret = () => credentials.secret({ provider: 'jira', url: site, account: email, label: 'Jira API token', interactive: true });
  } else {
    const team = a.team ?? (interactive ? await ask(title, 'Team key (e.g. ENG)', str('team'), (v) => (/^[A-Za-z0-9_]+$/.test(v) ? undefined : 'A Linear team key.')) : str('team'));
    if (!team) throw new Error('Linear needs a team key.');
    const apiUrl = (a.apiUrl ?? str('api_url'))?.replace(/\/+$/, '');
    if (apiUrl && urlProblem(apiUrl)) throw new Error(urlProblem(apiUrl));
    Object.assign(values, { team, api_url: apiUrl && apiUrl !== LINEAR_API_URL ? apiUrl : undefined });
    const url = apiUrl ?? LINEAR_API_URL;
    if (a.apiKey) secret = () => credentials.store('linear', url, undefined, a.apiKey!);
    else if (interactive) secret = () => credentials.secret({ provider: 'linear', url, label: 'Linear API key', interactive: true });
  }
  if (a.users) values.users = a.users;

  const file = path.join(project.root, CONFIG_FILE);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
  const before = open ? open.getText() : readProjectTextIfExists(project.root, file);
  if (before === undefined) throw new Error(`${project.config.name} has no ${CONFIG_FILE} to write the sync settings into: run "Initialize ai-trackdown Project" first.`);
  const after = setSyncConfig(before, provider, values);
  if (after !== before && !(await writeText(ws, project.root, file, before, after))) throw new Error(`${CONFIG_FILE} changed while it was being written; nothing was written. Try again.`);
  await ws.reloadProject(project.root);
  await secret?.();
  void showInfo(`${PROVIDER_LABELS[provider]} sync is configured for ${project.config.name}. Run "Sync Now" to sync.`);
  return { root: project.root, provider };
}
