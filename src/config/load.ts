import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { KEY_NAMES, SECRET_KEYS } from './schema.js';

/** Raw string values by key name, after layering file < environment < flags. */
export type RawConfig = Record<string, string>;

export interface LoadInput {
  /** Environment variables (process.env in main.ts; a plain object in tests). */
  env: Readonly<Record<string, string | undefined>>;
  /** Flags already split into `{KEY: value}` by the CLI (`--upstream-timeout-ms 5` → UPSTREAM_TIMEOUT_MS). */
  flags?: Readonly<Record<string, string>>;
  /** Where to look for `.env.json` (default: `<cwd>/.env.json`). `false` skips the file. */
  configFile?: string | false;
  cwd?: string;
}

export interface LoadResult {
  raw: RawConfig;
  nodeEnv: string;
  problems: string[];
  warnings: string[];
}

function stringify(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join(',');
  if (value !== null && typeof value === 'object') return JSON.stringify(value);
  return undefined;
}

function isKnown(name: string): boolean {
  return KEY_NAMES.has(name) || (name.endsWith('_FILE') && SECRET_KEYS.has(name.slice(0, -5)));
}

function readEnvFile(path: string, nodeEnv: string, explicit: boolean, out: LoadResult): RawConfig {
  const layer: RawConfig = {};
  if (!existsSync(path)) {
    if (explicit) out.problems.push(`config file ${path}: not found`);
    return layer;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    out.problems.push(`config file ${path}: not valid JSON`);
    return layer;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    out.problems.push(`config file ${path}: must be an object keyed by NODE_ENV`);
    return layer;
  }
  const section = (parsed as Record<string, unknown>)[nodeEnv];
  if (section === undefined) {
    out.warnings.push(`config file ${path}: no section for NODE_ENV=${nodeEnv}`);
    return layer;
  }
  if (section === null || typeof section !== 'object' || Array.isArray(section)) {
    out.problems.push(`config file ${path}: section "${nodeEnv}" must be an object`);
    return layer;
  }
  for (const [name, value] of Object.entries(section as Record<string, unknown>)) {
    if (!isKnown(name)) {
      out.warnings.push(`config file ${path}: unknown key ${name} ignored`);
      continue;
    }
    const text = stringify(value);
    if (text === undefined) out.problems.push(`${name}: unsupported value in ${path}`);
    else layer[name] = text;
  }
  return layer;
}

function readSecretFiles(raw: RawConfig, cwd: string, out: LoadResult): void {
  for (const name of SECRET_KEYS) {
    const fileKey = `${name}_FILE`;
    const path = raw[fileKey];
    if (path === undefined) continue;
    delete raw[fileKey];
    if (raw[name] !== undefined) {
      out.problems.push(`${name}: given both directly and as ${fileKey}; give it in one place`);
      continue;
    }
    try {
      raw[name] = readFileSync(resolve(cwd, path), 'utf8').replace(/\r?\n$/, '');
    } catch {
      out.problems.push(`${fileKey}: cannot read the file it names`);
    }
  }
}

/** Reads `.env.json` (seed format), then the environment, then flags; later wins. Pure apart from file reads. */
export function loadRawConfig(input: LoadInput): LoadResult {
  const cwd = input.cwd ?? process.cwd();
  const nodeEnv = input.env.NODE_ENV || 'development';
  const out: LoadResult = { raw: {}, nodeEnv, problems: [], warnings: [] };
  const explicit = typeof input.configFile === 'string';
  const fileLayer =
    input.configFile === false
      ? {}
      : readEnvFile(resolve(cwd, input.configFile || '.env.json'), nodeEnv, explicit, out);
  const envLayer: RawConfig = {};
  for (const [name, value] of Object.entries(input.env)) {
    if (value !== undefined && value !== '' && isKnown(name)) envLayer[name] = value;
  }
  Object.assign(out.raw, fileLayer, envLayer, input.flags ?? {});
  readSecretFiles(out.raw, cwd, out);
  return out;
}
