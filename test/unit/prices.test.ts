import * as assert from 'assert/strict';
import { parseConfig } from '../../src/core/config';
import { configPrices, costOf, DEFAULT_PRICES, entryCost, priceOf, withOverrides } from '../../src/core/prices';

describe('prices', () => {
  it('ship a dated table with input, cached input and output prices for Claude, GPT and Gemini models', () => {
    assert.match(DEFAULT_PRICES.asOf, /^\d{4}-\d{2}-\d{2}$/);
    for (const family of ['claude-', 'gpt-', 'gemini-']) assert.ok(Object.keys(DEFAULT_PRICES.models).some((m) => m.startsWith(family)), family);
    for (const [m, p] of Object.entries(DEFAULT_PRICES.models)) {
      assert.ok(p.input >= 0 && p.output >= p.input, `${m}: output costs at least what input does`);
      assert.ok(p.cachedInput === undefined || p.cachedInput <= p.input, `${m}: cached input costs no more than input`);
    }
  });

  it('find a model by its name or the longest known prefix, in any case; not by a mere substring', () => {
    const table = { asOf: '2026-01-01', models: { 'claude-sonnet-4': { input: 3, output: 15 }, 'claude-sonnet-4-5': { input: 3, output: 15, cachedInput: 0.3 } } };
    assert.equal(priceOf(table, 'claude-sonnet-4-5-20250929')!.model, 'claude-sonnet-4-5');
    assert.equal(priceOf(table, 'Claude-Sonnet-4')!.model, 'claude-sonnet-4');
    assert.equal(priceOf(table, 'claude-sonnet-40'), undefined);
    assert.equal(priceOf(table, 'my-claude-sonnet-4'), undefined);
    assert.equal(priceOf(table, undefined), undefined);
  });

  it('cost an entry: cached input at its own price, the rest at the input price', () => {
    const price = { input: 3, output: 15, cachedInput: 0.3 };
    assert.equal(entryCost({ input: 1_000_000, output: 0, cachedInput: 0 }, price), 3);
    assert.equal(entryCost({ input: 1_000_000, output: 1_000_000, cachedInput: 500_000 }, price), 1.5 + 0.15 + 15);
    assert.equal(entryCost({ input: 1_000_000, output: 0, cachedInput: 1_000_000 }, { input: 2, output: 8 }), 2, 'no cached price: the input price');
  });

  it('sum costs by model and say what could not be priced', () => {
    const c = costOf(
      [
        { input: 15212, output: 350, cachedInput: 11000, model: 'claude-sonnet-4-5-20250929' },
        { input: 900, output: 640, cachedInput: 0, model: 'gpt-5' },
        { input: 100, output: 10, cachedInput: 0, model: 'llama-local' },
        { input: 5, output: 5, cachedInput: 0 },
      ],
      DEFAULT_PRICES,
    );
    const sonnet = ((15212 - 11000) * 3 + 11000 * 0.3 + 350 * 15) / 1e6;
    const gpt = (900 * 1.25 + 640 * 10) / 1e6;
    assert.ok(Math.abs(c.byModel['claude-sonnet-4-5'] - sonnet) < 1e-12);
    assert.ok(Math.abs(c.byModel['gpt-5'] - gpt) < 1e-12);
    assert.ok(Math.abs(c.total - sonnet - gpt) < 1e-12);
    assert.equal(c.unpricedTokens, 120);
    assert.deepEqual(c.unpricedModels, ['llama-local']);
  });

  it('take overrides from config.yaml (per 1k there) and from settings, later ones winning, junk ignored', () => {
    const config = parseConfig(
      'version: 1\nai:\n  token_tracking:\n    providers:\n      claude: {model: claude-sonnet-4-5, cost_per_1k_input: 0.002, cost_per_1k_output: 0.01}\n      broken: {model: x, cost_per_1k_input: cheap}\n',
      'p',
    ).config;
    const fromConfig = configPrices(config);
    assert.deepEqual(fromConfig, { 'claude-sonnet-4-5': { input: 2, output: 10 } });
    const table = withOverrides(DEFAULT_PRICES, fromConfig, { 'Claude-Sonnet-4-5': { input: 2.5, output: 12, cachedInput: 0.25 }, 'gpt-5': { input: -1, output: 1 }, local: 'free' });
    assert.deepEqual(table.models['claude-sonnet-4-5'], { input: 2.5, output: 12, cachedInput: 0.25 });
    assert.deepEqual(table.models['gpt-5'], DEFAULT_PRICES.models['gpt-5']);
    assert.equal(table.models.local, undefined);
    assert.equal(DEFAULT_PRICES.models['claude-sonnet-4-5'].input, 3, 'the shipped table itself is untouched');
  });
});
