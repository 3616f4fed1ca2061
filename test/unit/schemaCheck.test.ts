/**
 * The quick acceptance test must never accept what zod rejects, and must accept the real files zod
 * accepts (else it saves nothing): a differential test over every real-shaped file, a generated corpus
 * and seeded mutations of their data with hostile values.
 */
import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import type { ZodType } from 'zod';
import { z } from 'zod';
import { writeCorpus } from '../../bench/corpus';
import { findFrontmatter } from '../../src/core/parse';
import { commentSchema, configSchema, epicSchema, issueSchema, legacySchema, prSchema, schemaFor, taskSchema } from '../../src/core/schema';
import { quickAccepts } from '../../src/core/schemaCheck';
import { CORPUS, markdownFiles, REPO, seededRandom } from './helpers';

const SCHEMAS: [string, ZodType][] = [
  ['epic', epicSchema],
  ['issue', issueSchema],
  ['task', taskSchema],
  ['pr', prSchema],
  ['comment', commentSchema],
  ['legacy', legacySchema],
  ['legacy with declared statuses', schemaFor('task', 'legacy', ['security-review', 'constructor'])],
];

function dataOf(file: string): Record<string, unknown> | undefined {
  const text = fs.readFileSync(file, 'utf8');
  const b = findFrontmatter(text);
  if (typeof b !== 'object') return undefined;
  try {
    const data = parseYaml(text.slice(b.start, b.end)) as unknown;
    return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Asserts the one direction that matters for correctness; returns both answers. */
function agree(schema: ZodType, value: unknown, where: string): { quick: boolean; zod: boolean } {
  const quick = quickAccepts(schema, value);
  const zod = schema.safeParse(value).success;
  if (quick) assert.ok(zod, `${where}: the quick test accepted what zod rejects:\n${JSON.stringify(value)}`);
  return { quick, zod };
}

const HOSTILE: (() => unknown)[] = [
  () => undefined,
  () => null,
  () => '',
  () => 'x',
  () => ' ',
  () => '2026-01-01',
  () => '2026-02-30',
  () => '2026-11-22T03:08:57.490Z',
  () => '123',
  () => '12a',
  () => -1,
  () => 0,
  () => 1.5,
  () => 100,
  () => 101,
  () => 2 ** 60,
  () => NaN,
  () => Infinity,
  () => true,
  () => false,
  () => [],
  () => ['a'],
  () => [''],
  () => [1],
  () => [null],
  // eslint-disable-next-line no-sparse-arrays
  () => ['a', , 'b'],
  () => ({}),
  () => ({ a: 1 }),
  () => ({ total: 5, by_agent: { a: 1 } }),
  () => ({ total: -1 }),
  () => ({ by_agent: { a: 'x' } }),
  () => ({ transitioned_at: 'nope' }),
  () => ({ automation_eligible: 'yes' }),
  () => Object.assign(Object.create(null), { a: 1 }),
  () => new Date(0),
  () => new Date(NaN),
  () => 'active',
  () => 'done',
  () => 'high',
  () => 'epic',
  () => 'todo',
];

describe('schemaCheck', () => {
  const files = [
    ...markdownFiles(CORPUS),
    ...markdownFiles(path.join(REPO, 'test', 'fixtures', 'workspace')),
    ...markdownFiles(path.join(REPO, 'demo')),
  ];
  const generated = fs.mkdtempSync(path.join(os.tmpdir(), 'aitd-check-'));
  after(() => fs.rmSync(generated, { recursive: true, force: true }));

  it('agrees with zod on every fixture, demo and generated file, and accepts every one zod accepts', () => {
    writeCorpus(generated, 600, 11);
    const datas = [...files, ...markdownFiles(path.join(generated, 'tasks'))].map(dataOf).filter((d) => !!d);
    let accepted = 0;
    for (const [name, schema] of SCHEMAS) {
      for (const d of datas) {
        const { quick, zod } = agree(schema, d, name);
        if (zod) assert.ok(quick, `${name}: zod accepts a real file the quick test does not:\n${JSON.stringify(d)}`);
        if (quick) accepted++;
      }
    }
    assert.ok(accepted > 500, `enough real files pass to mean something (${accepted})`);
  });

  it('agrees with zod on thousands of seeded mutations with hostile values', () => {
    const r = seededRandom(Number(process.env.SCHEMA_CHECK_SEED ?? 20261201));
    const datas = files.map(dataOf).filter((d) => !!d);
    // Each schema mutates the files it accepts, so that one hostile value decides the answer.
    const seeds = new Map(SCHEMAS.map(([, schema]) => [schema, datas.filter((d) => schema.safeParse(d).success)]));
    const keysOf = (schema: ZodType) => Object.keys((schema as unknown as { shape: Record<string, unknown> }).shape);
    let quick = 0;
    for (let n = 0; n < 6000; n++) {
      const [name, schema] = r.pick(SCHEMAS);
      const data: Record<string, unknown> = { ...r.pick(seeds.get(schema)!) };
      const keys = [...keysOf(schema), 'token_usage', 'sync', 'state_metadata', 'extra'];
      for (let m = 0, k = 1 + r.int(3); m < k; m++) {
        const key = r.pick(keys);
        if (r.chance(0.15)) delete data[key];
        else if (r.chance(0.2) && data[key] && typeof data[key] === 'object' && !Array.isArray(data[key])) {
          // One level down: a nested map (state_metadata, token_usage) with one hostile field.
          data[key] = { ...(data[key] as object), [r.pick(['total', 'transitioned_at', 'by_agent', 'reviewer', 'x'])]: r.pick(HOSTILE)() };
        } else data[key] = r.pick(HOSTILE)();
      }
      if (agree(schema, data, `mutation ${n} (${name})`).quick) quick++;
    }
    assert.ok(quick > 1000, `enough mutations passed the quick test to mean something (${quick})`);
  });

  it('agrees with zod on values that are not mappings, and on the config schema', () => {
    for (const v of HOSTILE) for (const [name, schema] of [...SCHEMAS, ['config', configSchema] as const]) agree(schema, v(), name);
    assert.ok(quickAccepts(configSchema, { name: 'p', sync: { github: true, jira: null } }));
  });

  it('leaves to zod the parts of a schema it does not know', () => {
    const cases: [ZodType, unknown][] = [
      [z.object({ a: z.string() }), { a: 'x' }],
      [z.strictObject({ a: z.string() }), { a: 'x' }],
      [z.string().email(), 'a@b.co'],
      [z.string().transform((s) => s.length), 'x'],
      [z.looseObject({ a: z.string().default('d') }), {}],
      [z.record(z.enum(['a']), z.number()), { a: 1 }],
    ];
    for (const [schema, value] of cases) {
      assert.equal(schema.safeParse(value).success, true);
      assert.equal(quickAccepts(schema, value), false);
    }
  });
});
