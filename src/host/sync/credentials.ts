/**
 * Sync credentials. GitHub on github.com signs in through VS Code's GitHub account; every other
 * credential lives in SecretStorage under a key naming the host it was entered for (and the account
 * where the service needs one), so it is only ever handed to a provider talking to that same host.
 */
import * as vscode from 'vscode';
import { credentialHost, secretKey } from '../../core/sync/hosts';
import { SyncProviderId } from '../../core/sync/provider';
import { GITHUB_API_URL } from '../../core/sync/target';


export interface SecretAsk {
  provider: SyncProviderId;
  url: string;
  account?: string;
  /** What to call it in the input box: "GitHub token", "Jira API token"… */
  label: string;
  /** Ask when it is missing; false in automatic runs. */
  interactive: boolean;
}

export class SyncCredentials {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  async store(provider: SyncProviderId, url: string, account: string | undefined, value: string): Promise<void> {
    await this.secrets.store(secretKey(provider, url, account), value);
  }

  async forget(provider: SyncProviderId, url: string, account?: string): Promise<void> {
    await this.secrets.delete(secretKey(provider, url, account));
  }

  /** A stored secret for exactly this host (and account); asked once when missing and interactive. */
  async secret(a: SecretAsk): Promise<string> {
    const key = secretKey(a.provider, a.url, a.account);
    const known = await this.secrets.get(key);
    if (known) return known;
    const host = new URL(a.url).host;
    if (!a.interactive) throw new Error(`No ${a.label} for ${host} yet: run "Sync: Configure" or "Sync Now" to enter one.`);
    const value = await vscode.window.showInputBox({
      title: `${a.label} for ${host}${a.account ? ` (${a.account})` : ''}`,
      prompt: `Stored in VS Code's secret storage and sent only to ${host}.`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Enter the token, or press Escape to cancel.'),
    });
    if (!value) throw new vscode.CancellationError();
    await this.secrets.store(key, value.trim());
    return value.trim();
  }

  /** The token for a GitHub API: VS Code's GitHub sign-in for github.com, a stored token for any other host. */
  async gitHubToken(apiUrl: string, interactive: boolean): Promise<string> {
    if (credentialHost(apiUrl) === GITHUB_API_URL) {
      const session = await vscode.authentication.getSession('github', ['repo'], interactive ? { createIfNone: true } : { silent: true });
      if (!session) throw new Error('Not signed in to GitHub: run "Sync Now" to sign in.');
      return session.accessToken;
    }
    return this.secret({ provider: 'github', url: apiUrl, label: 'GitHub token', interactive });
  }
}
