import * as assert from 'assert/strict';
import { parseConfig } from '../../src/core/config';
import { setSyncConfig } from '../../src/core/sync/configEdit';
import { pushTypes, syncSection } from '../../src/core/sync/config';
import { credentialHost, secretKey } from '../../src/core/sync/hosts';
import { readCorpus } from './helpers';

describe('sync settings in config.yaml', () => {
  it('adds a provider section and leaves every other line as it was', () => {
    const text = readCorpus('cli', '.ai-trackdown', 'config.yaml');
    const out = setSyncConfig(text, 'github', { repo: 'acme/shop', users: { alice: 'alice-gh' } });
    assert.ok(out.startsWith(text.trimEnd()), out);
    assert.equal(out.slice(text.trimEnd().length), '\nsync:\n  github:\n    repo: acme/shop\n    users:\n      alice: alice-gh\n');
    const { config, errors } = parseConfig(out, 'p');
    assert.deepEqual(errors, []);
    const project = { root: '/p', config, configErrors: [], hasConfig: true };
    assert.equal(syncSection(project, 'github')?.repo, 'acme/shop');
    assert.deepEqual(pushTypes(project, 'github'), ['issue']);
  });

  it('changes one key of an existing section, keeping comments and the other providers', () => {
    const text = 'name: x # the name\nsync:\n  # Jira first\n  jira: {site: "https://acme.atlassian.net", project: AUTH}\n  github:\n    repo: a/b\n    push: [issue, task]\n';
    const out = setSyncConfig(text, 'github', { repo: 'c/d', api_url: 'https://ghe.acme.com/api/v3' });
    assert.equal(out, 'name: x # the name\nsync:\n  # Jira first\n  jira: {site: "https://acme.atlassian.net", project: AUTH}\n  github:\n    repo: c/d\n    push: [issue, task]\n    api_url: https://ghe.acme.com/api/v3\n');
    const project = { root: '/p', config: parseConfig(out, 'p').config, configErrors: [], hasConfig: true };
    assert.deepEqual(pushTypes(project, 'github'), ['issue', 'task']);
  });

  it('refuses a config with YAML errors, naming the problem', () => {
    assert.throws(() => setSyncConfig('name: [x\n', 'github', { repo: 'a/b' }), /YAML errors/);
  });

  it('older shapes stay readable: `github: true` and a disabled section', () => {
    const on = parseConfig('sync:\n  github: true\n  linear: {team: ENG, enabled: false}\n', 'p');
    assert.deepEqual(on.errors, []);
    const project = { root: '/p', config: on.config, configErrors: [], hasConfig: true };
    assert.equal(syncSection(project, 'github'), undefined);
    assert.equal(syncSection(project, 'linear'), undefined);
  });
});

describe('sync credentials are bound to their host', () => {
  it('keys name the origin (and the account), so another host never finds the secret', () => {
    assert.equal(secretKey('github', 'https://ghe.acme.com/api/v3'), 'aiTrackdown.sync.github:https://ghe.acme.com');
    assert.notEqual(secretKey('github', 'https://ghe.acme.com/api/v3'), secretKey('github', 'https://ghe.acme.com:8443/api/v3'));
    assert.equal(secretKey('jira', 'https://acme.atlassian.net', 'Me@Acme.com'), 'aiTrackdown.sync.jira:https://acme.atlassian.net:me@acme.com');
    assert.equal(credentialHost('http://127.0.0.1:4567/api'), 'http://127.0.0.1:4567');
    assert.throws(() => credentialHost('http://ghe.acme.com/api/v3'), /HTTPS only/);
    assert.throws(() => credentialHost('https://user:pw@ghe.acme.com'), /not in the URL/);
    assert.throws(() => credentialHost('not a url'), /not a URL/);
  });
});
