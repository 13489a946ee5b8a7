#!/usr/bin/env node
/** The only file that reads argv and the environment, and exits. */
import { UsageError, helpText, type CommandSpec } from './cli/args.js';
import * as demo from './cli/demo.js';
import * as mockInstagram from './cli/mock-instagram.js';
import * as serve from './cli/serve.js';
import * as sign from './cli/sign.js';
import * as token from './cli/token.js';
import { VERSION } from './version.js';

interface Command {
  spec: CommandSpec;
  run(argv: string[], env: NodeJS.ProcessEnv): Promise<number>;
}

const COMMANDS: Record<string, Command> = {
  serve,
  'mock-instagram': mockInstagram,
  token,
  sign,
  demo,
};

function usage(): string {
  const rows = Object.values(COMMANDS).map((c) => `  ${c.spec.name.padEnd(16)}${c.spec.summary}`);
  return `ig-proxy ${VERSION}: a signing proxy for the Instagram and Meta Graph APIs\n\nUsage: ig-proxy <command> [options]\n\nCommands:\n${rows.join('\n')}\n\nRun ig-proxy <command> --help for its options.\n`;
}

async function main(argv: string[]): Promise<number> {
  const first = argv[0];
  if (first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(usage());
    return 0;
  }
  if (first === '--version' || first === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const named = first !== undefined && !first.startsWith('-');
  const command = named ? COMMANDS[first] : serve;
  if (!command) {
    process.stderr.write(
      `ig-proxy: unknown command ${JSON.stringify(String(first).slice(0, 40))}\n\n${usage()}`,
    );
    return 2;
  }
  const rest = named ? argv.slice(1) : argv;
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(helpText(command.spec));
    return 0;
  }
  try {
    return await command.run(rest, process.env);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`ig-proxy ${command.spec.name}: ${err.message}\n`);
      return 2;
    }
    const code = (err as { code?: string }).code;
    process.stderr.write(`ig-proxy ${command.spec.name}: failed${code ? ` (${code})` : ''}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 1;
  },
);
