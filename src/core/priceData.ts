/**
 * The price table shipped with the extension: list prices in USD per 1M tokens, as published by
 * Anthropic, OpenAI and Google on the day named. Prices change: override them in settings
 * (`aiTrackdown.prices`) or in config.yaml.
 */
export const SHIPPED_PRICES = {
  asOf: '2026-03-21',
  models: {
    'claude-opus-4-6': { input: 5, cachedInput: 0.5, output: 25 },
    'claude-sonnet-4-6': { input: 3, cachedInput: 0.3, output: 15 },
    'claude-opus-4-5': { input: 5, cachedInput: 0.5, output: 25 },
    'claude-sonnet-4-5': { input: 3, cachedInput: 0.3, output: 15 },
    'claude-haiku-4-5': { input: 1, cachedInput: 0.1, output: 5 },
    'claude-opus-4-1': { input: 15, cachedInput: 1.5, output: 75 },
    'claude-opus-4': { input: 15, cachedInput: 1.5, output: 75 },
    'claude-sonnet-4': { input: 3, cachedInput: 0.3, output: 15 },
    'gpt-5.2': { input: 1.75, cachedInput: 0.175, output: 14 },
    'gpt-5': { input: 1.25, cachedInput: 0.125, output: 10 },
    'gpt-5-mini': { input: 0.25, cachedInput: 0.025, output: 2 },
    'gpt-5-nano': { input: 0.05, cachedInput: 0.005, output: 0.4 },
    'gpt-4.1': { input: 2, cachedInput: 0.5, output: 8 },
    'gpt-4o': { input: 2.5, cachedInput: 1.25, output: 10 },
    'gemini-2.5-pro': { input: 1.25, cachedInput: 0.125, output: 10 },
    'gemini-2.5-flash': { input: 0.3, cachedInput: 0.03, output: 2.5 },
    'gemini-2.5-flash-lite': { input: 0.1, cachedInput: 0.01, output: 0.4 },
  },
};
