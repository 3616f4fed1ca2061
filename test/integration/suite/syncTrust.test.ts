/**
 * A cloned repository's config.yaml names where sync sends the tasks, and its .vscode/settings.json can
 * ask for a timed sync: nothing may reach that target before the user has confirmed it, once.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { COMMANDS } from '../../../src/host/commandIds';
import type { RunResult } from '../../../src/host/sync/service';
import { FakeGitHub } from '../../unit/support/fakeGitHub';
import { api, interceptMessages, ShownMessage, waitFor, wsFile, wsRoot } from './helpers';
import { indexMatchesDisk, snapshot } from './snapshot';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The timed sync's intervals, caught as they are set (and still set for real), so a test can run a
 * tick now instead of waiting minutes for it. Only intervals of whole minutes are kept.
 */
function catchIntervals() {
  const real = globalThis.setInterval;
  const caught: { minutes: number; tick: () => void }[] = [];
  globalThis.setInterval = ((fn: () => void, ms?: number, ...rest: unknown[]) => {
    if (ms && ms >= 60_000 && ms % 60_000 === 0) caught.push({ minutes: ms / 60_000, tick: fn });
    return real(fn, ms, ...rest);
  }) as typeof setInterval;
  return { caught, restore: () => (globalThis.setInterval = real) };
}

