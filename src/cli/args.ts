import { KEY_NAMES, SECRET_KEYS } from '../config/schema.js';

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly doc: string;
}

export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
}

export interface ParsedArgs {
  options: Record<string, string | boolean>;
  /** Config keys given as flags: `--upstream-timeout-ms 5000` → { UPSTREAM_TIMEOUT_MS: '5000' }. */
  configFlags: Record<string, string>;
  positionals: string[];
}

export function flagToKey(flag: string): string {
  return flag.toUpperCase().replace(/-/g, '_');
}

function isConfigKey(key: string): boolean {
  return KEY_NAMES.has(key) || (key.endsWith('_FILE') && SECRET_KEYS.has(key.slice(0, -5)));
}

/** `--name value`, `--name=value`, boolean `--flag`; unknown names that are config keys become config flags. */
export function parseArgs(argv: readonly string[], spec: CommandSpec): ParsedArgs {
  const out: ParsedArgs = { options: {}, configFlags: {}, positionals: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--') || arg === '--') {
      out.positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq === -1 ? undefined : eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    const option = spec.options[name];
    if (option?.type === 'boolean') {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      out.options[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${name} needs a value`);
    if (option) out.options[name] = value;
    else if (isConfigKey(flagToKey(name))) out.configFlags[flagToKey(name)] = value;
    else throw new UsageError(`unknown option --${name} (see ig-proxy ${spec.name} --help)`);
  }
  return out;
}

export function helpText(spec: CommandSpec): string {
  const rows = Object.entries(spec.options).map(
    ([name, o]) => `  --${name}${o.type === 'string' ? ' <value>' : ''}`.padEnd(30) + o.doc,
  );
  return `${spec.summary}\n\nUsage: ${spec.usage}\n\nOptions:\n${rows.join('\n')}\n  --help                      Show this help\n\nAny configuration key may also be given as a flag, e.g. --port 3000 or --upstream-timeout-ms 5000.\n`;
}

/** `90`, `90s`, `15m`, `1h`, `2d` → seconds. */
export function parseDurationSec(text: string): number {
  const m = /^(\d+)\s*(s|m|h|d)?$/.exec(text.trim());
  if (!m) throw new UsageError(`not a duration: ${JSON.stringify(text)} (use 90, 90s, 15m, 1h, 2d)`);
  const unit = { s: 1, m: 60, h: 3600, d: 86400 }[(m[2] ?? 's') as 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}
