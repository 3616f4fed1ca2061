/** The prices the CLI's costs use: the shipped table under config.yaml's (the editor adds the user's settings on top). */
import type { Project } from '../core/index';
import { configPrices, DEFAULT_PRICES, type PriceTable, withOverrides } from '../core/prices';

export function projectPrices(project: Project): PriceTable {
  return withOverrides(DEFAULT_PRICES, configPrices(project.config));
}
