/**
 * What tokens cost: a dated price table per model (USD per 1M input, cached input and output tokens)
 * shipped as data (priceData.ts), overridden by the project's config.yaml (the older document's
 * `ai.token_tracking.providers.<name>: {model, cost_per_1k_input, cost_per_1k_output}`) and by the
 * user's settings; costs of usage entries from it. Model names as agents log them
 * (`claude-sonnet-4-5-20250929`) find their table entry by the longest known prefix.
 */
import type { ProjectConfig } from './config';
import { SHIPPED_PRICES as shipped } from './priceData';
import type { UsageEntry } from './tokens';

export interface ModelPrice {
  input: number;
  output: number;
  /** For input read from a prompt cache; the input price where the table names none. */
  cachedInput?: number;
}

export interface PriceTable {
  /** The day the prices were taken from the providers' lists. */
  asOf: string;
  models: Record<string, ModelPrice>;
}

const isPrice = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n) && n >= 0;

function cleanPrice(v: unknown): ModelPrice | undefined {
  const r = v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  if (!r || !isPrice(r.input) || !isPrice(r.output)) return undefined;
  return isPrice(r.cachedInput) ? { input: r.input, output: r.output, cachedInput: r.cachedInput } : { input: r.input, output: r.output };
}

/** The table shipped with the extension. */
export const DEFAULT_PRICES: PriceTable = {
  asOf: shipped.asOf,
  models: Object.fromEntries(Object.entries(shipped.models).flatMap(([m, p]) => (cleanPrice(p) ? [[m.toLowerCase(), cleanPrice(p)!]] : []))),
};

/** Prices a project's config.yaml gives (per 1k tokens there, as the older document writes them). */
export function configPrices(config: ProjectConfig): Record<string, ModelPrice> {
  const providers = ((config.raw.ai as Record<string, unknown> | null | undefined)?.token_tracking as Record<string, unknown> | undefined)?.providers;
  const out: Record<string, ModelPrice> = {};
  if (!providers || typeof providers !== 'object') return out;
  for (const p of Object.values(providers as Record<string, unknown>)) {
    const r = p && typeof p === 'object' ? (p as Record<string, unknown>) : undefined;
    const model = typeof r?.model === 'string' ? r.model.trim().toLowerCase() : '';
    if (model && isPrice(r!.cost_per_1k_input) && isPrice(r!.cost_per_1k_output)) {
      out[model] = { input: r!.cost_per_1k_input * 1000, output: r!.cost_per_1k_output * 1000 };
    }
  }
  return out;
}

/** The table with overrides on top (later ones win); entries that are not prices are ignored. */
export function withOverrides(base: PriceTable, ...overrides: (Record<string, unknown> | undefined)[]): PriceTable {
  const models = { ...base.models };
  for (const o of overrides) for (const [m, p] of Object.entries(o ?? {})) {
    const price = cleanPrice(p);
    if (price) models[m.trim().toLowerCase()] = price;
  }
  return { asOf: base.asOf, models };
}

/** The price of a model: its own entry, else the longest entry its name starts with (`…-4-5-20250929`). */
export function priceOf(table: PriceTable, model: string | undefined): { model: string; price: ModelPrice } | undefined {
  if (!model) return undefined;
  const name = model.trim().toLowerCase();
  if (table.models[name]) return { model: name, price: table.models[name] };
  let best: string | undefined;
  for (const m of Object.keys(table.models)) if (name.startsWith(m) && /^[-@_.:]/.test(name.slice(m.length)) && (!best || m.length > best.length)) best = m;
  return best ? { model: best, price: table.models[best] } : undefined;
}

/** The cost of one entry in USD: cached input at the cached price, the rest of the input and the output at theirs. */
export function entryCost(e: Pick<UsageEntry, 'input' | 'output' | 'cachedInput'>, price: ModelPrice): number {
  const cached = Math.min(e.cachedInput, e.input);
  return ((e.input - cached) * price.input + cached * (price.cachedInput ?? price.input) + e.output * price.output) / 1e6;
}

export interface Costs {
  total: number;
  /** By the table's model name. */
  byModel: Record<string, number>;
  /** Tokens of entries with no model, or a model the table does not know: not in the total. */
  unpricedTokens: number;
  unpricedModels: string[];
}

export function costOf(entries: readonly UsageEntry[], table: PriceTable): Costs {
  const out: Costs = { total: 0, byModel: {}, unpricedTokens: 0, unpricedModels: [] };
  for (const e of entries) {
    const hit = priceOf(table, e.model);
    if (!hit) {
      out.unpricedTokens += e.input + e.output;
      if (e.model && !out.unpricedModels.includes(e.model)) out.unpricedModels.push(e.model);
      continue;
    }
    const c = entryCost(e, hit.price);
    out.total += c;
    out.byModel[hit.model] = (out.byModel[hit.model] ?? 0) + c;
  }
  return out;
}
