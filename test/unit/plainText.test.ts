import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { plain } from '../../src/host/plainText';
import { REPO } from './helpers';
import { renderedLinks } from './support/linkedText';

describe('plain (repository text in notifications)', () => {
  const hostile = [
    '[click](command:workbench.action.quit)',
    '[Open settings](command:workbench.action.openSettings?%5B%22security%22%5D "Settings")',
    '[docs](https://example.test/x) and [file](file:///etc/passwd)',
    'nested [[a](command:x)](command:y)',
    'TSK-0001 [x](command:a) [y](https://b)',
  ];

  it('leaves no link VS Code would render', () => {
    for (const text of hostile) {
      assert.notDeepEqual(renderedLinks(text), [], `the sample renders a link: ${text}`);
      assert.deepEqual(renderedLinks(plain(text)), [], text);
      // Repository text followed by the message's own text cannot complete a link either.
      assert.deepEqual(renderedLinks(`${plain('Title [x]')}(command:y)`), []);
    }
  });

  it('reads the same: only invisible word joiners are added, after each ]', () => {
    for (const text of hostile) {
      const out = plain(text);
      assert.equal(out.replace(/\u2060/g, ''), text);
      assert.equal([...out.matchAll(/\u2060/g)].length, [...text.matchAll(/\]/g)].length);
    }
  });

  it('changes text without ] not at all, and is idempotent', () => {
    for (const text of ['Fix *bold* _it_ `code` <b> \\ (x) $(alert)', '', 'ISS-0001 "Login form"']) assert.equal(plain(text), text);
    for (const text of hostile) assert.equal(plain(plain(text)), plain(text));
  });
});

describe('notifications in src/host', () => {
  it('all go through notify.ts, which makes repository text plain', () => {
    const host = path.join(REPO, 'src', 'host');
    const direct: string[] = [];
    const walk = (dir: string) => {
      for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, d.name);
        if (d.isDirectory()) walk(p);
        else if (p.endsWith('.ts') && d.name !== 'notify.ts') {
          fs.readFileSync(p, 'utf8').split('\n').forEach((line, i) => {
            if (/\bshow(Information|Warning|Error)Message\b/.test(line)) direct.push(`${path.relative(REPO, p)}:${i + 1}`);
          });
        }
      }
    };
    walk(host);
    assert.deepEqual(direct, []);
  });
});
