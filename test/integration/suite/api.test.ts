/**
 * The extension's exported API is handed to any other extension that asks. It must hold no secret and no
 * object from which one can be had: walk everything reachable from it and look.
 */
import * as assert from 'assert';
import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import { COMMANDS } from '../../../src/host/commandIds';
import type { RunResult } from '../../../src/host/sync/service';
import { FakeGitHub } from '../../unit/support/fakeGitHub';
import { api, EXTENSION_ID, interceptMessages, wsFile, wsRoot } from './helpers';
import { indexMatchesDisk, snapshot } from './snapshot';

/** Zero-argument functions of the API that only answer questions: their results are walked too. */
const QUERIES = new Set(['ready', 'all', 'statusBar', 'statuses', 'getProjects', 'pathChange']);
const LIMIT = 2_000_000;

type Why = (o: object) => string | undefined;
const has = (o: object, k: string) => k in o;
const fn = (o: object, k: string) => typeof (o as Record<string, unknown>)[k] === 'function';

/** What a secret-bearing object looks like, whoever made it. */
const DANGERS: Why[] = [
  (o) => (has(o, 'secrets') || (has(o, 'globalState') && has(o, 'workspaceState')) ? 'an extension context' : undefined),
  (o) => (fn(o, 'get') && fn(o, 'store') && fn(o, 'delete') && has(o, 'onDidChange') ? 'a SecretStorage' : undefined),
  // globalState is the only Memento with setKeysForSync; it holds which sync targets the user confirmed.
  (o) => (fn(o, 'setKeysForSync') ? 'the global state' : undefined),
  (o) => (has(o, 'accessToken') ? 'an authentication session' : undefined),
  (o) => (fn(o, 'gitHubToken') || (fn(o, 'secret') && fn(o, 'store')) ? 'the sync credentials' : undefined),
  (o) => (fn(o, 'getSession') && has(o, 'onDidChangeSessions') ? 'the authentication API' : undefined),
];

interface Walked {
  visited: number;
  found: string[];
  strings: Set<string>;
}

/** Breadth first over own and inherited properties (values and getters), map and set entries, promises and QUERIES. */
async function walk(roots: [string, unknown][], secrets: string[]): Promise<Walked> {
  const seen = new Set<unknown>();
  const found: string[] = [];
  const strings = new Set<string>();
  const queue = [...roots];
  let visited = 0;
  const push = (p: string, v: unknown) => {
    if (v !== null && (typeof v === 'object' || typeof v === 'function') && seen.has(v)) return;
    queue.push([p, v]);
  };
  while (queue.length) {
    const [p, v] = queue.shift()!;
    if (typeof v === 'string') {
      strings.add(v);
      for (const s of secrets) if (v.includes(s)) found.push(`${p}: holds a stored secret`);
      continue;
    }
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) continue;
    if (seen.has(v)) continue;
    seen.add(v);
    if (++visited > LIMIT) throw new Error(`more than ${LIMIT} objects reachable from the API (at ${p})`);
    if (typeof v === 'function') continue;
    const o = v as object;
    for (const danger of DANGERS) {
      const why = danger(o);
      if (why) found.push(`${p}: ${why}`);
    }
    if (o instanceof Promise) {
      push(`${p}.then`, await Promise.race([o.catch(() => undefined), new Promise((r) => setTimeout(r, 2000))]));
      continue;
    }
    if (o instanceof Map) for (const [k, x] of o) (push(`${p}.key`, k), push(`${p}[${String(k)}]`, x));
    if (o instanceof Set) for (const x of o) push(`${p}.entry`, x);
    const keys = new Set<PropertyKey>();
    for (let proto: object | null = o; proto && proto !== Object.prototype && proto !== Array.prototype && proto !== Function.prototype; proto = Object.getPrototypeOf(proto)) {
      for (const k of Reflect.ownKeys(proto)) {
        if (keys.has(k) || k === 'constructor') continue;
        keys.add(k);
        const d = Reflect.getOwnPropertyDescriptor(proto, k)!;
        const at = `${p}.${String(k)}`;
        let x: unknown;
        try {
          x = d.get ? d.get.call(o) : d.value;
        } catch {
          continue;
        }
        if (typeof x === 'function' && typeof k === 'string' && QUERIES.has(k) && x.length === 0) {
          try {
            push(`${at}()`, (x as () => unknown).call(o));
          } catch {
            // A query that needs a state the window is not in answers nothing to look at.
          }
        }
        push(at, x);
      }
    }
  }
  return { visited, found, strings };
}

describe('the exported API', function () {
  this.timeout(120000);
  let gh: FakeGitHub;
  let restore: () => void;
  const root = () => wsFile('services/billing');
  const secrets = {
    github: `ghp_${randomBytes(12).toString('hex')}`,
    jira: `jira-${randomBytes(12).toString('hex')}`,
    linear: `lin_api_${randomBytes(12).toString('hex')}`,
  };

  before(async () => {
    await api();
    restore = snapshot(wsRoot());
    gh = await new FakeGitHub().start();
    gh.token = secrets.github;
  });

  after(async () => {
    await gh.stop();
    restore();
    await indexMatchesDisk((await api()).index);
  });

  it('reaches no secret, secret storage, GitHub session or extension context, even after a sync', async () => {
    // Every provider's credential stored, and one sync run, so that any credential kept in memory would be there.
    await vscode.commands.executeCommand(COMMANDS.syncConfigure, { root: root(), provider: 'jira', site: 'https://walk.atlassian.net', project: 'WALK', email: 'me@example.test', apiToken: secrets.jira });
    await vscode.commands.executeCommand(COMMANDS.syncConfigure, { root: root(), provider: 'linear', team: 'WALK', apiKey: secrets.linear });
    await vscode.commands.executeCommand(COMMANDS.syncConfigure, { root: root(), provider: 'github', repo: `${gh.owner}/${gh.repo}`, apiUrl: gh.url, token: secrets.github });
    const messages = interceptMessages((m) => (m.options?.modal ? m.items[0] : undefined));
    let results: RunResult[];
    try {
      results = (await vscode.commands.executeCommand(COMMANDS.syncNow, { root: root(), providers: ['github'] })) as RunResult[];
    } finally {
      messages.restore();
    }
    assert.deepStrictEqual(results.map((r) => [r.provider, r.error]), [['github', undefined]]);
    assert.ok(gh.log.some((l) => l.auth === `Bearer ${secrets.github}`), 'the sync used the stored token');

    const a = await api();
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const viewIds = Object.values(ext.packageJSON.contributes.views as Record<string, { id: string }[]>).flat().map((v) => v.id);
    const roots: [string, unknown][] = [['api', a], ...viewIds.map((id): [string, unknown] => [`api.treeProvider(${id})`, a.treeProvider(id)])];
    const walked = await walk(roots, Object.values(secrets));
    assert.deepStrictEqual(walked.found, []);
    // The walk went where it should: into the index and the sync view.
    assert.ok(walked.visited > 1000, `${walked.visited} objects`);
    assert.ok(walked.strings.has(a.sync.statusBar().text), 'the sync status bar text was reached');
    assert.ok([...walked.strings].some((s) => s.endsWith('BST-0001-pdf-invoice.md')), 'the index was reached');
  });
});
