import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { CliIo } from '../cli-io.js';
import { parseFlags } from '../flags.js';
import { SERVICE_FIELDS } from '../generators.js';
import { checkField, type FieldKey, OptionsError, type RawAnswers, resolveAnswers } from '../schema.js';
import { unifiedDiff } from '../text-diff.js';
import { templatesFor } from './history.js';
import { isBehind, type PlannedChange, planUpgrade, type UpgradePlan } from './plan.js';
import {
  GENERATOR_NAME,
  type GeneratorRecord,
  RECORD_FILE,
  readRecord,
  storedAnswers,
  UpgradeError,
} from './record.js';

/**
 * `pnpm plop kafka-consumer:upgrade -- --dir services/<name> [--<answer> <value>] [--dry-run|--check]`:
 * re-applies today's templates to a generated service with a three-way merge (src/upgrade/plan.ts).
 * Each step is one function; runUpgrade only chains them and maps errors to exit codes.
 */

/** Answers that can change on upgrade: every service answer but install (dir names the service). */
export const UPGRADE_FIELDS: readonly FieldKey[] = SERVICE_FIELDS.filter((key) => key !== 'install');

interface UpgradeArgs {
  dir: string;
  changes: RawAnswers;
  mode: 'write' | 'dry-run' | 'check';
  /** For a service generated before versions were recorded: the version it came from. */
  from: string | undefined;
}

/** Step 1: flags. --check and --from are upgrade's own; the rest are the generator's answer flags. */
export function parseUpgradeArgs(argv: readonly string[]): UpgradeArgs {
  const args = argv.filter((arg) => arg !== '--');
  const check = args.includes('--check');
  const fromAt = args.indexOf('--from');
  const from = fromAt >= 0 ? args[fromAt + 1] : undefined;
  if (fromAt >= 0 && (from === undefined || from.startsWith('-')))
    throw new UpgradeError('--from needs a version, e.g. --from 0.1.0');
  const rest = args.filter(
    (arg, i) => arg !== '--check' && (fromAt < 0 || (i !== fromAt && i !== fromAt + 1)),
  );
  const flags = parseFlags(rest, UPGRADE_FIELDS);
  if (check && flags.dryRun) throw new UpgradeError('--check and --dry-run: pick one');
  const { dir, ...changes } = flags.values;
  if (dir === undefined)
    throw new UpgradeError('Missing --dir: the service folder, e.g. --dir services/orders');
  const checked = checkField('dir', dir);
  if (!checked.ok) throw new OptionsError('dir', checked.message);
  for (const [key, value] of Object.entries(changes)) {
    const result = checkField(key as FieldKey, value);
    if (!result.ok) throw new OptionsError(key as FieldKey, result.message);
  }
  return { dir: checked.value, changes, mode: check ? 'check' : flags.dryRun ? 'dry-run' : 'write', from };
}

/** Step 2: the service's record, or one made up for a service older than records (--from and flags). */
export function loadRecord(serviceDir: string, args: UpgradeArgs): GeneratorRecord {
  if (args.from === undefined) return readRecord(serviceDir, args.dir);
  if (existsSync(join(serviceDir, RECORD_FILE)))
    throw new UpgradeError(`${args.dir} has its ${RECORD_FILE}: drop --from, the version is recorded there`);
  templatesFor(args.from);
  const answers = resolveAnswers({ ...args.changes, dir: args.dir, install: false }, { useDefaults: true });
  return {
    generator: GENERATOR_NAME,
    version: args.from,
    answers: storedAnswers(answers),
    given: Object.keys(args.changes),
    files: {},
  };
}

const VERBS: Record<PlannedChange['outcome']['kind'], string> = {
  unchanged: 'unchanged',
  update: 'updated',
  conflict: 'CONFLICT',
  delete: 'deleted',
  kept: 'kept',
};

