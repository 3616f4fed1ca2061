/**
 * Writing a provider's settings into config.yaml's `sync:` map. The YAML document is edited in
 * place (comments, key order, flow maps and quoting of everything else stay), and the result is read
 * back to check that only `sync.<provider>` changed.
 */
import { isDeepStrictEqual } from 'util';
import { isMap, parse as parseYaml, parseDocument, YAMLMap } from 'yaml';
import { SyncProviderId } from './provider';

/** config.yaml's text with `sync.<provider>.<key>` set for each value (undefined removes the key). */
export function setSyncConfig(text: string, provider: SyncProviderId, values: Record<string, unknown>): string {
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length) throw new Error(`config.yaml has YAML errors; fix them first (${doc.errors[0].message.split('\n')[0]}).`);
  if (doc.contents !== null && !isMap(doc.contents)) throw new Error('config.yaml is not a mapping of keys to values.');
  if (!isMap(doc.get('sync'))) doc.set('sync', doc.createNode({}));
  const sync = doc.get('sync') as YAMLMap;
  if (!isMap(sync.get(provider))) sync.set(provider, doc.createNode({}));
  const section = sync.get(provider) as YAMLMap;
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) section.delete(key);
    else section.set(key, doc.createNode(value));
  }
  const out = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  const before = (parseYaml(text) ?? {}) as Record<string, unknown>;
  const after = (parseYaml(out) ?? {}) as Record<string, unknown>;
  const { sync: s1, ...rest1 } = before;
  const { sync: s2, ...rest2 } = after;
  const others = (s: unknown) => Object.fromEntries(Object.entries((s as Record<string, unknown>) ?? {}).filter(([k]) => k !== provider));
  if (!isDeepStrictEqual(rest1, rest2) || !isDeepStrictEqual(others(s1), others(s2))) {
    throw new Error('Writing the sync settings would change other settings in config.yaml; nothing was written.');
  }
  return out;
}
