import { resolveConfig, type ConfigResult } from '../config/index.js';
import type { ParsedArgs } from './args.js';

export const CONFIG_OPTION = {
  type: 'string',
  doc: 'Path of the JSON config file (default ./.env.json)',
} as const;

/** Loads config for a command: .env.json by NODE_ENV < environment < flags. */
export function configForCommand(args: ParsedArgs, env: NodeJS.ProcessEnv): ConfigResult {
  const file = args.options.config;
  return resolveConfig({
    env,
    flags: args.configFlags,
    configFile: typeof file === 'string' ? file : undefined,
  });
}

/** Prints every problem at once, naming the keys (never their values). */
export function reportProblems(problems: readonly string[]): void {
  process.stderr.write(`ig-proxy: configuration problems:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
}
