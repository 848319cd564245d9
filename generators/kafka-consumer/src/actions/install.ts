import { readFileSync } from 'node:fs';
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
    steps.push({ title: 'tests (real broker)', command: 'pnpm', args: ['run', 'test'], cwd: service });
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

/** "Tests  7 passed (7)" from vitest's summary, or undefined. */
export function testSummary(output: string): string | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes
  const plain = output.replace(/\u001b\[[0-9;]*m/g, '');
  return /^\s*Tests\s+(.+)$/m.exec(plain)?.[1]?.trim();
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
    if (result.exitCode !== 0 || result.failed) {
      spinner.error({ text: `${step.title} failed after ${seconds}s` });
      process.stderr.write(`${result.all ?? ''}\n`);
      throw new StepFailedError(step, result.all ?? '');
    }
    const summary = testSummary(result.all ?? '');
    if (step.title.startsWith('tests')) tests = summary;
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
