import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { NodePlopAPI } from 'node-plop';
import { ActionReport, describeResult } from './actions/report.js';
import { inspectService } from './add.js';
import { helpText, parseFlags } from './flags.js';
import { ADD_FIELDS, ADD_GENERATOR, SERVICE_FIELDS, SERVICE_GENERATOR } from './generators.js';
import { shellWord } from './naming.js';
import { type PromptApi, promptForMissing } from './prompts.js';
import {
  type Answers,
  MissingOptionError,
  OptionsError,
  type RawAnswers,
  resolveAnswers,
  validateGiven,
} from './schema.js';
import { assertFreshTarget, assertInWorkspace } from './target.js';
import { parseYesNo } from './yes-no.js';

/**
 * `pnpm plop <generator> [-- flags]`: flags first (util.parseArgs), prompts (plop's inquirer) only
 * for what is left and only on an interactive terminal, one schema validating both, then node-plop
 * runs the generator's actions. Returns the process exit code.
 */

export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  interactive: boolean;
}

export const defaultIo = (): CliIo => ({
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY) && !isCi(process.env.CI),
});

/** CI=true, CI=1, or any other non-empty value than a "no" (some CI systems set CI to their name). */
function isCi(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== '' && parseYesNo(value) !== false;
}

const GENERATORS: Record<string, { fields: typeof SERVICE_FIELDS; summary: string }> = {
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
};