describe('sync targets a repository chooses', function () {
  this.timeout(60000);
  let gh: FakeGitHub;
  let restore: () => void;
  let intervals: ReturnType<typeof catchIntervals>;
  const root = () => wsFile('services/billing');
  const fork = () => wsFile('services/billing-fork');
  const configFile = (r: string) => path.join(r, '.ai-trackdown', 'config.yaml');
  const settings = () => vscode.workspace.getConfiguration('aiTrackdown');
  const syncNow = async (r: string, answer: (m: ShownMessage) => string | undefined) => {
    const messages = interceptMessages(answer);
    try {
      const results = (await vscode.commands.executeCommand(COMMANDS.syncNow, { root: r })) as RunResult[];
      return { results, asked: messages.shown.filter((m) => m.options?.modal) };
    } finally {
      messages.restore();
    }
  };
  /** Run the ticks of the timed sync set for `minutes` and wait for what they do. */
  const tick = async (minutes: number) => {
    for (const i of intervals.caught.filter((c) => c.minutes === minutes)) i.tick();
    await sleep(500);
    const a = await api();
    await waitFor(() => !a.sync.statusBar().text.includes('Syncing'), 'the run to end');
  };

  before(async () => {
    await api();
    restore = snapshot(wsRoot());
    gh = await new FakeGitHub().start();
    intervals = catchIntervals();
    // The repository as cloned: config.yaml names a target. The token for that host was stored before,
    // for another project, as secret storage keys a token by host.
    fs.appendFileSync(configFile(root()), `sync:\n  github:\n    repo: ${gh.owner}/${gh.repo}\n    api_url: ${gh.url}\n`);
    const a = await api();
    await waitFor(() => a.index.getProject(root())?.config.raw.sync, 'the sync section in the index');
    const other = configFile(wsRoot());
    const before = fs.readFileSync(other, 'utf8');
    await vscode.commands.executeCommand(COMMANDS.syncConfigure, { root: wsRoot(), provider: 'github', repo: 'someone/else', apiUrl: gh.url, token: gh.token });
    fs.writeFileSync(other, before);
    await waitFor(() => !a.index.getProject(wsRoot())?.config.raw.sync, 'the other project without sync again');
  });

  after(async () => {
    intervals.restore();
    await settings().update('sync.intervalMinutes', undefined, vscode.ConfigurationTarget.Workspace);
    await settings().update('sync.intervalMinutes', undefined, vscode.ConfigurationTarget.Global);
    await gh.stop();
    restore();
    await indexMatchesDisk((await api()).index);
  });

  it("the workspace's own timed sync setting sends nothing to a target not yet confirmed", async () => {
    await settings().update('sync.intervalMinutes', 3, vscode.ConfigurationTarget.Workspace);
    assert.ok(fs.readFileSync(path.join(wsRoot(), '.vscode', 'settings.json'), 'utf8').includes('intervalMinutes'));
    await sleep(500);
    const messages = interceptMessages();
    try {
      await tick(3);
      assert.strictEqual(gh.log.length, 0, JSON.stringify(gh.log));
      assert.deepStrictEqual(messages.shown, []);
    } finally {
      messages.restore();
    }
  });

  it("the user's timed sync skips the target without asking, and the status bar says it waits", async () => {
    const a = await api();
    await settings().update('sync.intervalMinutes', 7, vscode.ConfigurationTarget.Global);
    await waitFor(() => intervals.caught.some((c) => c.minutes === 7), 'the timer the user asked for');
    const messages = interceptMessages();
    try {
      await tick(7);
      await tick(7);
      assert.strictEqual(gh.log.length, 0, JSON.stringify(gh.log));
      assert.deepStrictEqual(messages.shown, []);
    } finally {
      messages.restore();
    }
    await waitFor(() => a.sync.statusBar().text.includes('to confirm'), 'the status bar asking for a confirmation');
  });

  it('Sync Now asks once, naming the target and the file it comes from; declined, nothing is sent', async () => {
    const declined = await syncNow(root(), () => undefined);
    assert.strictEqual(declined.asked.length, 1);
    const q = declined.asked[0];
    assert.strictEqual(q.message.replace(/\u2060/g, ''), `Sync billing with GitHub repository acme/shop at ${gh.url}?`);
    assert.ok(q.options!.detail!.includes(configFile(root())), q.options!.detail);
    assert.ok(q.options!.detail!.includes('sync.github'), q.options!.detail);
    assert.deepStrictEqual(q.items, ['Sync']);
    assert.deepStrictEqual(declined.results.map((r) => [r.provider, r.error, !!r.skipped]), [['github', undefined, true]]);
    assert.strictEqual(gh.log.length, 0, JSON.stringify(gh.log));

    const confirmed = await syncNow(root(), (m) => (m.options?.modal ? 'Sync' : undefined));
    assert.strictEqual(confirmed.asked.length, 1);
    assert.deepStrictEqual(confirmed.results.map((r) => [r.provider, r.error, r.skipped]), [['github', undefined, undefined]]);
    assert.ok(gh.log.length > 0, 'the sync reached the server');
    assert.ok(gh.log.every((l) => l.auth === `Bearer ${gh.token}`));
  });

  it("once confirmed, the workspace's timed sync runs without asking", async () => {
    // Every target of the workspace is confirmed now: its own setting (3 minutes) counts.
    await waitFor(() => intervals.caught.some((c) => c.minutes === 3), "the workspace's timer");
    const sent = gh.log.length;
    const messages = interceptMessages();
    try {
      await tick(3);
      await waitFor(() => gh.log.length > sent, 'the timed run to reach the server');
      assert.deepStrictEqual(messages.shown.filter((m) => m.options?.modal), []);
    } finally {
      messages.restore();
    }
  });

  it('the confirmation is kept outside the repository: removing what sync wrote keeps it, a copy elsewhere asks again', async () => {
    const a = await api();
    fs.rmSync(path.join(root(), '.ai-trackdown', 'sync'), { recursive: true, force: true });
    const again = await syncNow(root(), () => undefined);
    assert.deepStrictEqual(again.asked, []);
    assert.strictEqual(again.results[0].error, undefined);

    fs.cpSync(root(), fork(), { recursive: true });
    fs.writeFileSync(configFile(fork()), fs.readFileSync(configFile(fork()), 'utf8').replace('name: billing', 'name: billing-fork'));
    await waitFor(() => a.index.getProject(fork()), 'the copy in the index');
    const sent = gh.log.length;
    const copy = await syncNow(fork(), () => undefined);
    assert.strictEqual(copy.asked.length, 1);
    assert.ok(copy.asked[0].options!.detail!.includes(configFile(fork())));
    assert.strictEqual(gh.log.length, sent, 'nothing sent for the copy');
  });
});
