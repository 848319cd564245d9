import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { createSpinner } from 'nanospinner';
import type { NodePlopAPI } from 'node-plop';
import type { ActionReport } from './report.js';

export const INSTALL = 'kafkakit:install';

export interface InstallConfig {
  type: typeof INSTALL;
  /** Service folder relative to the workspace root. */
  dir: string;
  /** 'full': build, typecheck and tests (a generated service); 'typecheck': only its typecheck script, if any (add path). */
  verify: 'full' | 'typecheck';
  /** The package's name (its build runs with its workspace dependencies: `pnpm --filter <name>... build`). */
  packageName: string;
  report: ActionReport;
}

export interface Step {
  title: string;
  command: string;
  args: string[];
  cwd: string;
  /** Where vitest's JSON report lands (the test step): the counts are read from it, not from text. */
  report?: string;
}

/** The steps after writing: install the workspace (the new package joins it), then typecheck and test it. */
export function installSteps(
  root: string,
  dir: string,
  verify: 'full' | 'typecheck' | 'none',
  packageName = '',
): Step[] {
  const service = resolve(root, dir);
  const steps: Step[] = [
    {
      title: 'pnpm install',
      command: 'pnpm',
      // CI=true makes pnpm default to --frozen-lockfile, which must fail for a new workspace package.
      args: ['install', '--no-frozen-lockfile', '--prefer-offline'],
      cwd: root,
    },
  ];
  if (verify === 'full') {
    // The runtime's dist/ (what plain node and the service's types use) and the service's own.
    steps.push({
      title: 'build',
      command: 'pnpm',
      args: ['--filter', `${packageName}...`, 'run', 'build'],
      cwd: root,
    });
  }
  if (verify === 'full' || (verify === 'typecheck' && hasScript(service, 'typecheck'))) {
    steps.push({ title: 'typecheck', command: 'pnpm', args: ['run', 'typecheck'], cwd: service });
  }
  if (verify === 'full') {
    const report = join(mkdtempSync(join(tmpdir(), 'kafkakit-vitest-')), 'report.json');
    steps.push({
      title: 'tests (real broker)',
      command: 'pnpm',
      args: ['run', 'test', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
      cwd: service,
      report,
    });
  }
  return steps;
}

function hasScript(dir: string, name: string): boolean {
  try {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      scripts?: Record<string, string>;
    };
    return typeof pkg.scripts?.[name] === 'string';
  } catch {
    return false;
  }
}

/** The counts of vitest's JSON report (`--reporter=json`), the fields read here. */
interface VitestReport {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests?: number;
}

/** "7 passed (7)" (and "1 failed", "2 skipped" when there are) from vitest's JSON report, or undefined. */
export function testSummary(reportFile: string): string | undefined {
  let report: VitestReport;
  try {
    report = JSON.parse(readFileSync(reportFile, 'utf8')) as VitestReport;
  } catch {
    return undefined;
  } finally {
    rmSync(join(reportFile, '..'), { recursive: true, force: true });
  }
  const skipped = report.numPendingTests + (report.numTodoTests ?? 0);
  const parts = [
    report.numFailedTests > 0 ? `${report.numFailedTests} failed` : undefined,
    `${report.numPassedTests} passed`,
    skipped > 0 ? `${skipped} skipped` : undefined,
  ].filter(Boolean);
  return `${parts.join(' | ')} (${report.numTotalTests})`;
}

interface Progress {
  success(options: { text: string }): void;
  error(options: { text: string }): void;
}

/**
 * A spinner on a real terminal; plain lines otherwise (CI logs, pipes, and terminals that report no
 * width, where the spinner's redraw arithmetic breaks).
 */
function progress(text: string): Progress {
  const stream = process.stderr;
  if (stream.isTTY && (stream.columns ?? 0) > 0) return createSpinner(text, { stream }).start();
  stream.write(`- ${text}\n`);
  return {
    success: ({ text: done }) => stream.write(`✔ ${done}\n`),
    error: ({ text: failed }) => stream.write(`✖ ${failed}\n`),
  };
}

export class StepFailedError extends Error {
  constructor(
    readonly step: Step,
    readonly output: string,
  ) {
    super(`${step.title} failed (${step.command} ${step.args.join(' ')} in ${step.cwd})`);
    this.name = 'StepFailedError';
  }
}

/** Runs the steps one by one with a spinner each; a failing step prints its output and throws. */
export async function runSteps(
  steps: Step[],
): Promise<{ tests?: string; durations: Record<string, number> }> {
  const durations: Record<string, number> = {};
  let tests: string | undefined;
  for (const step of steps) {
    const started = Date.now();
    const spinner = progress(`${step.title}...`);
    const result = await execa(step.command, step.args, {
      cwd: step.cwd,
      all: true,
      reject: false,
      env: process.env,
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    durations[step.title] = Date.now() - started;
    const summary = step.report === undefined ? undefined : testSummary(step.report);
    if (result.exitCode !== 0 || result.failed) {
      spinner.error({ text: `${step.title} failed after ${seconds}s` });
      process.stderr.write(`${result.all ?? ''}\n`);
      throw new StepFailedError(step, result.all ?? '');
    }
    if (summary !== undefined) tests = summary;
    spinner.success({ text: `${step.title} (${seconds}s)${summary ? `: ${summary}` : ''}` });
  }
  return tests === undefined ? { durations } : { tests, durations };
}

/** Plop action: install (and verify) the service; records what ran, with the test count. */
export async function installAction(_answers: unknown, config: unknown, plop?: NodePlopAPI): Promise<string> {
  const cfg = config as InstallConfig;
  const root = plop?.getDestBasePath() ?? process.cwd();
  const steps = installSteps(root, cfg.dir, cfg.verify, cfg.packageName);
  const { tests } = await runSteps(steps);
  if (cfg.verify === 'full')
    return cfg.report.record({ kind: 'tested', ...(tests ? { detail: tests } : {}) });
  const typechecked = steps.some((step) => step.title === 'typecheck');
  return cfg.report.record({ kind: typechecked ? 'typechecked' : 'installed' });
}