function usage(): string {
  return [
    'Usage: pnpm plop <generator> [-- flags]',
    '',
    'Generators:',
    ...Object.entries(GENERATORS).map(([name, g]) => `  ${name.padEnd(20)} ${g.summary}`),
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

function summarise(io: CliIo, generator: string, answers: Answers, report: ActionReport, seconds: number) {
  const files = report.files();
  if (files.some((file) => file.kind === 'would-create' || file.kind === 'would-change')) {
    const planned = files.filter((file) => file.kind !== 'unchanged').length;
    io.out(`Dry run: nothing was written. ${planned} file(s) would be created or changed:`);
    for (const file of files) io.out(`  ${describeResult(file)}`);
    return;
  }
  const written = files.filter((file) => file.kind === 'created' || file.kind === 'changed');
  const unchanged = files.length - written.length;
  io.out('');
  io.out(
    `Done in ${seconds.toFixed(1)}s. ${written.length} file(s) written${unchanged > 0 ? `, ${unchanged} unchanged` : ''}:`,
  );
  for (const file of files) io.out(`  ${describeResult(file)}`);
  const tested = report.find('tested');
  if (tested) io.out(`Tests: ${tested.detail ?? 'passed'}`);
  const installed = report.find('typechecked') ?? report.find('installed');
  if (installed) io.out(`Install: ${describeResult(installed)}`);
  const manual = report.find('manual');
  if (manual?.detail) io.out(`\n${manual.detail}`);
  const dir = shellWord(answers.dir);
  io.out('');
  io.out('Next steps:');
  if (!answers.install) io.out('  pnpm install');
  const topics = shellWord(answers.topics.join(','));
  if (generator === SERVICE_GENERATOR) {
    io.out(`  edit ${answers.dir}/src/handler.ts (the one function you implement)`);
    io.out(`  pnpm kafka --topics ${topics}   # a local broker with the topics (another terminal)`);
    io.out(`  pnpm --dir ${dir} dev           # reads ${answers.dir}/.env (your answers)`);
    io.out(`  pnpm --dir ${dir} test          # unit + real-broker integration tests`);
    io.out(`  pnpm deploy:service ${shellWord(answers.name)} <folder>   # then: node dist/main.js there`);
  } else {
    io.out(`  implement ${answers.dir}/src/kafka/handler.ts`);
    io.out(`  pnpm kafka --topics ${topics}   # a local broker with the topics (another terminal)`);
    io.out(
      '  start the service as usual; its KAFKA_* variables configure the consumer (src/kafka/config.ts)',
    );
  }
}

/** Runs one generator from argv (everything after `pnpm plop`). */
export async function runCli(argv: string[], root: string, io: CliIo = defaultIo()): Promise<number> {
  const args = argv.filter((arg) => arg !== '--');
  let name = args[0] && !args[0].startsWith('-') ? args[0] : undefined;
  const rest = name ? args.slice(1) : args;
  if (!name) {
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(usage());
      return 0;
    }
    if (!io.interactive) {
      io.err(`No generator given.\n\n${usage()}`);
      return 1;
    }
  }
  let flags: ReturnType<typeof parseFlags>;
  const spec = name ? GENERATORS[name] : undefined;
  if (name && !spec) {
    io.err(`Unknown generator "${name}".\n\n${usage()}`);
    return 1;
  }
  try {
    flags = parseFlags(rest, spec?.fields);
  } catch (error) {
    io.err((error as Error).message);
    return 2;
  }
  const dest = resolve(root, flags.cwd ?? '.');
  let plop: NodePlopAPI | undefined;
  /** node-plop (and the templates' imports) load only once input is valid or prompts are needed. */
  const loadPlop = async (): Promise<NodePlopAPI> => {
    if (!plop) {
      const { default: nodePlop } = await import('node-plop');
      plop = await nodePlop(join(root, 'plopfile.ts'), { destBasePath: dest, force: false });
    }
    return plop;
  };
  const inquirer: PromptApi = {
    prompt: async (questions) =>
      ((await loadPlop()) as unknown as { inquirer: PromptApi }).inquirer.prompt(questions),
  };
  if (!name) {
    const picked = await inquirer.prompt([
      {
        type: 'list',
        name: 'generator',
        message: 'Which generator?',
        choices: (await loadPlop())
          .getGeneratorList()
          .map((g) => ({ name: `${g.name} - ${g.description}`, value: g.name })),
      },
    ]);
    name = String(picked.generator);
  }
  const generatorSpec = GENERATORS[name];
  if (!generatorSpec) {
    io.err(`Unknown generator "${name}".`);
    return 1;
  }
  if (flags.help) {
    io.out(helpText(name, generatorSpec.fields, generatorSpec.summary));
    return 0;
  }
  const interactive = io.interactive && !flags.yes;
  let raw: RawAnswers = { ...flags.values };
  let answers: Answers;
  try {
    validateGiven(raw);
    if (name === ADD_GENERATOR) {
      if (raw.dir === undefined && interactive) {
        const picked = await inquirer.prompt([
          { type: 'input', name: 'dir', message: 'Existing service folder (relative to the workspace root)' },
        ]);
        raw.dir = picked.dir;
      }
      if (raw.dir === undefined) throw new MissingOptionError('dir');
      inspectService(resolve(dest, String(raw.dir)));
      if (raw.name === undefined) {
        const fromPackage = nameFromPackage(dest, String(raw.dir));
        if (fromPackage) raw.name = fromPackage;
      }
      if (interactive) raw = await promptForMissing(inquirer, raw, generatorSpec.fields);
    } else if (interactive) {
      raw = await promptForMissing(inquirer, raw, generatorSpec.fields);
    }
    answers = resolveAnswers(raw, { useDefaults: true });
    assertInWorkspace(dest, answers.dir);
    if (name === SERVICE_GENERATOR) assertFreshTarget(dest, answers.dir);
  } catch (error) {
    if (error instanceof OptionsError || error instanceof MissingOptionError) {
      io.err(`${error.message}\nNothing was written.`);
      return 2;
    }
    io.err(`${(error as Error).message}`);
    return 1;
  }

  const started = Date.now();
  const generator = (await loadPlop()).getGenerator(name);
  let result: Awaited<ReturnType<typeof generator.runActions>>;
  const report = new ActionReport();
  try {
    result = await generator.runActions({ ...answers, dryRun: flags.dryRun, report }, {
      onComment: (line: string) => io.out(line),
    } as never);
  } catch (error) {
    io.err(`${(error as Error).message}\nNothing was written.`);
    return 1;
  }
  if (result.failures.length > 0) {
    for (const failure of result.failures as unknown[]) {
      const f = failure as { error?: string; message?: string; path?: string };
      const text = f.error ?? f.message ?? String(failure);
      if (text !== 'Aborted due to previous action failure') io.err(`Failed: ${text}`);
    }
    for (const done of report.results) io.err(`  done before the failure: ${describeResult(done)}`);
    return 1;
  }
  summarise(io, name, answers, report, (Date.now() - started) / 1000);
  return 0;
}