function describe(change: PlannedChange, dir: string): string {
  const { outcome } = change;
  const why =
    outcome.kind === 'update' ? ` (${outcome.why})` : outcome.kind === 'kept' ? ` (${outcome.why})` : '';
  return `  ${VERBS[outcome.kind].padEnd(9)} ${dir}/${change.path}${why}`;
}

/** Step 3 (--dry-run): every change as a unified diff; nothing written. */
function printDiff(io: CliIo, plan: UpgradePlan, dir: string): void {
  for (const change of plan.changes) {
    const { outcome } = change;
    const after =
      outcome.kind === 'update' || outcome.kind === 'conflict'
        ? outcome.content
        : outcome.kind === 'delete'
          ? ''
          : undefined;
    if (after === undefined) continue;
    io.out(unifiedDiff(`${dir}/${change.path}`, change.ours ?? '', after));
  }
}

/** Step 3 (write): apply the plan, the record last. */
function apply(serviceDir: string, plan: UpgradePlan): void {
  for (const { path, outcome } of plan.changes) {
    const target = join(serviceDir, path);
    if (outcome.kind === 'delete') rmSync(target);
    if (outcome.kind === 'update' || outcome.kind === 'conflict') {
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, outcome.content);
    }
  }
  writeFileSync(join(serviceDir, RECORD_FILE), plan.record.text);
}

/** Step 4: the summary; the exit code (1: conflicts to resolve, or --check found the service behind). */
function report(io: CliIo, plan: UpgradePlan, args: UpgradeArgs): number {
  const changed = plan.changes.filter((change) => change.outcome.kind !== 'unchanged');
  const conflicts = changed.filter((change) => change.outcome.kind === 'conflict');
  if (!isBehind(plan)) {
    io.out(`${args.dir} is up to date with templates ${plan.to}; nothing to change.`);
    return 0;
  }
  const head = { check: 'is behind:', 'dry-run': 'dry run, nothing written:', write: 'upgraded:' }[args.mode];
  io.out(`${args.dir} ${head} templates ${plan.from} -> ${plan.to}`);
  for (const change of changed) io.out(describe(change, args.dir));
  if (plan.record.changed)
    io.out(`  ${'updated'.padEnd(9)} ${args.dir}/${RECORD_FILE} (version and answers)`);
  if (args.mode === 'check') {
    io.out(`Run: pnpm plop kafka-consumer:upgrade -- --dir ${args.dir}`);
    return 1;
  }
  if (conflicts.length > 0) {
    const verb = args.mode === 'write' ? 'were written with' : 'would get';
    io.err(
      `${conflicts.length} file(s) ${verb} conflict markers (<<<<<<< yours / ||||||| template ${plan.from} / ======= / >>>>>>> template ${plan.to}):`,
    );
    for (const change of conflicts) io.err(`  ${args.dir}/${change.path}`);
    if (args.mode === 'write') io.err('Resolve them, then run the upgrade again: it reports "up to date".');
    return 1;
  }
  if (args.mode === 'write')
    io.out(`Next: pnpm install && pnpm --dir ${args.dir} test   # review with git diff ${args.dir}`);
  return 0;
}

export async function runUpgrade(argv: readonly string[], root: string, io: CliIo): Promise<number> {
  try {
    const args = parseUpgradeArgs(argv);
    const serviceDir = resolve(root, args.dir);
    const record = loadRecord(serviceDir, args);
    const plan = planUpgrade(serviceDir, args.dir, record, args.changes);
    if (args.mode === 'dry-run') printDiff(io, plan, args.dir);
    if (args.mode === 'write' && isBehind(plan)) apply(serviceDir, plan);
    return report(io, plan, args);
  } catch (error) {
    if (error instanceof UpgradeError || error instanceof OptionsError) {
      io.err(`${error.message}\nNothing was written.`);
      return 2;
    }
    io.err(`${(error as Error).message}\nNothing was written.`);
    return 1;
  }
}
