import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NodePlopAPI } from 'node-plop';
import { ActionReport, describeResult } from './actions/report.js';
import { inspectService } from './add.js';
import { type CliIo, defaultIo } from './cli-io.js';
import { helpText, type ParsedFlags, parseFlags } from './flags.js';
import {
  ADD_FIELDS,
  ADD_GENERATOR,
  SERVICE_FIELDS,
  SERVICE_GENERATOR,
  UPGRADE_GENERATOR,
} from './generators.js';
import { type PromptApi, promptForMissing } from './prompts.js';
import {
  type Answers,
  type FieldKey,
  MissingOptionError,
  OptionsError,
  type RawAnswers,
  resolveAnswers,
  validateGiven,
} from './schema.js';
import { summarise } from './summary.js';
import { assertFreshTarget, assertInWorkspace } from './target.js';
import { runUpgrade, UPGRADE_FIELDS } from './upgrade/run.js';

export { type CliIo, defaultIo };

/**
 * `pnpm plop <generator> [-- flags]`: flags first (util.parseArgs), prompts (plop's inquirer) only
 * for what is left and only on an interactive terminal, one schema validating both, then node-plop
 * runs the generator's actions. runCli chains the named steps below; each returns an exit code or
 * its result.
 */

const GENERATORS: Record<string, { fields: readonly FieldKey[]; summary: string }> = {
  [SERVICE_GENERATOR]: {
    fields: SERVICE_FIELDS,
    summary:
      'Emits a wired Kafka consumer service (default services/<name>), installs it and runs its tests.',
  },
  [ADD_GENERATOR]: {
    fields: ADD_FIELDS,
    summary:
      'Adds a Kafka consumer to an existing TypeScript service (--dir): dependency, src/kafka/* module, ' +
      'start/stop in its entry point. Never overwrites a file; a second run changes nothing.',
  },
  [UPGRADE_GENERATOR]: {
    fields: UPGRADE_FIELDS,
    summary:
      "Re-applies today's templates to a generated service (--dir) with a three-way merge: your edits stay, " +
      'untouched files take the new template, conflicts get markers (exit 1). --dry-run prints the diff, ' +
      '--check exits 1 when the service is behind; an answer flag (e.g. --ordering key) changes that answer.',
  },
};

function usage(): string {
  return [
    'Usage: pnpm plop <generator> [-- flags]',
    '',
    'Generators:',
    ...Object.entries(GENERATORS).map(([name, g]) => `  ${name.padEnd(24)} ${g.summary}`),
    '',
    'Example: pnpm plop kafka-consumer -- --name orders --topics orders.placed --commit per-batch',
    'Run `pnpm plop <generator> -- --help` for its flags.',
  ].join('\n');
}

