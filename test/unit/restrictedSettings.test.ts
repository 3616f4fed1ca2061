/**
 * Settings a repository's .vscode/settings.json must not be able to use to make the extension read or
 * send on its own: declared restricted in package.json, and read only through restrictedValue.
 */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { WorkspaceConfiguration } from 'vscode';
import { RESTRICTED_SETTINGS, restrictedValue } from '../../src/host/restrictedSettings';
import { REPO } from './helpers';

const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const declared = new Set(Object.keys(pkg.contributes.configuration.properties ?? {}));

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? sources(path.join(dir, d.name)) : d.name.endsWith('.ts') ? [path.join(dir, d.name)] : []));
}

describe('restricted settings', () => {
  it('package.json declares the timed sync interval and the usage log folder restricted, and only settings it has', () => {
    const restricted = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations as string[];
    assert.deepEqual([...restricted].sort(), [...RESTRICTED_SETTINGS].sort());
    assert.ok(restricted.includes('aiTrackdown.sync.intervalMinutes'));
    assert.ok(restricted.includes('aiTrackdown.usageImport.claudeCodeLogs'));
    for (const key of restricted) assert.ok(declared.has(key), `${key} is a declared setting`);
  });

  it('the extension reads them only through restrictedValue', () => {
    const direct: string[] = [];
    for (const file of sources(path.join(REPO, 'src'))) {
      fs.readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
        const names = RESTRICTED_SETTINGS.flatMap((k) => [k, k.replace(/^aiTrackdown\./, '')]);
        if (names.some((n) => line.includes(`'${n}'`)) && !/restrictedValue\(|affectsConfiguration\(|RESTRICTED_SETTINGS =/.test(line)) direct.push(`${path.relative(REPO, file)}:${i + 1}`);
      });
    }
    assert.deepEqual(direct, []);
  });

  it('a value set only in the workspace counts only where the caller lets it', () => {
    const config = (v: { globalValue?: number; workspaceValue?: number }) =>
      ({
        get: (_: string, fallback: number) => v.workspaceValue ?? v.globalValue ?? fallback,
        inspect: () => ({ key: 'k', ...v }),
      }) as unknown as WorkspaceConfiguration;
    const key = 'aiTrackdown.sync.intervalMinutes';
    assert.equal(restrictedValue(config({ workspaceValue: 1 }), key, 0, false), 0);
    assert.equal(restrictedValue(config({ workspaceValue: 1, globalValue: 30 }), key, 0, false), 30);
    assert.equal(restrictedValue(config({ workspaceValue: 1, globalValue: 30 }), key, 0, true), 1);
    assert.equal(restrictedValue(config({ globalValue: 30 }), key, 0, true), 30);
  });
});
