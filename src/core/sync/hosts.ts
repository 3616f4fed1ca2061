/**
 * Which host a credential belongs to. A credential is stored under the origin (scheme, host, port)
 * of the URL it was entered for and is looked up by the origin of the URL a provider is about to
 * call, so it can never travel to another host; plain HTTP is allowed for this machine only.
 */
import { SyncProviderId } from './provider';

export function credentialHost(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`"${url}" is not a URL.`);
  }
  const local = u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
  // A token over plain HTTP could be read on the way; only a server on this machine may use it.
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && local)) throw new Error(`${url} is not an https:// URL; sync sends credentials over HTTPS only.`);
  if (u.username || u.password) throw new Error(`${u.host}: put credentials in secret storage, not in the URL.`);
  return u.origin;
}

/** The SecretStorage key of a provider's credential for a URL (and an account, where the service has one). */
export function secretKey(provider: SyncProviderId, url: string, account?: string): string {
  return `aiTrackdown.sync.${provider}:${credentialHost(url)}${account ? `:${account.toLowerCase()}` : ''}`;
}