/** Reads the package name of an existing service, kebab-cased, as the add generator's default name. */
function nameFromPackage(root: string, dir: string): string | undefined {
  const file = join(resolve(root, dir), 'package.json');
  if (!existsSync(file)) return undefined;
  try {
    const name = (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name;
    if (typeof name !== 'string') return undefined;
    const kebab = name
      .replace(/^@[^/]+\//, '')
      .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^[^a-z]+|-+$/g, '');
    return kebab || undefined;
  } catch {
    return undefined;
  }
}

/** node-plop (and the templates' imports) load only once input is valid or a prompt is needed. */
function plopLoader(root: string, dest: string) {
  let plop: NodePlopAPI | undefined;
  const load = async (): Promise<NodePlopAPI> => {
    if (!plop) {
      const { default: nodePlop } = await import('node-plop');
      plop = await nodePlop(join(root, 'plopfile.ts'), { destBasePath: dest, force: false });
    }
    return plop;
  };
  const inquirer: PromptApi = {
    prompt: async (questions) =>
      ((await load()) as unknown as { inquirer: PromptApi }).inquirer.prompt(questions),
  };
  return { load, inquirer };
}

/** Step 1: the generator named first, or picked from a list on a terminal; a number is an exit code. */
async function pickGenerator(args: string[], io: CliIo, plop: ReturnType<typeof plopLoader>) {
  const given = args[0] && !args[0].startsWith('-') ? args[0] : undefined;
  const rest = given ? args.slice(1) : args;
  if (given) {
    if (GENERATORS[given]) return { name: given, rest };
    io.err(`Unknown generator "${given}".\n\n${usage()}`);
    return 1;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(usage());
    return 0;
  }
  if (!io.interactive) {
    io.err(`No generator given.\n\n${usage()}`);
    return 1;
  }
  const choices = (await plop.load())
    .getGeneratorList()
    .map((g) => ({ name: `${g.name} - ${g.description}`, value: g.name }));
  const picked = await plop.inquirer.prompt([
    { type: 'list', name: 'generator', message: 'Which generator?', choices },
  ]);
  return { name: String(picked.generator), rest };
}

/** Step 2: flags, prompts for what is left, one validation; throws OptionsError / MissingOptionError. */
async function collectAnswers(
  name: string,
  flags: ParsedFlags,
  dest: string,
  io: CliIo,
  inquirer: PromptApi,
) {
  const fields = GENERATORS[name]?.fields ?? SERVICE_FIELDS;
  const interactive = io.interactive && !flags.yes;
  let raw: RawAnswers = { ...flags.values };
  validateGiven(raw);
  if (name === ADD_GENERATOR) {
    if (raw.dir === undefined && interactive) {
      const question = {
        type: 'input',
        name: 'dir',
        message: 'Existing service folder (relative to the workspace root)',
      };
      raw.dir = (await inquirer.prompt([question])).dir;
    }
    if (raw.dir === undefined) throw new MissingOptionError('dir');
    inspectService(resolve(dest, String(raw.dir)));
    raw.name ??= nameFromPackage(dest, String(raw.dir));
    if (raw.name === undefined) delete raw.name;
  }
  if (interactive) raw = await promptForMissing(inquirer, raw, fields);
  const answers = resolveAnswers(raw, { useDefaults: true });
  assertInWorkspace(dest, answers.dir);
  if (name === SERVICE_GENERATOR) assertFreshTarget(dest, answers.dir);
  return { answers, given: Object.keys(raw) };
}

/** Step 3: node-plop runs the generator's actions; failures are printed with what was done before. */
async function runActions(plop: NodePlopAPI, name: string, run: Record<string, unknown>, io: CliIo) {
  const report = new ActionReport();
  const generator = plop.getGenerator(name);
  let result: Awaited<ReturnType<typeof generator.runActions>>;
  try {
    result = await generator.runActions({ ...run, report }, {
      onComment: (line: string) => io.out(line),
    } as never);
  } catch (error) {
    io.err(`${(error as Error).message}\nNothing was written.`);
    return undefined;
  }
  if (result.failures.length === 0) return report;
  for (const failure of result.failures as unknown[]) {
    const f = failure as { error?: string; message?: string };
    const text = f.error ?? f.message ?? String(failure);
    if (text !== 'Aborted due to previous action failure') io.err(`Failed: ${text}`);
  }
  for (const done of report.results) io.err(`  done before the failure: ${describeResult(done)}`);
  return undefined;
}

/** Runs one generator from argv (everything after `pnpm plop`). Returns the process exit code. */
export async function runCli(argv: string[], root: string, io: CliIo = defaultIo()): Promise<number> {
  const args = argv.filter((arg) => arg !== '--');
  const cwdAt = args.indexOf('--cwd');
  const dest = resolve(root, (cwdAt >= 0 ? args[cwdAt + 1] : undefined) ?? '.');
  const plop = plopLoader(root, dest);
  const picked = await pickGenerator(args, io, plop);
  if (typeof picked === 'number') return picked;
  const { name, rest } = picked;
  const spec = GENERATORS[name] as (typeof GENERATORS)[string];
  if (name === UPGRADE_GENERATOR && !rest.includes('--help') && !rest.includes('-h')) {
    return runUpgrade(
      rest.filter((arg, i) => arg !== '--cwd' && rest[i - 1] !== '--cwd'),
      dest,
      io,
    );
  }
  let flags: ParsedFlags;
  try {
    flags = parseFlags(rest, spec.fields);
  } catch (error) {
    io.err((error as Error).message);
    return 2;
  }
  if (flags.help) {
    io.out(helpText(name, spec.fields, spec.summary));
    return 0;
  }
  let collected: Awaited<ReturnType<typeof collectAnswers>>;
  try {
    collected = await collectAnswers(name, flags, dest, io, plop.inquirer);
  } catch (error) {
    const usageError = error instanceof OptionsError || error instanceof MissingOptionError;
    io.err(usageError ? `${(error as Error).message}\nNothing was written.` : (error as Error).message);
    return usageError ? 2 : 1;
  }
  const started = Date.now();
  const run = { ...collected.answers, given: collected.given, dryRun: flags.dryRun };
  const report = await runActions(await plop.load(), name, run, io);
  if (report === undefined) return 1;
  summarise(io, name, collected.answers, report, (Date.now() - started) / 1000);
  return 0;
}

export type { Answers };
