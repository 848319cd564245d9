import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../generators/kafka-consumer/src/cli.js';

/**
 * `pnpm plop <generator> [-- flags]`. Our own entry instead of plop's CLI: flags are parsed with
 * util.parseArgs before any prompt (plop's bypass breaks on conditional prompts, plop#95, and waits
 * on stdin in CI), and --dry-run / --yes / the install step exist.
 */
const root = dirname(dirname(fileURLToPath(import.meta.url)));
process.exitCode = await runCli(process.argv.slice(2), root);
