/**
 * The "Get started" walkthrough in package.json: every command its buttons run, every view, context
 * key and command its completion events wait for, and every media file it shows, exists and ships.
 */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { COMMANDS, CONTEXT, VIEWS } from '../../src/host/commandIds';
import { REPO } from './helpers';

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string; image?: unknown; svg?: string };
  completionEvents?: string[];
  when?: string;
}

const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const walkthrough = (pkg.contributes.walkthroughs as { id: string; title: string; steps: Step[] }[]).find((w) => w.id === 'getStarted')!;
const declaredCommands = new Set((pkg.contributes.commands as { command: string }[]).map((c) => c.command));
const containers = new Set((pkg.contributes.viewsContainers.activitybar as { id: string }[]).map((c) => c.id));
const views = new Set(Object.values(pkg.contributes.views as Record<string, { id: string }[]>).flat().map((v) => v.id));
const contextKeys = new Set<string>(Object.values(CONTEXT));

/** A command a button may run: one of ours, or the workbench's command that opens one of our view containers. */
function isRealCommand(id: string): boolean {
  const container = /^workbench\.view\.extension\.(.+)$/.exec(id)?.[1];
  if (container) return containers.has(container);
  return declaredCommands.has(id) && (Object.values(COMMANDS) as string[]).includes(id);
}

describe('the walkthrough', () => {
  it('takes a new user from the project through the board, a state change and budgets to llms.txt', () => {
    assert.ok(walkthrough, 'package.json contributes the getStarted walkthrough');
    assert.equal(walkthrough.title, 'Get started with AI Trackdown');
    assert.deepEqual(walkthrough.steps.map((s) => s.id), ['openProject', 'openBoard', 'changeState', 'tokenBudgets', 'llmsTxt']);
  });

  for (const step of walkthrough?.steps ?? []) {
    describe(step.id, () => {
      it('has a title, a description and a button that runs a real command', () => {
        assert.ok(step.title.trim() && step.description.trim());
        const links = [...step.description.matchAll(/\]\(command:([\w.-]+)\)/g)].map((m) => m[1]);
        assert.ok(links.length, 'a command link');
        for (const id of links) assert.ok(isRealCommand(id), `${id} is not a command of the extension or of its views`);
      });

      it('completes on an event that can happen', () => {
        assert.ok(step.completionEvents?.length, 'completionEvents');
        for (const event of step.completionEvents!) {
          const [, kind, name] = /^(onCommand|onView|onContext):(.+)$/.exec(event) ?? [];
          assert.ok(kind, `${event}: onCommand, onView or onContext`);
          if (kind === 'onCommand') assert.ok(isRealCommand(name), `${event}: no such command`);
          if (kind === 'onView') assert.ok(views.has(name) && (Object.values(VIEWS) as string[]).includes(name), `${event}: no such view`);
          if (kind === 'onContext') assert.ok(contextKeys.has(name), `${event}: not a context key the extension sets`);
        }
        for (const key of step.when?.match(/aiTrackdown\.\w+/g) ?? []) assert.ok(contextKeys.has(key), `when: ${key}`);
      });

      it('shows a markdown file that exists and ships in the VSIX', () => {
        const file = step.media.markdown;
        assert.ok(file && file.startsWith('media/walkthrough/') && file.endsWith('.md'), `media: ${JSON.stringify(step.media)}`);
        assert.ok(fs.readFileSync(path.join(REPO, file), 'utf8').startsWith('# '));
        const shipped = fs.readFileSync(path.join(REPO, '.vscodeignore'), 'utf8').split('\n');
        assert.ok(shipped.includes('!media/**'));
      });
    });
  }
});
