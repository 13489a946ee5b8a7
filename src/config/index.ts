import { loadRawConfig, type LoadInput } from './load.js';
import { validateConfig } from './validate.js';
import type { Config } from './types.js';

export type { Config } from './types.js';

export interface ConfigResult {
  config?: Config;
  problems: string[];
  warnings: string[];
}

/** Load and validate in one step; every problem from either stage is reported together. */
export function resolveConfig(input: LoadInput): ConfigResult {
  const loaded = loadRawConfig(input);
  const validated = validateConfig(loaded.raw, loaded.nodeEnv);
  const problems = [...loaded.problems, ...validated.problems];
  return problems.length > 0 || !validated.config
    ? { problems, warnings: loaded.warnings }
    : { config: validated.config, problems, warnings: loaded.warnings };
}

/** Config for tests and embedding: overrides as raw strings, no file, no environment. */
export function configFrom(values: Record<string, string>, nodeEnv = 'development'): Config {
  const { config, problems } = validateConfig(values, nodeEnv);
  if (!config) throw new Error(`invalid config: ${problems.join('; ')}`);
  return config;
}
