// One e2e suite's workbench: the extension packaged as a VSIX and installed into code-server, opened on a
// fresh copy of the fixture workspace. A failed test leaves a screenshot; a failed suite keeps the copy.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageVsix } from '../../scripts/package.mjs';
import { tempCopy } from '../launch/codeServer.mjs';
import { ensureInstalled } from '../launch/install.mjs';
import { Workbench } from './workbench.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const RESULTS = path.join(ROOT, 'test-results');
const SHOTS = path.join(RESULTS, 'e2e');

/**
 * Register the suite's hooks (call it inside `describe`). The returned session's `wb` and `workspace`
 * are set once the suite's first `before` hook has run. `restricted`: the workspace opens in Restricted Mode.
 * @returns {{ wb: Workbench | undefined, workspace: string | undefined, failed: boolean, indexed: () => Promise<void> }}
 */
export function useFixtureWorkbench(name, { restricted = false } = {}) {
  const session = {
    wb: undefined,
    workspace: undefined,
    failed: false,
    /** Open the AI Trackdown container and wait until the index has found the fixture (EP-0001 in the Hierarchy tree). */
    async indexed() {
      await session.wb.openContainer('AI Trackdown');
      await session.wb.waitForRows(session.wb.pane('Hierarchy'), 'EP-0001 in the Hierarchy tree', (rs) => rs.some((r) => r.label.includes('EP-0001')));
    },
  };

  before(async function () {
    this.timeout(10 * 60 * 1000); // packaging, and a first install of code-server if the cache is empty
    const vsix = packageVsix(path.join(RESULTS, `ai-trackdown-${name}.vsix`));
    const bin = await ensureInstalled();
    session.workspace = tempCopy(path.join(ROOT, 'test', 'fixtures', 'workspace'), `aitd-e2e-${name}-`);
    session.wb = await Workbench.open({ bin, workspace: session.workspace, vsix, artifacts: SHOTS, restricted });
  });

  afterEach(async function () {
    if (this.currentTest?.state !== 'failed') return;
    session.failed = true;
    if (session.wb?.page) console.error(`[e2e] screenshot ${await session.wb.screenshot(`FAILED-${name}-${this.currentTest.title}`)}`);
  });

  after(async function () {
    this.timeout(30000);
    await session.wb?.close(session.failed);
    if (session.failed) console.error(`[e2e] workspace copy kept in ${session.workspace}`);
    else if (session.workspace) fs.rmSync(session.workspace, { recursive: true, force: true });
  });

  return session;
}
