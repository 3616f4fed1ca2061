import * as assert from 'assert/strict';
import { parseConfig } from '../../src/core/config';
import { LINEAR_API_URL } from '../../src/core/sync/linearGraphql';
import { describeTarget, GITHUB_API_URL, syncTarget, targetKey } from '../../src/core/sync/target';

const project = (yaml: string) => ({ root: '/p', config: parseConfig(`name: p\n${yaml}`, 'p').config, configErrors: [], hasConfig: true });

describe('sync targets (where config.yaml sends the tasks)', () => {
  it('GitHub: the repository at github.com, or at the api_url the config names', () => {
    assert.deepEqual(syncTarget(project('sync: {github: {repo: acme/shop}}'), 'github'), { provider: 'github', url: GITHUB_API_URL, place: 'acme/shop' });
    const ghe = syncTarget(project('sync: {github: {repo: acme/shop, api_url: " https://ghe.evil.test/api/v3 "}}'), 'github');
    assert.deepEqual(ghe, { provider: 'github', url: 'https://ghe.evil.test/api/v3', place: 'acme/shop' });
    assert.equal(describeTarget(ghe), 'GitHub repository acme/shop at https://ghe.evil.test/api/v3');
  });

  it('Jira: site, project and the account; Linear: the team at the API', () => {
    const jira = syncTarget(project('sync: {jira: {site: "https://acme.atlassian.net", project: AUTH, email: me@acme.test}}'), 'jira');
    assert.deepEqual(jira, { provider: 'jira', url: 'https://acme.atlassian.net', place: 'AUTH', account: 'me@acme.test' });
    assert.equal(describeTarget(jira), 'Jira project AUTH at https://acme.atlassian.net as me@acme.test');
    const linear = syncTarget(project('sync: {linear: {team: ENG}}'), 'linear');
    assert.deepEqual(linear, { provider: 'linear', url: LINEAR_API_URL, place: 'ENG' });
    assert.equal(describeTarget(linear), `Linear team ENG at ${LINEAR_API_URL}`);
  });

  it('a missing or malformed setting is an error naming it', () => {
    assert.throws(() => syncTarget(project('sync: {github: {api_url: "https://x.test"}}'), 'github'), /sync\.github\.repo is not set/);
    assert.throws(() => syncTarget(project('sync: {github: {repo: "a b"}}'), 'github'), /"a b" is not owner\/name/);
    assert.throws(() => syncTarget(project('sync: {jira: {site: "https://a.atlassian.net", project: A}}'), 'jira'), /sync\.jira\.email is not set/);
    assert.throws(() => syncTarget(project('name: p'), 'linear'), /not configured/);
  });

  it('the key changes with every part of the target, and only with it', () => {
    const key = (yaml: string, p: 'github' | 'jira' | 'linear') => targetKey(syncTarget(project(yaml), p));
    const base = key('sync: {github: {repo: acme/shop}}', 'github');
    assert.equal(key('sync: {github: {repo: acme/shop, users: {a: b}, push: [task]}}', 'github'), base);
    assert.equal(key(`sync: {github: {repo: acme/shop, api_url: "${GITHUB_API_URL}"}}`, 'github'), base);
    const others = [
      key('sync: {github: {repo: acme/shop2}}', 'github'),
      key('sync: {github: {repo: acme/shop, api_url: "https://ghe.test/api/v3"}}', 'github'),
      key('sync: {jira: {site: "https://a.atlassian.net", project: A, email: x@y.z}}', 'jira'),
      key('sync: {jira: {site: "https://a.atlassian.net", project: A, email: other@y.z}}', 'jira'),
      key('sync: {jira: {site: "https://a.atlassian.net", project: B, email: x@y.z}}', 'jira'),
      key('sync: {linear: {team: A}}', 'linear'),
      key('sync: {linear: {team: A, api_url: "http://127.0.0.1:9/graphql"}}', 'linear'),
    ];
    assert.equal(new Set([base, ...others]).size, others.length + 1);
  });
});
