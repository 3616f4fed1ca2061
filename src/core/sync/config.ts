/** A provider's section of config.yaml's `sync:` map, read leniently (older configs hold other shapes). */
import { FolderType } from '../config';
import { Project } from '../index';
import { SyncProviderId } from './provider';

export interface SyncSection {
  [key: string]: unknown;
  users?: Record<string, string>;
  push?: FolderType[];
}

/** The provider's settings, or undefined when the project does not configure it (or disables it). */
export function syncSection(project: Project, provider: SyncProviderId): SyncSection | undefined {
  const sync = project.config.raw.sync as Record<string, unknown> | null | undefined;
  const s = sync?.[provider];
  if (!s || typeof s !== 'object' || Array.isArray(s)) return undefined;
  if ((s as { enabled?: unknown }).enabled === false) return undefined;
  return s as SyncSection;
}

/**
 * The item types whose unlinked items are pushed (created remotely): `sync.<provider>.push`,
 * by default issues only, the type that matches a remote issue. Linked items of any type always sync.
 */
export function pushTypes(project: Project, provider: SyncProviderId): readonly FolderType[] {
  return syncSection(project, provider)?.push ?? ['issue'];
}
